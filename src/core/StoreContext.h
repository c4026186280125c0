#pragma once

#include <QDateTime>
#include <QString>

#include <functional>

namespace keyward {

class AuditLog;
class Database;

// What every part of the store shares: the connection, the audit log, who is acting and the
// clock (injectable, so tests can stand at any moment, e.g. just before midnight UTC).
struct StoreContext
{
    Database& db;
    AuditLog& audit;
    QString actor = QStringLiteral("system");
    std::function<QDateTime()> clock = [] { return QDateTime::currentDateTimeUtc(); };

    QDateTime now() const { return clock(); }
};

} // namespace keyward
