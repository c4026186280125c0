#include "AuditLog.h"

#include "Database.h"
#include "SqlValues.h"

#include <QJsonDocument>

namespace keyward {
namespace {

bool isKeyHistory(const AuditFilter& f)
{
    bool numeric = false;
    f.objectId.toLongLong(&numeric);
    return f.objectType == QLatin1String("key") && numeric;
}

QString whereClause(const AuditFilter& f, QVariantList& values)
{
    QStringList terms;
    auto add = [&](const QString& term, const QVariant& value) {
        terms << term;
        values << value;
    };
    if (!f.objectType.isEmpty())
        add(QStringLiteral("object_type = ?"), f.objectType);
    if (isKeyHistory(f)) {
        // Changes of many keys at once list their keys in audit_keys (migration 4).
        terms << QStringLiteral(
            "(object_id = ? OR id IN (SELECT audit_id FROM audit_keys WHERE key_id = ?))");
        values << f.objectId << f.objectId.toLongLong();
    } else if (!f.objectId.isEmpty()) {
        add(QStringLiteral("object_id = ?"), f.objectId);
    }
    if (!f.actor.isEmpty())
        add(QStringLiteral("actor = ?"), f.actor);
    if (!f.actionPrefix.isEmpty())
        add(QStringLiteral("action LIKE ?"), QString(f.actionPrefix + QLatin1Char('%')));
    if (f.from.isValid())
        add(QStringLiteral("at >= ?"), sql::time(f.from));
    if (f.to.isValid())
        add(QStringLiteral("at < ?"), sql::time(f.to));
    return terms.isEmpty() ? QString() : QStringLiteral(" WHERE ") + terms.join(QLatin1String(" AND "));
}

} // namespace

Status AuditLog::record(const QDateTime& at, const QString& actor, const QString& action,
                        const QString& objectType, const QString& objectId, const QJsonObject& detail)
{
    const QString json = detail.isEmpty()
                             ? QString()
                             : QString::fromUtf8(QJsonDocument(detail).toJson(QJsonDocument::Compact));
    auto r =
        m_db.exec(QStringLiteral("INSERT INTO audit_log (at, actor, action, object_type, object_id, detail) "
                                 "VALUES (?, ?, ?, ?, ?, ?)"),
                  {sql::time(at), actor, action, objectType, sql::text(objectId), sql::text(json)});
    if (!r)
        return r.error();
    return {};
}

Status AuditLog::recordMany(const QDateTime& at, const QString& actor, const QString& action,
                            const QString& objectType, const std::vector<Item>& items)
{
    constexpr size_t kRows = 200;
    for (size_t start = 0; start < items.size(); start += kRows) {
        const size_t end = std::min(items.size(), start + kRows);
        QStringList rows;
        QVariantList values;
        for (size_t i = start; i < end; ++i) {
            rows << QStringLiteral("(?, ?, ?, ?, ?, ?)");
            const QJsonObject& detail = items[i].detail;
            values << sql::time(at) << actor << action << objectType << sql::text(items[i].objectId)
                   << sql::text(detail.isEmpty() ? QString()
                                                 : QString::fromUtf8(
                                                       QJsonDocument(detail).toJson(QJsonDocument::Compact)));
        }
        auto r = m_db.exec(
            QStringLiteral("INSERT INTO audit_log (at, actor, action, object_type, object_id, detail) "
                           "VALUES ") +
                rows.join(QLatin1Char(',')),
            values);
        if (!r)
            return r.error();
    }
    return {};
}

Result<std::vector<AuditEntry>> AuditLog::list(const AuditFilter& filter, qint64 offset, int limit) const
{
    // In a key's history, an entry for many keys names the key when its row is gone (purged).
    const bool history = isKeyHistory(filter);
    QVariantList values;
    if (history)
        values << filter.objectId.toLongLong();
    const QString where = whereClause(filter, values);
    values << limit << offset;
    auto q = m_db.exec(
        QStringLiteral("SELECT id, at, actor, action, object_type, object_id, detail, %1 FROM audit_log")
                .arg(history ? QStringLiteral("(SELECT key_text FROM audit_keys ak WHERE ak.key_id = ? AND "
                                              "ak.audit_id = audit_log.id)")
                             : QStringLiteral("NULL")) +
            where + QStringLiteral(" ORDER BY at DESC, id DESC LIMIT ? OFFSET ?"),
        values);
    if (!q)
        return q.error();
    std::vector<AuditEntry> out;
    while (q->next()) {
        AuditEntry e;
        e.id = q->value(0).toLongLong();
        e.at = sql::toTime(q->value(1));
        e.actor = q->value(2).toString();
        e.action = q->value(3).toString();
        e.objectType = q->value(4).toString();
        e.objectId = q->value(5).toString();
        e.detail = QJsonDocument::fromJson(q->value(6).toString().toUtf8()).object();
        if (!q->value(7).isNull())
            e.detail.insert(QStringLiteral("key"), q->value(7).toString());
        out.push_back(std::move(e));
    }
    return out;
}

Result<qint64> AuditLog::count(const AuditFilter& filter) const
{
    QVariantList values;
    const QString where = whereClause(filter, values);
    return m_db.scalar(QStringLiteral("SELECT COUNT(*) FROM audit_log") + where, values);
}

} // namespace keyward
