#include "KeyStore.h"

#include "AuditLog.h"
#include "Database.h"
#include "SqlValues.h"
#include "SqliteKeyInserter.h"
#include "SqliteKeysetScan.h"
#include "StoreContext.h"
#include "Validation.h"

#include <QHash>
#include <QSet>

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlError>
#include <algorithm>

namespace keyward {
namespace {

const QString kSelect = QStringLiteral(
    "SELECT k.id, k.product_id, p.name, k.license_key, k.status, k.customer_name, k.customer_email, k.notes, "
    "k.created_at, k.updated_at, k.expires_at, k.max_domains, k.max_uuids, k.token_balance, k.revoke_reason, "
    "k.revoked_at, k.deleted_at FROM license_keys k JOIN products p ON p.id = k.product_id");

const QString kInsertColumns = QStringLiteral(
    "INSERT INTO license_keys (product_id, license_key, status, customer_name, customer_email, notes, "
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
    // No conflict target: the key's unique index is the only one a new row can hit, and an import
    // may have dropped it for the time being (KeyImport), when a target would not compile.
    return sql + QStringLiteral(" ON CONFLICT DO NOTHING");
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
            changes.insert(QLatin1String(field),
                           QJsonObject{{QStringLiteral("from"), from}, {QStringLiteral("to"), to}});
    };
    auto time = [](const QDateTime& t) {
        return t.isValid() ? QJsonValue(t.toString(Qt::ISODate)) : QJsonValue();
    };
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
    auto q = m_ctx.db.exec(
        QStringLiteral("SELECT kind, value FROM activations WHERE key_id = ? ORDER BY first_seen_at, id"),
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

Result<std::vector<LicenseKey>> KeyStore::page(const KeyFilter& filter, const KeySort& sort, qint64 offset,
                                               int limit, qint64 total) const
{
    if (offset * 2 <= total || offset >= total)
        return page(filter, sort, offset, limit);
    const qint64 end = std::min(total, offset + limit);
    const KeySort reversed{sort.column,
                           sort.order == Qt::AscendingOrder ? Qt::DescendingOrder : Qt::AscendingOrder};
    auto rows = page(filter, reversed, total - end, int(end - offset));
    if (!rows)
        return rows.error();
    std::reverse(rows->begin(), rows->end());
    return rows;
}

namespace {

QString withTerms(QString where, const QStringList& terms)
{
    if (terms.isEmpty())
        return where;
    return where + (where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) +
           terms.join(QLatin1String(" AND "));
}

} // namespace

Result<std::vector<LicenseKey>> KeyStore::readSegment(const KeyQuery::Fragment& base, const KeySort& sort,
                                                      const KeysetIndex& index,
                                                      const KeysetIndex::Segment& segment) const
{
    const QString column = KeyQuery::sortExpression(sort.column);
    const QString cmp = sort.order == Qt::AscendingOrder ? QStringLiteral(">") : QStringLiteral("<");
    QStringList terms;
    if (KeyQuery::nullable(sort.column) && index.nullRows > 0)
        terms << column + (segment.nullBlock ? QStringLiteral(" IS NULL") : QStringLiteral(" IS NOT NULL"));
    const bool byIdOnly = segment.nullBlock || sort.column == KeyColumn::Id;
    const QString order = segment.nullBlock ? KeyQuery::orderByIdOnly(sort.order) : KeyQuery::orderBy(sort);
    auto read = [&](const QStringList& more, const QVariantList& moreValues, qint64 limit, qint64 skip) {
        QVariantList values = base.values;
        values << moreValues << limit << skip;
        return select(withTerms(base.sql, terms + more) + order + QStringLiteral(" LIMIT ? OFFSET ?"),
                      values);
    };
    if (segment.checkpoint < 0)
        return read({}, {}, segment.count, segment.skip);
    const qint64 id = index.ids[size_t(segment.checkpoint)];
    if (byIdOnly)
        return read({QStringLiteral("k.id ") + cmp + QStringLiteral(" ?")}, {id}, segment.count,
                    segment.skip);

    // After the checkpoint (v, id): first the rest of the rows equal to v, then those past v. SQLite
    // seeks a row value "(c, id) > (v, id)" on c alone and then walks every row equal to v, which
    // for a million keys created in one run takes longer than the page; two plain seeks do not.
    const QVariant v = index.values[size_t(segment.checkpoint)];
    const QString pastV = column + QLatin1Char(' ') + cmp + QStringLiteral(" ?");
    if (sort.column == KeyColumn::Key) // unique: nothing ties with the checkpoint
        return read({pastV}, {v}, segment.count, segment.skip);
    const QStringList equal{column + QStringLiteral(" = ?"),
                            QStringLiteral("k.id ") + cmp + QStringLiteral(" ?")};
    auto tie = read(equal, {v, id}, segment.count, segment.skip);
    if (!tie)
        return tie.error();
    if (qint64(tie->size()) == segment.count)
        return tie;
    // How many tied rows there were after the checkpoint: all of them were skipped or read.
    qint64 tied = segment.skip + qint64(tie->size());
    if (tie->empty()) {
        QVariantList values = base.values;
        values << v << id << segment.skip;
        auto n = m_ctx.db.scalar(
            QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM license_keys k JOIN products p ON "
                           "p.id = k.product_id") +
                withTerms(base.sql, terms + equal) + QStringLiteral(" LIMIT ?) t"),
            values);
        if (!n)
            return n.error();
        tied = *n;
    }
    auto past =
        read({pastV}, {v}, segment.count - qint64(tie->size()), std::max<qint64>(0, segment.skip - tied));
    if (!past)
        return past.error();
    tie->insert(tie->end(), std::make_move_iterator(past->begin()), std::make_move_iterator(past->end()));
    return tie;
}

Result<std::vector<LicenseKey>> KeyStore::page(const KeyFilter& filter, const KeySort& sort, qint64 offset,
                                               int limit, const KeysetIndex& index) const
{
    const KeyQuery::Fragment where = KeyQuery::where(filter, m_ctx.db.dialect(), m_ctx.now());
    std::vector<LicenseKey> out;
    for (const KeysetIndex::Segment& segment : index.plan(offset, limit)) {
        auto rows = readSegment(where, sort, index, segment);
        if (!rows)
            return rows.error();
        out.insert(out.end(), std::make_move_iterator(rows->begin()), std::make_move_iterator(rows->end()));
    }
    return out;
}

Result<KeysetIndex> KeyStore::buildKeysetIndex(const KeyFilter& filter, const KeySort& sort,
                                               const JobControl& control) const
{
    const KeyQuery::Fragment where = KeyQuery::where(filter, m_ctx.db.dialect(), m_ctx.now());
    const QString join = sort.column == KeyColumn::Product
                             ? QStringLiteral(" JOIN products p ON p.id = k.product_id")
                             : QString();
    const QString sql =
        QStringLiteral("SELECT %1, k.id FROM license_keys k").arg(KeyQuery::sortExpression(sort.column)) +
        join + where.sql + KeyQuery::orderBy(sort);
    KeysetIndex index;
    index.signature = KeysetIndex::signatureOf(filter, sort);
    // SQLite sorts NULL below every value, PostgreSQL above.
    index.nullsFirst = m_ctx.db.isSqlite() == (sort.order == Qt::AscendingOrder);
    if (auto fast = SqliteKeysetScan::run(m_ctx.db, sql, where.values, index, control))
        return std::move(*fast);

    QSqlQuery q(m_ctx.db.connection());
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return m_ctx.db.translate(q.lastError(), QStringLiteral("preparing the key index"));
    for (const QVariant& v : where.values)
        q.addBindValue(v);
    if (!q.exec())
        return m_ctx.db.translate(q.lastError(), QStringLiteral("reading the key index"));
    qint64 row = 0;
    while (q.next()) {
        if ((row & 0xFFFF) == 0 && control.cancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("Indexing the keys was cancelled."));
        const QVariant value = q.value(0);
        if (value.isNull())
            ++index.nullRows;
        if ((row + 1) % KeysetIndex::kStride == 0) {
            index.values.push_back(value);
            index.ids.push_back(q.value(1).toLongLong());
        }
        ++row;
    }
    if (q.lastError().isValid())
        return m_ctx.db.translate(q.lastError(), QStringLiteral("reading the key index"));
    index.rowCount = row;
    return index;
}

Result<qint64> KeyStore::count(const KeyFilter& filter) const
{
    const KeyQuery::Fragment where = KeyQuery::where(filter, m_ctx.db.dialect(), m_ctx.now());
    return m_ctx.db.scalar(QStringLiteral("SELECT COUNT(*) FROM license_keys k") + where.sql, where.values);
}

Status KeyStore::forEach(const KeyFilter& filter, const std::function<Status(const LicenseKey&)>& visit) const
{
    const KeyQuery::Fragment where = KeyQuery::where(filter, m_ctx.db.dialect(), m_ctx.now());
    const QString tail = where.sql +
                         (where.sql.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ")) +
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
    // In chunks, as typed and upper-cased (keys of case-insensitive formats are stored upper-case).
    std::vector<qint64> ids;
    ids.reserve(size_t(keys.size()));
    QStringList missing;
    qint64 missingCount = 0;
    const QString sql = QStringLiteral("SELECT license_key, id FROM license_keys WHERE license_key IN (%1)")
                            .arg(m_ctx.db.listSql(false));
    for (qsizetype start = 0; start < keys.size(); start += 5000) {
        const QStringList chunk = keys.mid(start, 5000);
        QStringList values;
        QStringList typed;
        for (const QString& key : chunk) {
            QString text = key;
            text.remove(QLatin1Char(' '));
            text = text.trimmed();
            typed << text;
            values << text;
            if (text.toUpper() != text)
                values << text.toUpper();
        }
        auto q = m_ctx.db.exec(sql, {Database::jsonList(values)});
        if (!q)
            return q.error();
        QHash<QString, qint64> found;
        while (q->next())
            found.insert(q->value(0).toString(), q->value(1).toLongLong());
        for (const QString& text : typed) {
            const qint64 id = found.value(text, found.value(text.toUpper(), 0));
            if (id > 0) {
                ids.push_back(id);
            } else {
                ++missingCount;
                if (missing.size() < 5)
                    missing << text;
            }
        }
    }
    if (missingCount > 0)
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("%1 of the keys do not exist (%2). Nothing was changed.")
                             .arg(missingCount)
                             .arg(missing.join(QLatin1String(", "))));
    return ids;
}

Status KeyStore::forEach(const std::vector<qint64>& ids,
                         const std::function<Status(const LicenseKey&)>& visit) const
{
    const QString tail = QStringLiteral(" WHERE k.id IN (%1)").arg(m_ctx.db.listSql(true));
    constexpr size_t kChunk = 2000;
    for (size_t start = 0; start < ids.size(); start += kChunk) {
        const size_t end = std::min(ids.size(), start + kChunk);
        auto chunk = select(tail, {Database::jsonList(ids, start, end)});
        if (!chunk)
            return chunk.error();
        QHash<qint64, size_t> at;
        for (size_t i = 0; i < chunk->size(); ++i)
            at.insert((*chunk)[i].id, i);
        for (size_t i = start; i < end; ++i) {
            const auto it = at.constFind(ids[i]);
            if (it == at.constEnd())
                continue;
            if (Status s = visit((*chunk)[*it]); !s)
                return s;
        }
    }
    return {};
}

Result<std::vector<qint64>> KeyStore::ids(const KeyFilter& filter) const
{
    const KeyQuery::Fragment where = KeyQuery::where(filter, m_ctx.db.dialect(), m_ctx.now());
    auto q = m_ctx.db.exec(QStringLiteral("SELECT k.id FROM license_keys k") + where.sql +
                               QStringLiteral(" ORDER BY k.id"),
                           where.values);
    if (!q)
        return q.error();
    std::vector<qint64> out;
    while (q->next())
        out.push_back(q->value(0).toLongLong());
    return out;
}

Result<std::vector<qint64>> KeyStore::liveAmong(const std::vector<qint64>& ids) const
{
    const QString sql = QStringLiteral("SELECT id FROM license_keys WHERE id IN (%1) AND deleted_at IS NULL")
                            .arg(m_ctx.db.listSql(true));
    constexpr size_t kChunk = 20000;
    QSet<qint64> live;
    for (size_t start = 0; start < ids.size(); start += kChunk) {
        auto q = m_ctx.db.exec(sql, {Database::jsonList(ids, start, std::min(ids.size(), start + kChunk))});
        if (!q)
            return q.error();
        while (q->next())
            live.insert(q->value(0).toLongLong());
    }
    std::vector<qint64> out;
    out.reserve(size_t(live.size()));
    for (qint64 id : ids) {
        if (live.remove(id)) // each once, in the order given
            out.push_back(id);
    }
    return out;
}

namespace {

// Live keys that are active (not expired) and have at least one bound domain or device.
KeyQuery::Fragment activeInUse(KeyFilter filter, SqlDialect dialect, const QDateTime& now)
{
    filter.scope = KeyFilter::Scope::Live;
    filter.status = KeyStatus::Active;
    KeyQuery::Fragment where = KeyQuery::where(filter, dialect, now);
    where.sql += QStringLiteral(" AND EXISTS (SELECT 1 FROM activations a WHERE a.key_id = k.id)");
    return where;
}

} // namespace

Result<qint64> KeyStore::countActiveWithActivations(const KeyFilter& filter) const
{
    if (filter.status && *filter.status != KeyStatus::Active)
        return qint64(0);
    const KeyQuery::Fragment where = activeInUse(filter, m_ctx.db.dialect(), m_ctx.now());
    return m_ctx.db.scalar(QStringLiteral("SELECT COUNT(*) FROM license_keys k") + where.sql, where.values);
}

Result<qint64> KeyStore::countActiveWithActivations(const std::vector<qint64>& ids) const
{
    KeyQuery::Fragment where = activeInUse(KeyFilter{}, m_ctx.db.dialect(), m_ctx.now());
    const QString sql = QStringLiteral("SELECT COUNT(*) FROM license_keys k") + where.sql +
                        QStringLiteral(" AND k.id IN (%1)").arg(m_ctx.db.listSql(true));
    constexpr size_t kChunk = 20000;
    std::vector<qint64> unique = ids;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    qint64 total = 0;
    for (size_t start = 0; start < unique.size(); start += kChunk) {
        QVariantList values = where.values;
        values << Database::jsonList(unique, start, std::min(unique.size(), start + kChunk));
        auto n = m_ctx.db.scalar(sql, values);
        if (!n)
            return n.error();
        total += *n;
    }
    return total;
}

Status KeyStore::validateEdit(const LicenseKey& key) const
{
    if (key.customerName.size() > 200)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("The customer name is longer than 200 characters."));
    if (!validation::isValidEmail(key.customerEmail.trimmed()))
        return makeError(
            ErrorKind::Invalid,
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
    if (Status s =
            m_ctx.audit.record(m_ctx.now(), m_ctx.actor, QStringLiteral("key.create"), QStringLiteral("key"),
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
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("The key is in the trash; restore it before editing."));
    if (key.status == KeyStatus::Revoked && before->status != KeyStatus::Revoked)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("Revoke a key with a reason (refund, chargeback, abuse or "
                                        "other) instead of setting its status."));
    if (key.maxDomains && *key.maxDomains < before->domains.size())
        return makeError(
            ErrorKind::LimitReached,
            QStringLiteral("%1 domains are bound to this key; remove some before lowering the maximum to %2.")
                .arg(before->domains.size())
                .arg(optionalText(key.maxDomains)));
    if (key.maxUuids && *key.maxUuids < before->uuids.size())
        return makeError(
            ErrorKind::LimitReached,
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
        QStringLiteral(
            "UPDATE license_keys SET status = ?, customer_name = ?, customer_email = ?, notes = ?, "
            "expires_at = ?, max_domains = ?, max_uuids = ?, token_balance = ?, updated_at = ?%1 "
            "WHERE id = ?")
            .arg(reinstated ? QStringLiteral(", revoke_reason = NULL, revoked_at = NULL") : QString()),
        {keyStatusToString(after.status), sql::text(after.customerName), sql::text(after.customerEmail),
         sql::text(after.notes), sql::time(after.expiresAt), sql::optional(after.maxDomains),
         sql::optional(after.maxUuids), sql::optional(after.tokenBalance), sql::time(now), after.id});
    if (!q)
        return q.error();
    QJsonObject detail{{QStringLiteral("key"), after.key}, {QStringLiteral("changes"), changes}};
    if (Status s = m_ctx.audit.record(
            now, m_ctx.actor, reinstated ? QStringLiteral("key.reinstate") : QStringLiteral("key.update"),
            QStringLiteral("key"), QString::number(after.id), detail);
        !s)
        return s;
    return tx.commit();
}

Status KeyStore::save(const KeyEdit& edit)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    const qint64 id = edit.key.id;
    for (const QString& domain : edit.removeDomains) {
        if (Status s = deactivate(id, ActivationKind::Domain, domain); !s)
            return s;
    }
    for (const QString& uuid : edit.removeUuids) {
        if (Status s = deactivate(id, ActivationKind::Uuid, uuid); !s)
            return s;
    }
    LicenseKey fields = edit.key;
    if (edit.keepTokenBalance) {
        auto stored = findById(id);
        if (!stored)
            return stored.error();
        fields.tokenBalance = stored->tokenBalance;
    }
    if (Status s = update(fields); !s)
        return s;
    for (const QString& domain : edit.addDomains) {
        if (auto a = activate(id, ActivationKind::Domain, domain); !a)
            return a.error();
    }
    for (const QString& uuid : edit.addUuids) {
        if (auto a = activate(id, ActivationKind::Uuid, uuid); !a)
            return a.error();
    }
    return tx.commit();
}

Status KeyStore::revoke(qint64 id, RevokeReason reason, const QString& note)
{
    if (reason == RevokeReason::None)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("Give a reason to revoke a key: refund, chargeback, abuse or other."));
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto key = findById(id);
    if (!key)
        return key.error();
    if (key->inTrash())
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("The key is in the trash; restore it before revoking."));
    if (key->status == KeyStatus::Revoked)
        return makeError(ErrorKind::Conflict, QStringLiteral("The key %1 is already revoked.").arg(key->key));
    const QDateTime now = m_ctx.now();
    auto q = m_ctx.db.exec(
        QStringLiteral("UPDATE license_keys SET status = 'revoked', revoke_reason = ?, revoked_at = ?, "
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

// Puts ids into the connection's temporary selection table, so that set-based statements can
// work on any number of keys.
Status KeyStore::loadSelection(const std::vector<qint64>& ids)
{
    Database& db = m_ctx.db;
    if (auto r =
            db.exec(QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS kw_selection (id BIGINT PRIMARY KEY)"));
        !r)
        return r.error();
    if (auto r = db.exec(QStringLiteral("DELETE FROM kw_selection")); !r)
        return r.error();
    // "WHERE true": SQLite needs it to tell ON CONFLICT from a join constraint after a SELECT.
    const QString insert =
        QStringLiteral("INSERT INTO kw_selection (id) %1 WHERE true ON CONFLICT DO NOTHING")
            .arg(db.listSql(true));
    constexpr size_t kChunk = 20000;
    for (size_t start = 0; start < ids.size(); start += kChunk) {
        const size_t end = std::min(ids.size(), start + kChunk);
        if (auto r = db.exec(insert, {Database::jsonList(ids, start, end)}); !r)
            return r.error();
    }
    return {};
}

// Applies `change` (an UPDATE or DELETE of license_keys) to the keys matching `where` (over
// "license_keys k"), set-based: a few statements whatever the number of keys. Returns how many
// keys changed. One audit entry for the whole change (or group), the keys it touched listed in
// audit_keys (migration 4): a million keys cost a narrow row each instead of a JSON entry with two
// index entries. A key deleted forever keeps its text there, since its own row is gone.
Result<qint64> KeyStore::changeMatching(const KeyQuery::Fragment& where, const QString& action,
                                        const QString& change, AuditGroup* group)
{
    Database& db = m_ctx.db;
    const QDateTime now = m_ctx.now();
    AuditGroup single;
    AuditGroup& entry = group ? *group : single;
    const bool newEntry = entry.entryId == 0;
    if (newEntry) {
        auto id =
            db.scalar(QStringLiteral("INSERT INTO audit_log (at, actor, action, object_type, object_id, "
                                     "detail) VALUES (?, ?, ?, 'key', '', '') RETURNING id"),
                      {sql::time(now), m_ctx.actor, action});
        if (!id)
            return id.error();
        entry.entryId = *id;
    }
    const bool forgetsKeys = action == QLatin1String("key.purge");
    QVariantList listValues{entry.entryId};
    listValues << where.values;
    auto listed =
        db.exec(QStringLiteral("INSERT INTO audit_keys (key_id, audit_id, key_text) SELECT k.id, ?, "
                               "%1 FROM license_keys k")
                        .arg(forgetsKeys ? QStringLiteral("k.license_key") : QStringLiteral("NULL")) +
                    where.sql,
                listValues);
    if (!listed)
        return listed.error();
    const qint64 count = listed->numRowsAffected();
    if (count == 0) {
        if (!newEntry)
            return qint64(0);
        entry.entryId = 0;
        auto removed = db.exec(QStringLiteral("DELETE FROM audit_log WHERE id = ?"), {listValues.front()});
        return removed ? Result<qint64>(0) : Result<qint64>(removed.error());
    }
    entry.keys += count;

    QVariantList values;
    for (qsizetype i = 0; i < change.count(QLatin1Char('?')); ++i)
        values << sql::time(now); // the change's own values are all "now"
    values << where.values;
    auto q = db.exec(change + QStringLiteral(" WHERE id IN (SELECT k.id FROM license_keys k") + where.sql +
                         QLatin1Char(')'),
                     values);
    if (!q)
        return q.error();
    const qint64 changed = q->numRowsAffected(); // read now: SQLite answers for the latest statement
    // A single key's entry names it, as the other single-key actions do.
    QString objectId;
    if (entry.keys == 1) {
        auto only =
            db.scalar(QStringLiteral("SELECT key_id FROM audit_keys WHERE audit_id = ?"), {entry.entryId});
        if (!only)
            return only.error();
        objectId = QString::number(*only);
    }
    const QString detail = QStringLiteral("{\"count\":%1}").arg(entry.keys);
    auto described = db.exec(QStringLiteral("UPDATE audit_log SET object_id = ?, detail = ? WHERE id = ?"),
                             {sql::text(objectId), detail, entry.entryId});
    if (!described)
        return described.error();
    return changed;
}

Result<qint64> KeyStore::changeKeys(const std::vector<qint64>& ids, bool inTrash, const QString& action,
                                    const QString& change, AuditGroup* group)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    if (Status s = loadSelection(ids); !s)
        return s.error();
    KeyQuery::Fragment where;
    where.sql = QStringLiteral(" WHERE k.id IN (SELECT id FROM kw_selection) AND k.deleted_at IS %1NULL")
                    .arg(inTrash ? QStringLiteral("NOT ") : QString());
    auto changed = changeMatching(where, action, change, group);
    if (!changed)
        return changed.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return changed;
}

Result<qint64> KeyStore::moveToTrash(const KeyFilter& filter, std::optional<IdRange> ids, AuditGroup* group)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    KeyFilter live = filter;
    live.scope = KeyFilter::Scope::Live;
    KeyQuery::Fragment where = KeyQuery::where(live, m_ctx.db.dialect(), m_ctx.now());
    if (ids) {
        where.sql += (where.sql.isEmpty() ? QStringLiteral(" WHERE") : QStringLiteral(" AND")) +
                     QStringLiteral(" k.id BETWEEN ? AND ?");
        where.values << ids->first << ids->last;
    }
    auto changed =
        changeMatching(where, QStringLiteral("key.trash"),
                       QStringLiteral("UPDATE license_keys SET deleted_at = ?, updated_at = ?"), group);
    if (!changed)
        return changed.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return changed;
}

Result<qint64> KeyStore::moveToTrash(const std::vector<qint64>& ids, AuditGroup* group)
{
    return changeKeys(ids, false, QStringLiteral("key.trash"),
                      QStringLiteral("UPDATE license_keys SET deleted_at = ?, updated_at = ?"), group);
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

Status KeyStore::lockKey(qint64 keyId) const
{
    // SQLite's write transaction already serialises writers; PostgreSQL needs the row lock so
    // that two activations cannot both see room for one more.
    if (m_ctx.db.isSqlite())
        return {};
    auto q = m_ctx.db.exec(QStringLiteral("SELECT id FROM license_keys WHERE id = ? FOR UPDATE"), {keyId});
    if (!q)
        return q.error();
    return {};
}

Result<std::vector<Activation>> KeyStore::activations(qint64 keyId) const
{
    auto q = m_ctx.db.exec(
        QStringLiteral("SELECT id, key_id, kind, value, first_seen_at, last_seen_at, last_ip FROM "
                       "activations WHERE key_id = ? ORDER BY first_seen_at, id"),
        {keyId});
    if (!q)
        return q.error();
    std::vector<Activation> out;
    while (q->next()) {
        Activation a;
        a.id = q->value(0).toLongLong();
        a.keyId = q->value(1).toLongLong();
        a.kind = activationKindFromString(q->value(2).toString()).value_or(ActivationKind::Domain);
        a.value = q->value(3).toString();
        a.firstSeenAt = sql::toTime(q->value(4));
        a.lastSeenAt = sql::toTime(q->value(5));
        a.lastIp = q->value(6).toString();
        out.push_back(std::move(a));
    }
    return out;
}

namespace {

Result<QString> normalizedActivation(ActivationKind kind, const QString& value)
{
    if (kind == ActivationKind::Domain) {
        if (!validation::isValidDomain(value))
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("\"%1\" is not a domain name.").arg(value.trimmed()));
        return validation::normalizeDomain(value);
    }
    if (!validation::isValidUuid(value))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("\"%1\" is not a device UUID.").arg(value.trimmed()));
    return validation::normalizeUuid(value);
}

} // namespace

Result<Activation> KeyStore::activate(qint64 keyId, ActivationKind kind, const QString& rawValue,
                                      const QString& ip, Audit audit)
{
    auto value = normalizedActivation(kind, rawValue);
    if (!value)
        return value.error();
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    if (Status s = lockKey(keyId); !s)
        return s.error();
    auto key = findById(keyId);
    if (!key)
        return key.error();
    if (key->inTrash())
        return makeError(ErrorKind::Conflict, QStringLiteral("The key is in the trash."));
    const QDateTime now = m_ctx.now();
    const QString kindText = activationKindToString(kind);
    const QStringList& bound = kind == ActivationKind::Domain ? key->domains : key->uuids;
    if (bound.contains(*value)) {
        auto q = m_ctx.db.exec(
            QStringLiteral("UPDATE activations SET last_seen_at = ?, last_ip = ? WHERE key_id = ? AND "
                           "kind = ? AND value = ?"),
            {sql::time(now), sql::text(ip), keyId, kindText, *value});
        if (!q)
            return q.error();
    } else {
        const std::optional<int>& maximum = kind == ActivationKind::Domain ? key->maxDomains : key->maxUuids;
        if (maximum && bound.size() >= *maximum)
            return makeError(
                ErrorKind::LimitReached,
                QStringLiteral("The key is already bound to %1 %2 (its maximum); free one first.")
                    .arg(bound.size())
                    .arg(kind == ActivationKind::Domain ? QStringLiteral("domain(s)")
                                                        : QStringLiteral("device(s)")));
        auto q = m_ctx.db.exec(
            QStringLiteral("INSERT INTO activations (key_id, kind, value, first_seen_at, last_seen_at, "
                           "last_ip) VALUES (?, ?, ?, ?, ?, ?)"),
            {keyId, kindText, *value, sql::time(now), sql::time(now), sql::text(ip)});
        if (!q)
            return q.error();
        if (audit == Audit::Yes) {
            if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("key.activate"),
                                              QStringLiteral("key"), QString::number(keyId),
                                              {{QStringLiteral("key"), key->key}, {kindText, *value}});
                !s)
                return s.error();
        }
    }
    if (Status s = tx.commit(); !s)
        return s.error();
    auto all = activations(keyId);
    if (!all)
        return all.error();
    for (const Activation& a : *all) {
        if (a.kind == kind && a.value == *value)
            return a;
    }
    return makeError(ErrorKind::Internal, QStringLiteral("The activation was not stored."));
}

Status KeyStore::deactivate(qint64 keyId, ActivationKind kind, const QString& rawValue, Audit audit)
{
    const QString value = kind == ActivationKind::Domain ? validation::normalizeDomain(rawValue)
                                                         : validation::normalizeUuid(rawValue);
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto key = findById(keyId);
    if (!key)
        return key.error();
    auto q =
        m_ctx.db.exec(QStringLiteral("DELETE FROM activations WHERE key_id = ? AND kind = ? AND value = ?"),
                      {keyId, activationKindToString(kind), value});
    if (!q)
        return q.error();
    if (q->numRowsAffected() == 0)
        return makeError(ErrorKind::NotFound, QStringLiteral("%1 is not bound to this key.").arg(value));
    if (audit == Audit::Yes) {
        if (Status s = m_ctx.audit.record(
                m_ctx.now(), m_ctx.actor, QStringLiteral("key.deactivate"), QStringLiteral("key"),
                QString::number(keyId),
                {{QStringLiteral("key"), key->key}, {activationKindToString(kind), value}});
            !s)
            return s;
    }
    return tx.commit();
}

Result<qint64> KeyStore::adjustTokens(qint64 keyId, qint64 delta, Audit audit, const QString& note)
{
    if (delta == 0)
        return makeError(ErrorKind::Invalid, QStringLiteral("The amount must not be zero."));
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    const QDateTime now = m_ctx.now();
    // One statement: the balance check and the change cannot be separated by another consumer.
    auto q = m_ctx.db.exec(
        QStringLiteral("UPDATE license_keys SET token_balance = token_balance + ?, updated_at = ? "
                       "WHERE id = ? AND deleted_at IS NULL AND token_balance IS NOT NULL AND "
                       "token_balance + ? >= 0 RETURNING token_balance"),
        {delta, sql::time(now), keyId, delta});
    if (!q)
        return q.error();
    if (!q->next()) {
        q->finish();
        auto key = findById(keyId);
        if (!key)
            return key.error();
        if (key->inTrash())
            return makeError(ErrorKind::Conflict, QStringLiteral("The key is in the trash."));
        if (!key->tokenBalance)
            return makeError(ErrorKind::Invalid, QStringLiteral("%1 is not a token key.").arg(key->key));
        return makeError(ErrorKind::LimitReached,
                         QStringLiteral("The key has %1 tokens left; %2 were asked for.")
                             .arg(*key->tokenBalance)
                             .arg(-delta));
    }
    const qint64 balance = q->value(0).toLongLong();
    q->finish();
    if (audit == Audit::Yes) {
        QJsonObject detail{{QStringLiteral("delta"), delta}, {QStringLiteral("balance"), balance}};
        if (!note.trimmed().isEmpty())
            detail.insert(QStringLiteral("note"), note.trimmed());
        if (Status s = m_ctx.audit.record(
                now, m_ctx.actor, delta > 0 ? QStringLiteral("key.topup") : QStringLiteral("key.consume"),
                QStringLiteral("key"), QString::number(keyId), detail);
            !s)
            return s.error();
    }
    if (Status s = tx.commit(); !s)
        return s.error();
    return balance;
}

Result<int> KeyStore::insertBatch(qint64 productId, const std::vector<NewKey>& keys, const QDateTime& now)
{
    if (keys.empty())
        return 0;
    if (keys.size() > size_t(kInsertBatchRows))
        return makeError(ErrorKind::Internal, QStringLiteral("Too many keys in one insert batch."));

    if (m_ctx.db.isSqlite() && SqliteKeyInserter::available(m_ctx.db)) {
        if (!m_sqliteInserter)
            m_sqliteInserter = std::make_unique<SqliteKeyInserter>(m_ctx.db);
        return m_sqliteInserter->insert(productId, keys, now);
    }

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
        query->bindValue(index++, k.createdAt.isValid() ? sql::time(k.createdAt) : nowMs);
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
