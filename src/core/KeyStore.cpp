#include "KeyStore.h"

#include "AuditLog.h"
#include "Database.h"
#include "SqlValues.h"
#include "StoreContext.h"
#include "Validation.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlError>

namespace keyward {
namespace {

const QString kSelect = QStringLiteral(
    "SELECT k.id, k.product_id, p.name, k.license_key, k.status, k.customer_name, k.customer_email, k.notes, "
    "k.created_at, k.updated_at, k.expires_at, k.max_domains, k.max_uuids, k.token_balance, k.revoke_reason, "
    "k.revoked_at, k.deleted_at FROM license_keys k JOIN products p ON p.id = k.product_id");

const QString kInsertColumns =
    QStringLiteral("INSERT INTO license_keys (product_id, license_key, status, customer_name, customer_email, notes, "
                   "created_at, updated_at, expires_at, max_domains, max_uuids, token_balance) VALUES ");
constexpr int kInsertColumnCount = 12;
constexpr int kIdChunk = 500;

LicenseKey readKey(const QSqlQuery& q)
{
    LicenseKey k;
    k.id = q.value(0).toLongLong();
    k.productId = q.value(1).toLongLong();
    k.productName = q.value(2).toString();
    k.key = q.value(3).toString();
    k.status = keyStatusFromString(q.value(4).toString()).value_or(KeyStatus::Active);
    k.customerName = q.value(5).toString();
    k.customerEmail = q.value(6).toString();
    k.notes = q.value(7).toString();
    k.createdAt = sql::toTime(q.value(8));
    k.updatedAt = sql::toTime(q.value(9));
    k.expiresAt = sql::toTime(q.value(10));
    k.maxDomains = sql::toOptionalInt(q.value(11));
    k.maxUuids = sql::toOptionalInt(q.value(12));
    k.tokenBalance = sql::toOptionalInt64(q.value(13));
    k.revokeReason = revokeReasonFromString(q.value(14).toString()).value_or(RevokeReason::None);
    k.revokedAt = sql::toTime(q.value(15));
    k.deletedAt = sql::toTime(q.value(16));
    return k;
}

QString placeholders(int count)
{
    QString out;
    out.reserve(count * 2);
    for (int i = 0; i < count; ++i)
        out += i ? QStringLiteral(",?") : QStringLiteral("?");
    return out;
}

QString insertSql(int rows)
{
    const QString row = QLatin1Char('(') + placeholders(kInsertColumnCount) + QLatin1Char(')');
    QString sql = kInsertColumns;
    sql.reserve(sql.size() + rows * (row.size() + 1) + 48);
    for (int i = 0; i < rows; ++i) {
        if (i)
            sql += QLatin1Char(',');
        sql += row;
    }
    return sql + QStringLiteral(" ON CONFLICT (license_key) DO NOTHING");
}

QString optionalText(const std::optional<int>& v)
{
    return v ? QString::number(*v) : QStringLiteral("unlimited");
}

// Field-by-field differences for the audit trail.
QJsonObject diff(const LicenseKey& before, const LicenseKey& after)
{
    QJsonObject changes;
    auto note = [&](const char* field, const QJsonValue& from, const QJsonValue& to) {
        if (from != to)
            changes.insert(QLatin1String(field), QJsonObject{{QStringLiteral("from"), from}, {QStringLiteral("to"), to}});
    };
    auto time = [](const QDateTime& t) { return t.isValid() ? QJsonValue(t.toString(Qt::ISODate)) : QJsonValue(); };
    auto opt = [](const auto& v) { return v ? QJsonValue(qint64(*v)) : QJsonValue(); };
    note("status", keyStatusToString(before.status), keyStatusToString(after.status));
    note("customer_name", before.customerName, after.customerName);
    note("customer_email", before.customerEmail, after.customerEmail);
    note("notes", before.notes, after.notes);
    note("expires_at", time(before.expiresAt), time(after.expiresAt));
    note("max_domains", opt(before.maxDomains), opt(after.maxDomains));
    note("max_uuids", opt(before.maxUuids), opt(after.maxUuids));
    note("tokens", opt(before.tokenBalance), opt(after.tokenBalance));
    return changes;
}

} // namespace

KeyStore::KeyStore(StoreContext& context) : m_ctx(context) {}
KeyStore::~KeyStore() = default;

Result<std::vector<LicenseKey>> KeyStore::select(const QString& tail, const QVariantList& values) const
{
    auto q = m_ctx.db.exec(kSelect + tail, values);
    if (!q)
        return q.error();
    std::vector<LicenseKey> out;
    while (q->next())
        out.push_back(readKey(*q));
    return out;
}

Status KeyStore::loadActivations(LicenseKey& key) const
{
    auto q = m_ctx.db.exec(QStringLiteral("SELECT kind, value FROM activations WHERE key_id = ? ORDER BY first_seen_at, id"),
                           {key.id});
    if (!q)
        return q.error();
    key.domains.clear();
    key.uuids.clear();
    while (q->next()) {
        const QString kind = q->value(0).toString();
        (kind == QLatin1String("domain") ? key.domains : key.uuids) << q->value(1).toString();
    }
    return {};
}

Result<LicenseKey> KeyStore::find(const QString& key) const
{
    QString text = key;
    text.remove(QLatin1Char(' '));
    text = text.trimmed();
    QStringList candidates{text};
    if (text.toUpper() != text)
        candidates << text.toUpper();
    for (const QString& candidate : candidates) {
        auto r = select(QStringLiteral(" WHERE k.license_key = ?"), {candidate});
        if (!r)
            return r.error();
        if (!r->empty()) {
            LicenseKey found = r->front();
            if (Status s = loadActivations(found); !s)
                return s.error();
            return found;
        }
    }
    return makeError(ErrorKind::NotFound, QStringLiteral("There is no key %1.").arg(text));
}

Result<LicenseKey> KeyStore::findById(qint64 id) const
{
    auto r = select(QStringLiteral(" WHERE k.id = ?"), {id});
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorKind::NotFound, QStringLiteral("The key no longer exists."));
    LicenseKey found = r->front();
    if (Status s = loadActivations(found); !s)
        return s.error();
    return found;
}

Result<std::vector<LicenseKey>> KeyStore::page(const KeyFilter& filter, const KeySort& sort, qint64 offset,
                                               int limit) const
{
    KeyQuery::Fragment where = KeyQuery::where(filter, m_ctx.db.dialect(), m_ctx.now());
    where.values << limit << offset;
    return select(where.sql + KeyQuery::orderBy(sort) + QStringLiteral(" LIMIT ? OFFSET ?"), where.values);
}

Result<qint64> KeyStore::count(const KeyFilter& filter) const
{
    const KeyQuery::Fragment where = KeyQuery::where(filter, m_ctx.db.dialect(), m_ctx.now());
    return m_ctx.db.scalar(QStringLiteral("SELECT COUNT(*) FROM license_keys k") + where.sql, where.values);
}

Status KeyStore::forEach(const KeyFilter& filter, const std::function<Status(const LicenseKey&)>& visit) const
{
    const KeyQuery::Fragment where = KeyQuery::where(filter, m_ctx.db.dialect(), m_ctx.now());
    const QString tail = where.sql + (where.sql.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) +
                         QStringLiteral("k.id > ? ORDER BY k.id LIMIT 2000");
    qint64 last = 0;
    for (;;) {
        QVariantList values = where.values;
        values << last;
        auto chunk = select(tail, values);
        if (!chunk)
            return chunk.error();
        if (chunk->empty())
            return {};
        for (const LicenseKey& key : *chunk) {
            if (Status s = visit(key); !s)
                return s;
        }
        last = chunk->back().id;
    }
}

Result<std::vector<qint64>> KeyStore::resolve(const QStringList& keys) const
{
    std::vector<qint64> ids;
    QStringList missing;
    for (const QString& key : keys) {
        auto found = find(key);
        if (found)
            ids.push_back(found->id);
        else if (found.errorKind() == ErrorKind::NotFound)
            missing << key.trimmed();
        else
            return found.error();
    }
    if (!missing.isEmpty())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("%1 of the keys do not exist (%2). Nothing was changed.")
                             .arg(missing.size())
                             .arg(missing.mid(0, 5).join(QLatin1String(", "))));
    return ids;
}

Status KeyStore::validateEdit(const LicenseKey& key) const
{
    if (key.customerName.size() > 200)
        return makeError(ErrorKind::Invalid, QStringLiteral("The customer name is longer than 200 characters."));
    if (!validation::isValidEmail(key.customerEmail.trimmed()))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("\"%1\" is not a valid email address.").arg(key.customerEmail.trimmed()));
    if (key.notes.size() > 20000)
        return makeError(ErrorKind::Invalid, QStringLiteral("The notes are longer than 20,000 characters."));
    if ((key.maxDomains && *key.maxDomains < 0) || (key.maxUuids && *key.maxUuids < 0))
        return makeError(ErrorKind::Invalid, QStringLiteral("Maximum domains and UUIDs cannot be negative."));
    if (key.tokenBalance && *key.tokenBalance < 0)
        return makeError(ErrorKind::Invalid, QStringLiteral("The token balance cannot be negative."));
    return {};
}

Result<LicenseKey> KeyStore::create(qint64 productId, const NewKey& key)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto inserted = insertBatch(productId, {key}, m_ctx.now());
    if (!inserted)
        return inserted.error();
    if (*inserted == 0)
        return makeError(ErrorKind::Conflict, QStringLiteral("The key %1 already exists.").arg(key.key));
    auto created = find(key.key);
    if (!created)
        return created.error();
    if (Status s = m_ctx.audit.record(m_ctx.now(), m_ctx.actor, QStringLiteral("key.create"), QStringLiteral("key"),
                                      QString::number(created->id), {{QStringLiteral("key"), created->key}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return created;
}

Status KeyStore::update(const LicenseKey& key)
{
    if (Status s = validateEdit(key); !s)
        return s;
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto before = findById(key.id);
    if (!before)
        return before.error();
    if (before->inTrash())
        return makeError(ErrorKind::Conflict, QStringLiteral("The key is in the trash; restore it before editing."));
    if (key.status == KeyStatus::Revoked && before->status != KeyStatus::Revoked)
        return makeError(ErrorKind::Invalid, QStringLiteral("Revoke a key with a reason (refund, chargeback, abuse or "
                                                            "other) instead of setting its status."));
    if (key.maxDomains && *key.maxDomains < before->domains.size())
        return makeError(ErrorKind::LimitReached,
                         QStringLiteral("%1 domains are bound to this key; remove some before lowering the maximum to %2.")
                             .arg(before->domains.size())
                             .arg(optionalText(key.maxDomains)));
    if (key.maxUuids && *key.maxUuids < before->uuids.size())
        return makeError(ErrorKind::LimitReached,
                         QStringLiteral("%1 devices are bound to this key; remove some before lowering the maximum to %2.")
                             .arg(before->uuids.size())
                             .arg(optionalText(key.maxUuids)));

    LicenseKey after = *before;
    after.status = key.status;
    after.customerName = key.customerName.trimmed();
    after.customerEmail = key.customerEmail.trimmed();
    after.notes = key.notes;
    after.expiresAt = key.expiresAt;
    after.maxDomains = key.maxDomains;
    after.maxUuids = key.maxUuids;
    after.tokenBalance = key.tokenBalance;
    const bool reinstated = before->status == KeyStatus::Revoked && after.status != KeyStatus::Revoked;
    const QJsonObject changes = diff(*before, after);
    if (changes.isEmpty())
        return {};

    const QDateTime now = m_ctx.now();
    auto q = m_ctx.db.exec(
        QStringLiteral("UPDATE license_keys SET status = ?, customer_name = ?, customer_email = ?, notes = ?, "
                       "expires_at = ?, max_domains = ?, max_uuids = ?, token_balance = ?, updated_at = ?%1 "
                       "WHERE id = ?")
            .arg(reinstated ? QStringLiteral(", revoke_reason = NULL, revoked_at = NULL") : QString()),
        {keyStatusToString(after.status), sql::text(after.customerName), sql::text(after.customerEmail),
         sql::text(after.notes),
         sql::time(after.expiresAt), sql::optional(after.maxDomains), sql::optional(after.maxUuids),
         sql::optional(after.tokenBalance), sql::time(now), after.id});
    if (!q)
        return q.error();
    QJsonObject detail{{QStringLiteral("key"), after.key}, {QStringLiteral("changes"), changes}};
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, reinstated ? QStringLiteral("key.reinstate") : QStringLiteral("key.update"),
                                      QStringLiteral("key"), QString::number(after.id), detail);
        !s)
        return s;
    return tx.commit();
}

Status KeyStore::revoke(qint64 id, RevokeReason reason, const QString& note)
{
    if (reason == RevokeReason::None)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("Give a reason to revoke a key: refund, chargeback, abuse or other."));
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto key = findById(id);
    if (!key)
        return key.error();
    if (key->inTrash())
        return makeError(ErrorKind::Conflict, QStringLiteral("The key is in the trash; restore it before revoking."));
    if (key->status == KeyStatus::Revoked)
        return makeError(ErrorKind::Conflict, QStringLiteral("The key %1 is already revoked.").arg(key->key));
    const QDateTime now = m_ctx.now();
    auto q = m_ctx.db.exec(QStringLiteral("UPDATE license_keys SET status = 'revoked', revoke_reason = ?, revoked_at = ?, "
                                          "updated_at = ? WHERE id = ?"),
                           {revokeReasonToString(reason), sql::time(now), sql::time(now), id});
    if (!q)
        return q.error();
    QJsonObject detail{{QStringLiteral("key"), key->key},
                       {QStringLiteral("reason"), revokeReasonToString(reason)},
                       {QStringLiteral("previous_status"), keyStatusToString(key->status)}};
    if (!note.trimmed().isEmpty())
        detail.insert(QStringLiteral("note"), note.trimmed());
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("key.revoke"), QStringLiteral("key"),
                                      QString::number(id), detail);
        !s)
        return s;
    return tx.commit();
}

// Runs `change` on the keys among ids that are in the given trash state, a chunk at a time, and
// audits each changed key. Returns how many keys changed.
Result<qint64> KeyStore::changeKeys(const std::vector<qint64>& ids, bool inTrash, const QString& action,
                                    const QString& change)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    const QDateTime now = m_ctx.now();
    const QString state = inTrash ? QStringLiteral("deleted_at IS NOT NULL") : QStringLiteral("deleted_at IS NULL");
    qint64 changed = 0;
    for (size_t start = 0; start < ids.size(); start += kIdChunk) {
        const size_t end = std::min(ids.size(), start + kIdChunk);
        QVariantList idValues;
        for (size_t i = start; i < end; ++i)
            idValues << ids[i];
        const QString where = QStringLiteral(" WHERE %1 AND id IN (%2)").arg(state, placeholders(int(end - start)));
        auto affected = m_ctx.db.exec(QStringLiteral("SELECT id, license_key FROM license_keys") + where, idValues);
        if (!affected)
            return affected.error();
        std::vector<AuditLog::Item> items;
        while (affected->next())
            items.push_back({affected->value(0).toString(), {{QStringLiteral("key"), affected->value(1).toString()}}});
        affected->finish();
        if (items.empty())
            continue;
        QVariantList values;
        for (qsizetype i = 0; i < change.count(QLatin1Char('?')); ++i)
            values << sql::time(now); // the change's own values are all "now"
        values << idValues;
        auto q = m_ctx.db.exec(change + where, values);
        if (!q)
            return q.error();
        changed += q->numRowsAffected();
        if (Status s = m_ctx.audit.recordMany(now, m_ctx.actor, action, QStringLiteral("key"), items); !s)
            return s.error();
    }
    if (Status s = tx.commit(); !s)
        return s.error();
    return changed;
}

Result<qint64> KeyStore::moveToTrash(const std::vector<qint64>& ids)
{
    return changeKeys(ids, false, QStringLiteral("key.trash"),
                      QStringLiteral("UPDATE license_keys SET deleted_at = ?, updated_at = ?"));
}

Result<qint64> KeyStore::restore(const std::vector<qint64>& ids)
{
    return changeKeys(ids, true, QStringLiteral("key.restore"),
                      QStringLiteral("UPDATE license_keys SET deleted_at = NULL, updated_at = ?"));
}

Result<qint64> KeyStore::purge(const std::vector<qint64>& ids)
{
    return changeKeys(ids, true, QStringLiteral("key.purge"), QStringLiteral("DELETE FROM license_keys"));
}

Result<int> KeyStore::insertBatch(qint64 productId, const std::vector<NewKey>& keys, const QDateTime& now)
{
    if (keys.empty())
        return 0;
    if (keys.size() > size_t(kInsertBatchRows))
        return makeError(ErrorKind::Internal, QStringLiteral("Too many keys in one insert batch."));

    const int rows = int(keys.size());
    QSqlQuery local(m_ctx.db.connection());
    QSqlQuery* query = &local;
    if (rows == kInsertBatchRows) {
        if (!m_batchInsert) {
            m_batchInsert = std::make_unique<QSqlQuery>(m_ctx.db.connection());
            if (!m_batchInsert->prepare(insertSql(rows))) {
                const QSqlError error = m_batchInsert->lastError();
                m_batchInsert.reset();
                return m_ctx.db.translate(error, QStringLiteral("preparing the key insert"));
            }
        }
        query = m_batchInsert.get();
    } else if (!local.prepare(insertSql(rows))) {
        return m_ctx.db.translate(local.lastError(), QStringLiteral("preparing the key insert"));
    }

    const QVariant nowMs = sql::time(now);
    int index = 0;
    for (const NewKey& k : keys) {
        query->bindValue(index++, productId);
        query->bindValue(index++, k.key);
        query->bindValue(index++, keyStatusToString(k.status));
        query->bindValue(index++, sql::text(k.customerName));
        query->bindValue(index++, sql::text(k.customerEmail));
        query->bindValue(index++, sql::text(k.notes));
        query->bindValue(index++, nowMs);
        query->bindValue(index++, nowMs);
        query->bindValue(index++, sql::time(k.expiresAt));
        query->bindValue(index++, sql::optional(k.maxDomains));
        query->bindValue(index++, sql::optional(k.maxUuids));
        query->bindValue(index++, sql::optional(k.tokenBalance));
    }
    if (!query->exec())
        return m_ctx.db.translate(query->lastError(), QStringLiteral("inserting keys"));
    const int inserted = query->numRowsAffected();
    query->finish();
    return inserted;
}

} // namespace keyward
