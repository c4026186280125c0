#include "KeyImport.h"

#include "DateParsing.h"
#include "LiveIndexRebuild.h"
#include "RecordSource.h"
#include "SqlValues.h"
#include "Store.h"
#include "Validation.h"

#include <QHash>
#include <QJsonObject>

#include <algorithm>
#include <unordered_map>

namespace keyward {

QString conflictPolicyToString(ConflictPolicy policy)
{
    switch (policy) {
    case ConflictPolicy::Skip:
        return QStringLiteral("skip");
    case ConflictPolicy::Update:
        return QStringLiteral("update");
    case ConflictPolicy::Stop:
        return QStringLiteral("stop");
    }
    return {};
}

std::optional<ConflictPolicy> conflictPolicyFromString(const QString& text)
{
    for (ConflictPolicy p : {ConflictPolicy::Skip, ConflictPolicy::Update, ConflictPolicy::Stop}) {
        if (conflictPolicyToString(p) == text.trimmed().toLower())
            return p;
    }
    return std::nullopt;
}

namespace {

constexpr size_t kBatchRows = 500;

struct Row
{
    qint64 line = 0;
    NewKey key;
    RevokeReason revokeReason = RevokeReason::None;
};

struct StoredKey
{
    qint64 id = 0;
    qint64 productId = 0;
};

// Keys seen in the file, as two independent 64-bit hashes (a 128-bit fingerprint) with the line
// that claimed them: 24 bytes per key instead of the key itself, in one open-addressing table
// (no allocation per key; this runs for every row of a million-row file).
class SeenKeys
{
public:
    // The line that already had this key, or 0 (and the key is remembered for `line`, >= 1).
    qint64 claim(const QString& key, qint64 line)
    {
        if (2 * (m_used + 1) > m_slots.size())
            grow();
        const quint64 first = qHash(key, size_t(0x9E3779B97F4A7C15ull));
        const quint64 second = qHash(key, size_t(0xC2B2AE3D27D4EB4Full));
        Slot& slot = find(first, second);
        if (slot.line)
            return slot.line;
        slot = Slot{first, second, line};
        ++m_used;
        return 0;
    }

private:
    struct Slot
    {
        quint64 first = 0;
        quint64 second = 0;
        qint64 line = 0; // 0: empty
    };

    // The slot holding this fingerprint, or the empty one where it belongs (linear probing).
    Slot& find(quint64 first, quint64 second)
    {
        const size_t mask = m_slots.size() - 1;
        for (size_t i = size_t(first) & mask;; i = (i + 1) & mask) {
            Slot& slot = m_slots[i];
            if (!slot.line || (slot.first == first && slot.second == second))
                return slot;
        }
    }

    void grow()
    {
        std::vector<Slot> old(std::max<size_t>(1024, 2 * m_slots.size()));
        old.swap(m_slots);
        for (const Slot& slot : old) {
            if (slot.line)
                find(slot.first, slot.second) = slot;
        }
    }

    std::vector<Slot> m_slots;
    size_t m_used = 0;
};

class ImportRun
{
public:
    ImportRun(Store& store, RecordSource& source, const ImportOptions& options, const JobControl& control,
              const std::function<void(const ImportProblem&)>& onProblem)
        : m_store(store), m_source(source), m_options(options), m_control(control), m_onProblem(onProblem),
          m_indexes(store.database())
    {
        m_summary.dryRun = options.dryRun;
    }

    Result<ImportSummary> run();

private:
    Status prepare();
    bool checkRow(const SourceRecord& record, Row& row);
    void problem(qint64 line, ImportField field, const QString& text, const QString& value);
    void problem(qint64 line, const QString& field, const QString& text, const QString& value);
    QString cell(const SourceRecord& record, ImportField field) const;
    Status flush();
    Status considerIndexRebuild();
    Result<std::unordered_map<QString, StoredKey>> lookup(const std::vector<Row>& rows) const;
    Status update(const Row& row, qint64 id);
    bool stopNow() const
    {
        return m_options.onConflict == ConflictPolicy::Stop && m_summary.rejected + m_summary.skipped > 0;
    }

    Store& m_store;
    RecordSource& m_source;
    const ImportOptions& m_options;
    const JobControl& m_control;
    const std::function<void(const ImportProblem&)>& m_onProblem;
    ImportSummary m_summary;
    Product m_product;
    std::optional<KeyFormat> m_format;
    QDateTime m_now;
    SeenKeys m_seen;
    std::vector<Row> m_batch;
    bool m_rowHadProblem = false;
    LiveIndexRebuild m_indexes;
    bool m_indexesConsidered = false;
};

QString shorten(const QString& value)
{
    return value.size() > 80 ? value.left(77) + QStringLiteral("...") : value;
}

void ImportRun::problem(qint64 line, const QString& field, const QString& text, const QString& value)
{
    ImportProblem p{line, field, text, shorten(value)};
    ++m_summary.problemCount;
    m_rowHadProblem = true;
    if (m_onProblem)
        m_onProblem(p);
    if (m_summary.problems.size() < size_t(KeyImport::kKeptProblems))
        m_summary.problems.push_back(std::move(p));
}

void ImportRun::problem(qint64 line, ImportField field, const QString& text, const QString& value)
{
    problem(line, importFieldName(field), text, value);
}

QString ImportRun::cell(const SourceRecord& record, ImportField field) const
{
    const int column = m_options.mapping.column(field);
    return column >= 0 && column < record.values.size() ? record.values.at(column).trimmed() : QString();
}

Status ImportRun::prepare()
{
    if (!m_options.mapping.isMapped(ImportField::Key))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("No column is mapped to the license key; name one with key=COLUMN."));
    auto product = m_store.products().find(m_options.productId);
    if (!product)
        return product.error();
    if (product->archived)
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("The product \"%1\" is archived; unarchive it to import keys.")
                             .arg(product->name));
    m_product = *product;
    if (m_options.requireProductFormat) {
        auto format = m_product.format();
        if (!format)
            return format.error();
        m_format = *format;
    }
    m_now = m_store.now();
    return {};
}

// Turns a record into a key, reporting every problem of the row; false when it is rejected.
bool ImportRun::checkRow(const SourceRecord& record, Row& row)
{
    m_rowHadProblem = false;
    row = Row{};
    row.line = record.line;
    if (!record.error.isEmpty()) {
        const QStringList columns = m_source.columns();
        const QString field = record.errorColumn >= 0 && record.errorColumn < columns.size()
                                  ? columns.at(record.errorColumn)
                                  : QString();
        problem(record.line, field, record.error, {});
        return false;
    }

    const QString rawKey = cell(record, ImportField::Key);
    if (rawKey.isEmpty()) {
        problem(record.line, ImportField::Key, QStringLiteral("missing required field"), {});
    } else if (m_format) {
        const KeyCheck check = m_format->check(rawKey);
        if (check.valid())
            row.key.key = check.normalized;
        else
            problem(record.line, ImportField::Key, check.codeString() + QStringLiteral(": ") + check.message,
                    rawKey);
    } else {
        QString key = rawKey;
        key.remove(QLatin1Char(' '));
        const bool printable = std::all_of(key.begin(), key.end(), [](QChar c) { return c.isPrint(); });
        if (key.size() > 200 || !printable)
            problem(record.line, ImportField::Key,
                    QStringLiteral("not a usable key (too long or control characters)"), rawKey);
        else
            row.key.key = key;
    }

    row.key.customerName = cell(record, ImportField::CustomerName);
    if (row.key.customerName.size() > 200)
        problem(record.line, ImportField::CustomerName, QStringLiteral("longer than 200 characters"),
                row.key.customerName);
    row.key.customerEmail = cell(record, ImportField::CustomerEmail);
    if (!validation::isValidEmail(row.key.customerEmail))
        problem(record.line, ImportField::CustomerEmail, QStringLiteral("not a valid email address"),
                row.key.customerEmail);
    row.key.notes = m_options.mapping.isMapped(ImportField::Notes)
                        ? record.values.value(m_options.mapping.column(ImportField::Notes))
                        : QString();
    if (row.key.notes.size() > 20000)
        problem(record.line, ImportField::Notes, QStringLiteral("longer than 20,000 characters"),
                row.key.notes);

    auto date = [&](ImportField field, bool endOfDay, QDateTime& target) {
        const QString text = cell(record, field);
        if (text.isEmpty())
            return;
        auto parsed = parseIsoDateTime(text, endOfDay);
        if (parsed)
            target = *parsed;
        else
            problem(record.line, field, QStringLiteral("not a date (use ISO 8601, e.g. 2027-01-31)"), text);
    };
    if (m_product.defaultExpiryDays)
        row.key.expiresAt = m_now.addDays(*m_product.defaultExpiryDays);
    date(ImportField::ExpiresAt, true, row.key.expiresAt);
    date(ImportField::CreatedAt, false, row.key.createdAt);

    const QString status = cell(record, ImportField::Status);
    if (!status.isEmpty()) {
        const auto parsed = keyStatusFromString(status);
        if (parsed)
            row.key.status = *parsed;
        else
            problem(record.line, ImportField::Status,
                    QStringLiteral("unknown status (active, suspended, revoked, expired)"), status);
    }
    const QString reason = cell(record, ImportField::RevokeReason);
    if (!reason.isEmpty()) {
        const auto parsed = revokeReasonFromString(reason);
        if (parsed)
            row.revokeReason = *parsed;
        else
            problem(record.line, ImportField::RevokeReason,
                    QStringLiteral("unknown reason (refund, chargeback, abuse, other)"), reason);
    }
    if (row.key.status == KeyStatus::Revoked && row.revokeReason == RevokeReason::None)
        row.revokeReason = RevokeReason::Other;

    auto number = [&](ImportField field, qint64 maximum) -> std::optional<qint64> {
        const QString text = cell(record, field);
        if (text.isEmpty())
            return std::nullopt;
        bool ok = false;
        const qint64 value = text.toLongLong(&ok);
        if (!ok || value < 0 || value > maximum) {
            problem(record.line, field, QStringLiteral("not a whole number from 0 to %1").arg(maximum), text);
            return std::nullopt;
        }
        return value;
    };
    row.key.maxDomains = m_product.defaultMaxDomains;
    row.key.maxUuids = m_product.defaultMaxUuids;
    if (auto v = number(ImportField::MaxDomains, 1'000'000))
        row.key.maxDomains = *v == 0 ? std::nullopt : std::optional<int>(int(*v));
    if (auto v = number(ImportField::MaxUuids, 1'000'000))
        row.key.maxUuids = *v == 0 ? std::nullopt : std::optional<int>(int(*v));
    if (m_product.tokenKeys)
        row.key.tokenBalance = m_product.defaultTokens;
    if (auto v = number(ImportField::Tokens, 1'000'000'000'000'000LL))
        row.key.tokenBalance = *v;

    if (m_rowHadProblem)
        return false;
    if (const qint64 earlier = m_seen.claim(row.key.key, record.line)) {
        problem(record.line, ImportField::Key,
                QStringLiteral("duplicate of line %1 in this file").arg(earlier), rawKey);
        return false;
    }
    return true;
}

Result<std::unordered_map<QString, StoredKey>> ImportRun::lookup(const std::vector<Row>& rows) const
{
    QStringList keys;
    for (const Row& r : rows)
        keys << r.key.key;
    Database& db = m_store.database();
    auto q = db.exec(
        QStringLiteral("SELECT license_key, id, product_id FROM license_keys WHERE license_key IN (%1)")
            .arg(db.listSql(false)),
        {Database::jsonList(keys)});
    if (!q)
        return q.error();
    std::unordered_map<QString, StoredKey> found;
    while (q->next())
        found.emplace(q->value(0).toString(), StoredKey{q->value(1).toLongLong(), q->value(2).toLongLong()});
    return found;
}

Status ImportRun::update(const Row& row, qint64 id)
{
    const ImportMapping& m = m_options.mapping;
    QStringList sets;
    QVariantList values;
    auto add = [&](ImportField field, const QString& column, const QVariant& value) {
        if (m.isMapped(field)) {
            sets << column + QStringLiteral(" = ?");
            values << value;
        }
    };
    add(ImportField::CustomerName, QStringLiteral("customer_name"), sql::text(row.key.customerName));
    add(ImportField::CustomerEmail, QStringLiteral("customer_email"), sql::text(row.key.customerEmail));
    add(ImportField::Notes, QStringLiteral("notes"), sql::text(row.key.notes));
    add(ImportField::ExpiresAt, QStringLiteral("expires_at"), sql::time(row.key.expiresAt));
    add(ImportField::Status, QStringLiteral("status"), keyStatusToString(row.key.status));
    add(ImportField::MaxDomains, QStringLiteral("max_domains"), sql::optional(row.key.maxDomains));
    add(ImportField::MaxUuids, QStringLiteral("max_uuids"), sql::optional(row.key.maxUuids));
    add(ImportField::Tokens, QStringLiteral("token_balance"), sql::optional(row.key.tokenBalance));
    if (m.isMapped(ImportField::Status) || m.isMapped(ImportField::RevokeReason)) {
        const bool revoked = row.key.status == KeyStatus::Revoked;
        sets << QStringLiteral("revoke_reason = ?") << QStringLiteral("revoked_at = ?");
        values << (revoked ? QVariant(revokeReasonToString(row.revokeReason))
                           : QVariant(QMetaType::fromType<QString>()))
               << (revoked ? sql::time(m_now) : sql::time(QDateTime()));
    }
    sets << QStringLiteral("updated_at = ?");
    values << sql::time(m_now) << id;
    auto q = m_store.database().exec(QStringLiteral("UPDATE license_keys SET ") +
                                         sets.join(QLatin1String(", ")) + QStringLiteral(" WHERE id = ?"),
                                     values);
    return q ? Status{} : Status(q.error());
}

// Stores the batch: new keys inserted, stored ones handled by the conflict policy. Inserting
// first and looking up only when something collided keeps the common case to one statement.
Status ImportRun::flush()
{
    if (m_batch.empty())
        return {};
    std::vector<Row> rows;
    rows.swap(m_batch);
    Database& db = m_store.database();

    if (!m_options.dryRun) {
        std::vector<NewKey> keys;
        keys.reserve(rows.size());
        for (const Row& r : rows)
            keys.push_back(r.key);
        Transaction savepoint(db);
        if (!savepoint)
            return savepoint.error();
        auto inserted = m_store.keys().insertBatch(m_product.id, keys, m_now);
        if (!inserted)
            return inserted.error();
        if (size_t(*inserted) == rows.size()) {
            if (Status s = savepoint.commit(); !s)
                return s;
            m_summary.imported += *inserted;
            return {};
        }
        savepoint.rollback();
    }

    auto stored = lookup(rows);
    if (!stored)
        return stored.error();
    std::vector<Row> fresh;
    for (const Row& r : rows) {
        const auto it = stored->find(r.key.key);
        if (it == stored->end()) {
            fresh.push_back(r);
            continue;
        }
        if (m_options.onConflict == ConflictPolicy::Update && it->second.productId != m_product.id) {
            problem(r.line, ImportField::Key, QStringLiteral("already in the store for another product"),
                    r.key.key);
            ++m_summary.rejected;
        } else if (m_options.onConflict == ConflictPolicy::Update) {
            if (!m_options.dryRun) {
                if (Status s = update(r, it->second.id); !s)
                    return s;
            }
            ++m_summary.updated;
        } else {
            problem(r.line, ImportField::Key,
                    m_options.onConflict == ConflictPolicy::Skip
                        ? QStringLiteral("already in the store (skipped)")
                        : QStringLiteral("already in the store"),
                    r.key.key);
            ++m_summary.skipped;
        }
    }
    if (m_options.dryRun || fresh.empty()) {
        m_summary.imported += qint64(fresh.size());
        return {};
    }
    std::vector<NewKey> keys;
    for (const Row& r : fresh)
        keys.push_back(r.key);
    auto inserted = m_store.keys().insertBatch(m_product.id, keys, m_now);
    if (!inserted)
        return inserted.error();
    if (size_t(*inserted) != fresh.size())
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral(
                "Another program added some of these keys during the import; nothing was imported."));
    m_summary.imported += *inserted;
    return {};
}

// A file with more rows than there are live keys: the live indexes are built once at the end
// instead of taking every row (LiveIndexRebuild). The rows are estimated from the bytes read.
Status ImportRun::considerIndexRebuild()
{
    m_indexesConsidered = true;
    if (m_options.dryRun || !m_store.database().isSqlite() || m_source.bytesRead() <= 0)
        return {};
    const auto estimate =
        qint64(double(m_source.totalBytes()) / double(m_source.bytesRead()) * double(m_summary.rows));
    if (estimate < LiveIndexRebuild::kMinimumKeys)
        return {};
    auto live = m_store.keys().count(KeyFilter{});
    if (!live)
        return live.error();
    return LiveIndexRebuild::worthIt(estimate, *live, 1.0) ? m_indexes.drop() : Status{};
}

Result<ImportSummary> ImportRun::run()
{
    if (Status s = prepare(); !s)
        return s.error();
    Transaction tx(m_store.database());
    if (!tx)
        return tx.error();

    SourceRecord record;
    qint64 lastReport = -1;
    for (;;) {
        if (m_control.cancelled())
            return makeError(ErrorKind::Cancelled,
                             QStringLiteral("The import was cancelled; nothing was imported."));
        auto more = m_source.next(record);
        if (!more)
            return more.error();
        if (!*more)
            break;
        ++m_summary.rows;
        Row row;
        if (checkRow(record, row))
            m_batch.push_back(std::move(row));
        else
            ++m_summary.rejected;
        if (m_batch.size() >= kBatchRows) {
            if (!m_indexesConsidered) {
                if (Status s = considerIndexRebuild(); !s)
                    return s.error();
            }
            if (Status s = flush(); !s)
                return s.error();
        }
        if (stopNow())
            break;
        if (m_summary.rows - lastReport >= 1000) {
            lastReport = m_summary.rows;
            m_control.report(m_source.bytesRead(), m_source.totalBytes());
        }
    }
    if (!stopNow()) {
        if (Status s = flush(); !s)
            return s.error();
    }
    m_control.report(m_source.totalBytes(), m_source.totalBytes());

    if (stopNow()) {
        // Policy stop: one rejected row and nothing is imported (the transaction rolls back).
        m_summary.stopped = true;
        m_summary.imported = 0;
        m_summary.updated = 0;
        return m_summary;
    }
    if (m_options.dryRun)
        return m_summary; // rolled back: nothing was written anyway
    if (Status s = m_indexes.rebuild(); !s)
        return s.error();

    if (m_product.maxKeys) {
        auto live = m_store.products().liveKeyCount(m_product.id);
        if (!live)
            return live.error();
        if (*live > *m_product.maxKeys)
            return makeError(
                ErrorKind::LimitReached,
                QStringLiteral("\"%1\" allows at most %L2 keys; this import would bring it to %L3. Nothing "
                               "was imported.")
                    .arg(m_product.name)
                    .arg(*m_product.maxKeys)
                    .arg(*live));
    }
    const QJsonObject detail{{QStringLiteral("source"), m_options.sourceName},
                             {QStringLiteral("rows"), m_summary.rows},
                             {QStringLiteral("imported"), m_summary.imported},
                             {QStringLiteral("updated"), m_summary.updated},
                             {QStringLiteral("skipped"), m_summary.skipped},
                             {QStringLiteral("rejected"), m_summary.rejected},
                             {QStringLiteral("on_conflict"), conflictPolicyToString(m_options.onConflict)}};
    if (Status s = m_store.audit().record(m_now, m_store.context().actor, QStringLiteral("keys.import"),
                                          QStringLiteral("product"), QString::number(m_product.id), detail);
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return m_summary;
}

} // namespace

Result<ImportSummary> KeyImport::run(Store& store, RecordSource& source, const ImportOptions& options,
                                     const JobControl& control,
                                     const std::function<void(const ImportProblem&)>& onProblem)
{
    return ImportRun(store, source, options, control, onProblem).run();
}

} // namespace keyward
