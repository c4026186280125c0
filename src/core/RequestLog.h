#pragma once

#include "PreparedQuery.h"
#include "Result.h"
#include "SqliteStatement.h"

#include <QDateTime>
#include <QMutex>
#include <QString>

#include <optional>
#include <vector>

namespace keyward {

class Database;

// One public API request as the request log keeps it. Never the full license key: key_hint.
struct RequestLogEntry
{
    qint64 id = 0;
    QDateTime at;
    std::optional<qint64> productId;
    std::optional<qint64> keyId;
    QString keyHint;
    QString ip;
    QString endpoint; // validate, activate, deactivate, consume, license, unban
    QString outcome;  // the answer's status: active, license_not_found, too_fast, invalid_api_key...
    int httpStatus = 200;
    QString detail;
};

struct RequestLogFilter
{
    std::optional<qint64> productId;
    std::optional<qint64> keyId;
    QString ip;
    QString outcome;
    QDateTime from;
    QDateTime to;
};

// The request log table: batched inserts, queries for the support desk, retention.
class RequestLog
{
public:
    explicit RequestLog(Database& db);

    // Writes all entries in one transaction, many rows per statement.
    Status append(const std::vector<RequestLogEntry>& entries);
    // Newest first.
    Result<std::vector<RequestLogEntry>> list(const RequestLogFilter& filter, qint64 offset, int limit) const;
    Result<qint64> count(const RequestLogFilter& filter) const;
    // Deletes entries older than `before`, a bounded chunk per statement; returns how many.
    Result<qint64> purgeBefore(const QDateTime& before);

private:
    Status appendDirect(const std::vector<RequestLogEntry>& entries);
    Status appendRows(const std::vector<RequestLogEntry>& entries);

    Database& m_db;
    PreparedQuery m_insertOne;    // SQLite over QtSql: one prepared row, re-bound
    SqliteStatement m_direct;     // SQLite with its own handle: the same, without QtSql's binding
    SqliteStatement m_directMany; // and many rows per statement
};

// Entries waiting to be written, shared by the threads that answer requests and the one that
// writes them. Taking a batch is cheap, so request threads never wait on the database.
class RequestLogBuffer
{
public:
    void add(RequestLogEntry entry);
    void add(std::vector<RequestLogEntry>& entries); // moves them all in (and empties the vector)
    std::vector<RequestLogEntry> take();
    size_t size() const;

private:
    mutable QMutex m_mutex;
    std::vector<RequestLogEntry> m_entries;
};

} // namespace keyward
