#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace keyward {

class Database;

struct AuditEntry
{
    qint64 id = 0;
    QDateTime at;
    QString actor;      // "cli:alice", "app:alice", "token:3"...
    QString action;     // "key.revoke", "keys.generate", ...
    QString objectType; // "key", "product", ...
    QString objectId;
    QJsonObject detail;
};

struct AuditFilter
{
    QString objectType;
    QString objectId;
    QString actor;
    QString actionPrefix;
    QDateTime from;
    QDateTime to;
};

// Who did what to which object, when. Written in the same transaction as the change it records.
class AuditLog
{
public:
    explicit AuditLog(Database& db) : m_db(db) {}

    Status record(const QDateTime& at, const QString& actor, const QString& action, const QString& objectType,
                  const QString& objectId, const QJsonObject& detail = {});
    // One entry per object for a change that touched many (trash, restore...), in few statements.
    struct Item
    {
        QString objectId;
        QJsonObject detail;
    };
    Status recordMany(const QDateTime& at, const QString& actor, const QString& action,
                      const QString& objectType, const std::vector<Item>& items);
    // Newest first.
    Result<std::vector<AuditEntry>> list(const AuditFilter& filter, qint64 offset, int limit) const;
    Result<qint64> count(const AuditFilter& filter) const;

private:
    Database& m_db;
};

} // namespace keyward
