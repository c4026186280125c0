#pragma once

#include "IpAddress.h"
#include "IpGuard.h"
#include "Result.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace keyward::server {

// Everything keywardd can be told, with the defaults it runs with. Read from an INI file
// (--config, see docs/server.md); the command line overrides the database and listen address.
struct ServerConfig
{
    // [server]
    QString database;
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 listenPort = 8080;
    int httpThreads = 0;              // 0: one per CPU core (at most 8)
    int dbWorkers = 0;                // 0: 1 on SQLite (one writer), 2 on PostgreSQL
    std::vector<Cidr> trustedProxies; // peers whose X-Forwarded-For is believed

    // [limits]
    int maxConnections = 1024;
    qint64 publicBodyBytes = 16 * 1024;
    qint64 adminBodyBytes = 8 * 1024 * 1024;
    qint64 headerBytes = 16 * 1024;
    int requestTimeoutMs = 10'000; // from the first byte of a request to its last
    int idleTimeoutMs = 60'000;    // a kept-alive connection with nothing to do

    // [abuse]
    IpRules ipRules;
    int unbanRequestsPerDay = 3;

    // [log]
    int retentionDays = 90;
    int logFlushMs = 250;

    // [cluster]
    int refreshMs = 2000; // how often shared state (keys, bans, products) is re-read

    // [jobs]
    QString jobsDir; // empty: a temporary folder
    int jobsKeepHours = 24;
    int maxRunningJobs = 2;

    // [testing] (for tests only: the clock starts at this instant and runs at normal speed)
    std::optional<QDateTime> clockStart;

    static Result<ServerConfig> load(const QString& path);
    Status setListen(const QString& hostPort);
    QString listenAddress() const;
    int effectiveHttpThreads() const;
    int effectiveDbWorkers(bool sqlite) const;
};

} // namespace keyward::server
