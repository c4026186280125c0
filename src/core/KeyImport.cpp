#include "KeyImport.h"

#include "ImportRowChecker.h"
#include "KeyFingerprints.h"
#include "LiveIndexRebuild.h"
#include "RecordSource.h"
#include "SqlValues.h"
#include "Store.h"

#include <QJsonObject>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
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
constexpr size_t kQueuedBatches = 4;

struct StoredKey
{
    qint64 id = 0;
    qint64 productId = 0;
};

// Batches from the checker thread to the thread that stores them, at most a few ahead. Either
// side can close it: the checker after its last batch, the storing side when it stops early.
class BatchQueue
{
public:
    bool push(CheckedBatch batch)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_closed || m_batches.size() < kQueuedBatches; });
        if (m_closed)
            return false;
        m_batches.push_back(std::move(batch));
        m_changed.notify_all();
        return true;
    }
    CheckedBatch pop()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return !m_batches.empty(); });
        CheckedBatch batch = std::move(m_batches.front());
        m_batches.pop_front();
        m_changed.notify_all();
        return batch;
    }
    void close()
    {
        const std::lock_guard lock(m_mutex);
        m_closed = true;
        m_changed.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<CheckedBatch> m_batches;
    bool m_closed = false;
};

// Reads and checks the rows on a thread of its own, so that checking the next batch overlaps
// storing this one (two cores: about a third of an import off the critical path). Stopped and
// joined on destruction, whichever way the import ends.
class CheckerThread
{
public:
    CheckerThread(ImportRowChecker& checker, bool stopAtRejection, const JobControl& control)
    {
        m_thread = std::thread([this, &checker, stopAtRejection, &control] {
            for (;;) {
                if (control.cancelled())
                    m_abort = true;
                CheckedBatch batch = checker.next(kBatchRows, stopAtRejection, m_abort);
                const bool last = batch.last || (stopAtRejection && batch.rejected > 0) || m_abort;
                batch.last = last;
                if (!m_queue.push(std::move(batch)) || last)
                    return;
            }
        });
    }
    ~CheckerThread()
    {
        m_abort = true;
        m_queue.close();
        m_thread.join();
    }
    CheckedBatch next() { return m_queue.pop(); }

private:
    BatchQueue m_queue;
    std::atomic<bool> m_abort{false};
    std::thread m_thread;
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
    void problem(ImportProblem p);
    void problem(qint64 line, const QString& text, const QString& value);
    Status flush(std::vector<ImportRow> rows);
    Status considerIndexRebuild(const CheckedBatch& first);
    Status rememberStoredKeys();
    Result<std::unordered_map<QString, StoredKey>> lookup(const std::vector<ImportRow>& rows) const;
    Result<std::unordered_map<QString, StoredKey>> lookupRemembered(const std::vector<ImportRow>& rows) const;
    Status update(const ImportRow& row, qint64 id);
    Status finish();
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
    LiveIndexRebuild m_indexes;
    // While the unique key index is dropped: the keys stored before the import (key -> id).
    std::optional<KeyFingerprints> m_storedKeys;
};

void ImportRun::problem(ImportProblem p)
{
    ++m_summary.problemCount;
    if (m_onProblem)
        m_onProblem(p);
    if (m_summary.problems.size() < size_t(KeyImport::kKeptProblems))
        m_summary.problems.push_back(std::move(p));
}

void ImportRun::problem(qint64 line, const QString& text, const QString& value)
{
    problem(ImportProblem{line, importFieldName(ImportField::Key), text, shortenedForReport(value)});
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

Result<std::unordered_map<QString, StoredKey>> ImportRun::lookup(const std::vector<ImportRow>& rows) const
{
    if (m_storedKeys)
        return lookupRemembered(rows);
    QStringList keys;
    for (const ImportRow& r : rows)
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

// The same answer from the keys remembered before the unique index was dropped: a fingerprint hit
// is confirmed by reading that key (by id) and comparing.
Result<std::unordered_map<QString, StoredKey>>
ImportRun::lookupRemembered(const std::vector<ImportRow>& rows) const
{
    std::unordered_map<QString, StoredKey> found;
    for (const ImportRow& r : rows) {
        const qint64 id = m_storedKeys->value(r.key.key);
        if (!id)
            continue;
        auto q = m_store.database().exec(
            QStringLiteral("SELECT license_key, product_id FROM license_keys WHERE id = ?"), {id});
        if (!q)
            return q.error();
        if (q->next() && q->value(0).toString() == r.key.key)
            found.emplace(r.key.key, StoredKey{id, q->value(1).toLongLong()});
    }
    return found;
}

Status ImportRun::update(const ImportRow& row, qint64 id)
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

// Stores a batch: new keys inserted, stored ones handled by the conflict policy. Inserting first
// and looking up only when something collided keeps the common case to one statement per row; with
// the unique index dropped, the remembered keys answer first and the insert cannot collide.
Status ImportRun::flush(std::vector<ImportRow> rows)
{
    if (rows.empty())
        return {};
    Database& db = m_store.database();
    auto keysOf = [](const std::vector<ImportRow>& list) {
        std::vector<NewKey> keys;
        keys.reserve(list.size());
        for (const ImportRow& r : list)
            keys.push_back(r.key);
        return keys;
    };

    if (!m_options.dryRun && !m_storedKeys) {
        Transaction savepoint(db);
        if (!savepoint)
            return savepoint.error();
        auto inserted = m_store.keys().insertBatch(m_product.id, keysOf(rows), m_now);
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
    std::vector<ImportRow> fresh;
    fresh.reserve(rows.size());
    for (ImportRow& r : rows) {
        const auto it = stored->find(r.key.key);
        if (it == stored->end()) {
            fresh.push_back(std::move(r));
            continue;
        }
        if (m_options.onConflict == ConflictPolicy::Update && it->second.productId != m_product.id) {
            problem(r.line, QStringLiteral("already in the store for another product"), r.key.key);
            ++m_summary.rejected;
        } else if (m_options.onConflict == ConflictPolicy::Update) {
            if (!m_options.dryRun) {
                if (Status s = update(r, it->second.id); !s)
                    return s;
            }
            ++m_summary.updated;
        } else {
            problem(r.line,
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
    auto inserted = m_store.keys().insertBatch(m_product.id, keysOf(fresh), m_now);
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

// A file with at least as many rows as there are live keys: the live indexes are built once at
// the end instead of taking every row (LiveIndexRebuild); with at least as many as there are keys
// at all, the unique key index too, the stored keys remembered to find the conflicts. The rows
// are estimated from the bytes the first batch read.
Status ImportRun::considerIndexRebuild(const CheckedBatch& first)
{
    if (m_options.dryRun || !m_store.database().isSqlite() || first.bytesRead <= 0)
        return {};
    const auto estimate = qint64(double(first.totalBytes) / double(first.bytesRead) * double(first.records));
    if (estimate < LiveIndexRebuild::kMinimumKeys)
        return {};
    auto live = m_store.keys().count(KeyFilter{});
    if (!live)
        return live.error();
    if (!LiveIndexRebuild::worthIt(estimate, *live, 1.0))
        return {};
    KeyFilter everything;
    everything.scope = KeyFilter::Scope::All;
    auto all = m_store.keys().count(everything);
    if (!all)
        return all.error();
    const bool keyIndexToo = LiveIndexRebuild::worthIt(estimate, *all, 1.0);
    if (keyIndexToo) {
        if (Status s = rememberStoredKeys(); !s)
            return s;
    }
    return m_indexes.drop(keyIndexToo ? LiveIndexRebuild::WithKeyIndex : LiveIndexRebuild::LiveOnly);
}

Status ImportRun::rememberStoredKeys()
{
    auto q = m_store.database().exec(QStringLiteral("SELECT id, license_key FROM license_keys"));
    if (!q)
        return q.error();
    KeyFingerprints keys;
    while (q->next())
        keys.claim(q->value(1).toString(), q->value(0).toLongLong());
    m_storedKeys = std::move(keys);
    return {};
}

Result<ImportSummary> ImportRun::run()
{
    if (Status s = prepare(); !s)
        return s.error();
    Transaction tx(m_store.database());
    if (!tx)
        return tx.error();

    const auto cancelled = [] {
        return makeError(ErrorKind::Cancelled,
                         QStringLiteral("The import was cancelled; nothing was imported."));
    };
    ImportRowChecker checker(m_source, m_options.mapping, m_product, m_format, m_now);
    {
        CheckerThread checking(checker, m_options.onConflict == ConflictPolicy::Stop, m_control);
        for (bool first = true;; first = false) {
            CheckedBatch batch = checking.next();
            if (m_control.cancelled())
                return cancelled();
            if (batch.error)
                return *batch.error;
            m_summary.rows += batch.records;
            m_summary.rejected += batch.rejected;
            for (ImportProblem& p : batch.problems)
                problem(std::move(p));
            if (stopNow())
                break;
            if (first) {
                if (Status s = considerIndexRebuild(batch); !s)
                    return s.error();
            }
            if (Status s = flush(std::move(batch.rows)); !s)
                return s.error();
            m_control.report(batch.bytesRead, batch.totalBytes);
            if (stopNow() || batch.last)
                break;
        }
    }
    m_control.report(m_source.totalBytes(), m_source.totalBytes());
    if (m_control.cancelled())
        return cancelled();

    if (stopNow()) {
        // Policy stop: one rejected row and nothing is imported (the transaction rolls back).
        m_summary.stopped = true;
        m_summary.imported = 0;
        m_summary.updated = 0;
        return m_summary;
    }
    if (m_options.dryRun)
        return m_summary; // rolled back: nothing was written anyway
    if (Status s = finish(); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return m_summary;
}

// The indexes back, the product's key limit, the audit entry: all inside the import's transaction.
Status ImportRun::finish()
{
    if (Status s = m_indexes.rebuild(); !s)
        return s;
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
    return m_store.audit().record(m_now, m_store.context().actor, QStringLiteral("keys.import"),
                                  QStringLiteral("product"), QString::number(m_product.id), detail);
}

} // namespace

Result<ImportSummary> KeyImport::run(Store& store, RecordSource& source, const ImportOptions& options,
                                     const JobControl& control,
                                     const std::function<void(const ImportProblem&)>& onProblem)
{
    return ImportRun(store, source, options, control, onProblem).run();
}

} // namespace keyward
