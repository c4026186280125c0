#include "ServerConfig.h"

#include <QFileInfo>
#include <QSet>
#include <QSettings>
#include <QThread>

namespace keyward::server {
namespace {

// Reads one INI file strictly: unknown keys are errors (a typo must not silently fall back to a
// default), numbers must be numbers within their range.
class ConfigReader
{
public:
    explicit ConfigReader(const QString& path) : m_settings(path, QSettings::IniFormat) {}

    QSettings& settings() { return m_settings; }
    QString error;

    bool integer(const char* key, qint64 minimum, qint64 maximum, qint64& target)
    {
        const QString name = QString::fromLatin1(key);
        m_known.insert(name);
        if (!m_settings.contains(name))
            return true;
        bool ok = false;
        const qint64 v = m_settings.value(name).toString().trimmed().toLongLong(&ok);
        if (!ok || v < minimum || v > maximum) {
            error = QStringLiteral("%1 must be a whole number from %2 to %3, not \"%4\".")
                        .arg(name)
                        .arg(minimum)
                        .arg(maximum)
                        .arg(m_settings.value(name).toString());
            return false;
        }
        target = v;
        return true;
    }

    bool integer(const char* key, qint64 minimum, qint64 maximum, int& target)
    {
        qint64 v = target;
        if (!integer(key, minimum, maximum, v))
            return false;
        target = int(v);
        return true;
    }

    std::optional<QString> text(const char* key)
    {
        const QString name = QString::fromLatin1(key);
        m_known.insert(name);
        if (!m_settings.contains(name))
            return std::nullopt;
        const QVariant v = m_settings.value(name);
        // QSettings turns "a, b" into a list; a text value is taken whole.
        return v.typeId() == QMetaType::QStringList ? v.toStringList().join(QLatin1Char(',')) : v.toString();
    }

    QStringList list(const char* key)
    {
        const QString name = QString::fromLatin1(key);
        m_known.insert(name);
        QStringList out;
        const QVariant v = m_settings.value(name);
        const QStringList parts =
            v.typeId() == QMetaType::QStringList ? v.toStringList() : v.toString().split(QLatin1Char(','));
        for (const QString& part : parts) {
            if (!part.trimmed().isEmpty())
                out << part.trimmed();
        }
        return out;
    }

    QStringList unknownKeys() const
    {
        QStringList out;
        for (const QString& key : m_settings.allKeys()) {
            if (!m_known.contains(key))
                out << key;
        }
        return out;
    }

private:
    QSettings m_settings;
    QSet<QString> m_known;
};

} // namespace

Status ServerConfig::setListen(const QString& hostPort)
{
    const QString text = hostPort.trimmed();
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("--listen needs HOST:PORT (e.g. 127.0.0.1:8080 or [::]:8080), not \"%1\".")
                .arg(text));
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const int port = text.mid(colon + 1).toInt(&ok);
    if (!ok || port < 0 || port > 65535)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("\"%1\" is not a port number (0 to 65535).").arg(text.mid(colon + 1)));
    if (host != QLatin1String("localhost") && !IpAddress::parse(host))
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("\"%1\" is not an IP address to listen on (use e.g. 127.0.0.1, 0.0.0.0 or ::).")
                .arg(host));
    listenHost = host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : host;
    listenPort = quint16(port);
    return {};
}

QString ServerConfig::listenAddress() const
{
    return (listenHost.contains(QLatin1Char(':')) ? QLatin1Char('[') + listenHost + QLatin1Char(']')
                                                  : listenHost) +
           QLatin1Char(':') + QString::number(listenPort);
}

int ServerConfig::effectiveHttpThreads() const
{
    return httpThreads > 0 ? httpThreads : std::clamp(QThread::idealThreadCount(), 1, 8);
}

int ServerConfig::effectiveDbWorkers(bool sqlite) const
{
    if (dbWorkers > 0)
        return dbWorkers;
    return sqlite ? 1 : 2;
}

Result<ServerConfig> ServerConfig::load(const QString& path)
{
    ServerConfig c;
    if (path.isEmpty())
        return c;
    if (!QFileInfo(path).isFile())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("The configuration file %1 does not exist.").arg(path));
    ConfigReader r(path);
    if (r.settings().status() != QSettings::NoError)
        return makeError(ErrorKind::Invalid, QStringLiteral("%1 is not a readable INI file.").arg(path));
    auto fail = [&](const QString& message) {
        return makeError(ErrorKind::Invalid, QStringLiteral("%1: %2").arg(path, message));
    };

    if (auto db = r.text("server/database"))
        c.database = db->trimmed();
    if (auto listen = r.text("server/listen")) {
        if (Status s = c.setListen(*listen); !s)
            return fail(s.errorMessage());
    }
    for (const QString& proxy : r.list("server/trusted_proxies")) {
        auto cidr = Cidr::parse(proxy);
        if (!cidr)
            return fail(QStringLiteral("server/trusted_proxies: ") + cidr.errorMessage());
        c.trustedProxies.push_back(*cidr);
    }
    IpRules& ip = c.ipRules;
    qint64 publicBody = c.publicBodyBytes, adminBody = c.adminBodyBytes, headers = c.headerBytes;
    int requestTimeout = c.requestTimeoutMs / 1000, idleTimeout = c.idleTimeoutMs / 1000;
    const bool ok = r.integer("server/http_threads", 0, 64, c.httpThreads) &&
                    r.integer("server/db_workers", 0, 32, c.dbWorkers) &&
                    r.integer("limits/max_connections", 1, 1'000'000, c.maxConnections) &&
                    r.integer("limits/public_body_bytes", 256, 1 << 20, publicBody) &&
                    r.integer("limits/admin_body_bytes", 1024, qint64(1) << 30, adminBody) &&
                    r.integer("limits/header_bytes", 1024, 1 << 20, headers) &&
                    r.integer("limits/request_timeout_seconds", 1, 3600, requestTimeout) &&
                    r.integer("limits/idle_timeout_seconds", 1, 86400, idleTimeout) &&
                    r.integer("abuse/too_fast_requests", 0, 1'000'000, ip.tooFastRequests) &&
                    r.integer("abuse/too_fast_window_seconds", 1, 86400, ip.tooFastWindowSeconds) &&
                    r.integer("abuse/unknown_keys", 0, 1'000'000, ip.unknownKeys) &&
                    r.integer("abuse/unknown_key_window_seconds", 1, 86400 * 7, ip.unknownKeyWindowSeconds) &&
                    r.integer("abuse/timeout_seconds", 1, 86400 * 7, ip.timeoutSeconds) &&
                    r.integer("abuse/blacklist_after_timeouts", 0, 1000, ip.blacklistAfterTimeouts) &&
                    r.integer("abuse/blacklist_window_seconds", 1, 86400 * 365, ip.blacklistWindowSeconds) &&
                    r.integer("abuse/unban_requests_per_day", 1, 1000, c.unbanRequestsPerDay) &&
                    r.integer("log/retention_days", 1, 3650, c.retentionDays) &&
                    r.integer("log/flush_interval_ms", 10, 60'000, c.logFlushMs) &&
                    r.integer("cluster/refresh_ms", 100, 3'600'000, c.refreshMs) &&
                    r.integer("jobs/keep_hours", 1, 24 * 365, c.jobsKeepHours) &&
                    r.integer("jobs/max_running", 1, 16, c.maxRunningJobs);
    if (!ok)
        return fail(r.error);
    c.publicBodyBytes = publicBody;
    c.adminBodyBytes = adminBody;
    c.headerBytes = headers;
    c.requestTimeoutMs = requestTimeout * 1000;
    c.idleTimeoutMs = idleTimeout * 1000;
    if (auto dir = r.text("jobs/dir"))
        c.jobsDir = dir->trimmed();
    if (auto clock = r.text("testing/clock_start")) {
        const QDateTime start = QDateTime::fromString(clock->trimmed(), Qt::ISODateWithMs);
        if (!start.isValid())
            return fail(
                QStringLiteral("testing/clock_start must be an ISO 8601 time such as 2026-03-01T23:59:50Z."));
        c.clockStart = start.toUTC();
    }
    if (const QStringList unknown = r.unknownKeys(); !unknown.isEmpty())
        return fail(QStringLiteral("unknown setting(s) %1 (see docs/server.md).")
                        .arg(unknown.join(QLatin1String(", "))));
    return c;
}

} // namespace keyward::server
