#include "LocalBackend.h"

#include "BackendJob.h"
#include "ImportReportWriter.h"
#include "KeyExport.h"
#include "KeyFileWriter.h"

#include <QFile>
#include <QFileInfo>
#include <QPointer>

namespace keyward {
namespace {

constexpr int kHistoryEntries = 200;
constexpr int kRowsChunk = 5000;
// Page caches: pages and details need a little; scans stream and need almost none.
constexpr int kReaderCacheKiB = 8192;
constexpr int kScannerCacheKiB = 2048;

Error cancelledError()
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("Replaced by a newer request."));
}

Result<KeyDetails> loadDetails(Store& store, qint64 id)
{
    auto key = store.keys().findById(id);
    if (!key)
        return key.error();
    auto activations = store.keys().activations(id);
    if (!activations)
        return activations.error();
    AuditFilter filter;
    filter.objectType = QStringLiteral("key");
    filter.objectId = QString::number(id);
    auto history = store.audit().list(filter, 0, kHistoryEntries);
    if (!history)
        return history.error();
    auto product = store.products().find(key->productId);
    if (!product)
        return product.error();
    return KeyDetails{std::move(key).value(), std::move(activations).value(), std::move(history).value(),
                      std::move(product).value()};
}

} // namespace

// The workers exist from the start, so requests made while the database opens wait in their
// queues (and are answered as dropped if it cannot be opened).
LocalBackend::LocalBackend(DatabaseLocation location, Options options, QObject* parent)
    : Backend(parent), m_location(std::move(location)), m_options(std::move(options)),
      m_writer(std::make_unique<StoreWorker>(QStringLiteral("writer"))),
      m_reader(std::make_unique<StoreWorker>(QStringLiteral("reader"))),
      m_counter(std::make_unique<StoreWorker>(QStringLiteral("counter"))),
      m_exporter(std::make_unique<StoreWorker>(QStringLiteral("exporter")))
{}

// Workers stop (and their connections close) before the object they deliver replies to goes away.
LocalBackend::~LocalBackend()
{
    m_exporter.reset();
    m_counter.reset();
    m_reader.reset();
    m_writer.reset();
}

QString LocalBackend::displayName() const
{
    return m_location.displayName();
}

void LocalBackend::open(QObject* context, Reply<bool> reply)
{
    QPointer<QObject> guard(context);
    auto deliver = [this, guard, reply](Status status) {
        QMetaObject::invokeMethod(
            this,
            [guard, reply, status] {
                if (guard)
                    reply(status.ok() ? Result<bool>(true) : Result<bool>(status.error()));
            },
            Qt::QueuedConnection);
    };

    Database::Options writerOptions;
    writerOptions.create = m_options.create && !m_options.readOnly;
    writerOptions.readOnly = m_options.readOnly;
    writerOptions.busyTimeoutMs = m_options.busyTimeoutMs;
    // The writer opens first: it creates the file and applies migrations; the readers then find
    // an up-to-date schema and open read-only.
    m_writer->start(m_location, writerOptions, m_options.actor, [this, deliver](const Status& status) {
        if (!status) {
            deliver(status);
            failReaders();
            return;
        }
        StoreWorker::Task probe;
        probe.run = [this, deliver](Store& store, const JobControl&) {
            if (Status s = probeWriteLock(store); !s) {
                deliver(s);
                failReaders();
                return;
            }
            QMetaObject::invokeMethod(
                this, [this, deliver] { openReaders(deliver); }, Qt::QueuedConnection);
        };
        probe.dropped = [deliver] { deliver(makeError(ErrorKind::Cancelled, QStringLiteral("Closed."))); };
        m_writer->post(std::move(probe));
    });
}

// Another program holding the write lock would make every change wait and fail; say so now.
Status LocalBackend::probeWriteLock(Store& store) const
{
    if (m_options.readOnly || !store.database().isSqlite())
        return {};
    Transaction tx(store.database());
    if (!tx)
        return tx.error();
    tx.rollback();
    return {};
}

void LocalBackend::openReaders(std::function<void(Status)> deliver)
{
    Database::Options readerOptions;
    readerOptions.readOnly = true;
    readerOptions.sqliteCacheKiB = kReaderCacheKiB;
    readerOptions.busyTimeoutMs = m_options.busyTimeoutMs;
    auto pending = std::make_shared<std::atomic<int>>(3);
    auto failed = std::make_shared<std::atomic<bool>>(false);
    auto opened = [deliver, pending, failed](const Status& s) {
        if (!s && !failed->exchange(true))
            deliver(s);
        if (pending->fetch_sub(1) == 1 && !failed->load())
            deliver(Status{});
    };
    m_reader->start(m_location, readerOptions, m_options.actor, opened);
    readerOptions.sqliteCacheKiB = kScannerCacheKiB;
    m_counter->start(m_location, readerOptions, m_options.actor, opened);
    m_exporter->start(m_location, readerOptions, m_options.actor, opened);
}

// The readers never open: whatever waits in their queues, or comes later, is answered as dropped.
void LocalBackend::failReaders()
{
    for (StoreWorker* w : {m_reader.get(), m_counter.get(), m_exporter.get()})
        w->abandon();
}

template<typename T>
void LocalBackend::run(StoreWorker& worker, int lane, QObject* context, Reply<T> reply,
                       std::function<Result<T>(Store&, const JobControl&)> work, Changes changes)
{
    QPointer<QObject> guard(context);
    auto deliver = [this, guard, reply, changes](Result<T> result) {
        QMetaObject::invokeMethod(
            this,
            [this, guard, reply, changes, result = std::move(result)] {
                if (result.ok())
                    afterChange(changes);
                if (guard)
                    reply(result);
            },
            Qt::QueuedConnection);
    };
    StoreWorker::Task task;
    task.lane = lane;
    task.run = [work = std::move(work), deliver, changes, indexes = m_indexes](Store& store,
                                                                               const JobControl& control) {
        Result<T> result = work(store, control);
        // Pages read after this point must not use an index of the old rows.
        if (result.ok() && changes == Changes::Keys)
            indexes->invalidate();
        if (result.ok() && control.cancelled())
            result = cancelledError();
        deliver(std::move(result));
    };
    task.dropped = [deliver] { deliver(cancelledError()); };
    worker.post(std::move(task));
}

void LocalBackend::afterChange(Changes changes)
{
    if (changes == Changes::Keys)
        Q_EMIT keysChanged();
    else if (changes == Changes::Products)
        Q_EMIT productsChanged();
}

template<typename T>
void LocalBackend::write(QObject* context, Reply<T> reply, Changes changes,
                         std::function<Result<T>(Store&)> work)
{
    run<T>(
        *m_writer, 0, context, std::move(reply),
        [work = std::move(work), ro = writable()](Store& store, const JobControl&) -> Result<T> {
            if (!ro)
                return ro.error();
            return work(store);
        },
        changes);
}

Status LocalBackend::writable() const
{
    if (m_options.readOnly)
        return makeError(
            ErrorKind::ReadOnly,
            QStringLiteral("The database is open read-only; reopen it writable to make changes."));
    return {};
}

void LocalBackend::products(QObject* context, Reply<std::vector<Product>> reply)
{
    run<std::vector<Product>>(*m_reader, 0, context, std::move(reply),
                              [](Store& store, const JobControl&) { return store.products().list(true); });
}

void LocalBackend::productPage(const ProductQuery& query, qint64 offset, int limit, int lane,
                               QObject* context, Reply<std::vector<Product>> reply)
{
    run<std::vector<Product>>(*m_reader, lane, context, std::move(reply),
                              [query, offset, limit](Store& store, const JobControl&) {
                                  return store.products().page(query, offset, limit);
                              });
}

void LocalBackend::productCount(const ProductQuery& query, int lane, QObject* context, Reply<qint64> reply)
{
    run<qint64>(*m_counter, lane, context, std::move(reply),
                [query](Store& store, const JobControl&) { return store.products().count(query); });
}

void LocalBackend::productKeyCounts(QObject* context, Reply<QHash<qint64, qint64>> reply)
{
    run<QHash<qint64, qint64>>(
        *m_counter, 0, context, std::move(reply),
        [](Store& store, const JobControl&) -> Result<QHash<qint64, qint64>> {
            auto q = store.database().exec(
                QStringLiteral("SELECT product_id, COUNT(*) FROM license_keys WHERE deleted_at IS NULL "
                               "GROUP BY product_id"));
            if (!q)
                return q.error();
            QHash<qint64, qint64> counts;
            while (q->next())
                counts.insert(q->value(0).toLongLong(), q->value(1).toLongLong());
            return counts;
        });
}

void LocalBackend::createProduct(const Product& product, QObject* context, Reply<Product> reply)
{
    write<Product>(context, std::move(reply), Changes::Products,
                   [product](Store& store) -> Result<Product> { return store.products().create(product); });
}

void LocalBackend::updateProduct(const Product& product, QObject* context, Reply<Product> reply)
{
    write<Product>(context, std::move(reply), Changes::Products, [product](Store& store) -> Result<Product> {
        if (Status s = store.products().update(product); !s)
            return s.error();
        return store.products().find(product.id);
    });
}

// A page from the keyset index when there is one, else from the end when the count says the page
// is in the second half, else with OFFSET.
Result<std::vector<LicenseKey>> LocalBackend::readPage(Store& store, const KeysetCache& indexes,
                                                       const KeyFilter& filter, const KeySort& sort,
                                                       qint64 offset, int limit)
{
    if (const auto index = indexes.find(KeysetIndex::signatureOf(filter, sort)))
        return store.keys().page(filter, sort, offset, limit, *index);
    if (const auto total = indexes.count(KeysetIndex::signatureOf(filter)))
        return store.keys().page(filter, sort, offset, limit, *total);
    return store.keys().page(filter, sort, offset, limit);
}

void LocalBackend::keyPage(const KeyPageRequest& request, int lane, QObject* context, Reply<KeyPage> reply)
{
    run<KeyPage>(*m_reader, lane, context, std::move(reply),
                 [request, indexes = m_indexes](Store& store, const JobControl&) -> Result<KeyPage> {
                     auto rows = readPage(store, *indexes, request.filter, request.sort, request.offset,
                                          request.limit);
                     if (!rows)
                         return rows.error();
                     return KeyPage{request.offset, std::move(rows).value()};
                 });
}

void LocalBackend::keyCount(const KeyFilter& filter, int lane, QObject* context, Reply<qint64> reply)
{
    run<qint64>(*m_counter, lane, context, std::move(reply),
                [filter, indexes = m_indexes](Store& store, const JobControl&) -> Result<qint64> {
                    const quint64 generation = indexes->generation();
                    auto rows = store.keys().count(filter);
                    if (rows)
                        indexes->setCount(KeysetIndex::signatureOf(filter), *rows, generation);
                    return rows;
                });
}

void LocalBackend::prepareIndex(const KeyFilter& filter, const KeySort& sort, int lane, QObject* context,
                                Reply<qint64> reply)
{
    run<qint64>(
        *m_counter, lane, context, std::move(reply),
        [filter, sort, indexes = m_indexes](Store& store, const JobControl& control) -> Result<qint64> {
            if (auto known = indexes->find(KeysetIndex::signatureOf(filter, sort)))
                return known->rowCount;
            const quint64 generation = indexes->generation();
            auto index = store.keys().buildKeysetIndex(filter, sort, control);
            if (!index)
                return index.error();
            const qint64 rows = index->rowCount;
            indexes->insert(std::make_shared<const KeysetIndex>(std::move(index).value()), generation);
            return rows;
        });
}

void LocalBackend::keysInRows(const KeyFilter& filter, const KeySort& sort, const std::vector<RowRange>& rows,
                              qint64 maxRows, QObject* context, Reply<std::vector<LicenseKey>> reply)
{
    run<std::vector<LicenseKey>>(
        *m_reader, 0, context, std::move(reply),
        [filter, sort, rows, maxRows,
         indexes = m_indexes](Store& store, const JobControl&) -> Result<std::vector<LicenseKey>> {
            qint64 total = 0;
            for (const RowRange& r : rows)
                total += r.count;
            if (total > maxRows)
                return makeError(ErrorKind::LimitReached,
                                 QStringLiteral("%1 keys are selected; this works on at most %2 at a time.")
                                     .arg(total)
                                     .arg(maxRows));
            std::vector<LicenseKey> out;
            out.reserve(size_t(total));
            for (const RowRange& r : rows) {
                for (qint64 at = r.first; at < r.first + r.count; at += kRowsChunk) {
                    const int limit = int(std::min<qint64>(kRowsChunk, r.first + r.count - at));
                    auto chunk = readPage(store, *indexes, filter, sort, at, limit);
                    if (!chunk)
                        return chunk.error();
                    out.insert(out.end(), std::make_move_iterator(chunk->begin()),
                               std::make_move_iterator(chunk->end()));
                }
            }
            return out;
        });
}

void LocalBackend::keyDetails(qint64 id, QObject* context, Reply<KeyDetails> reply)
{
    run<KeyDetails>(*m_reader, 0, context, std::move(reply),
                    [id](Store& store, const JobControl&) { return loadDetails(store, id); });
}

void LocalBackend::saveKey(const KeyEdit& edit, QObject* context, Reply<KeyDetails> reply)
{
    write<KeyDetails>(context, std::move(reply), Changes::Keys, [edit](Store& store) -> Result<KeyDetails> {
        if (Status s = store.keys().save(edit); !s)
            return s.error();
        return loadDetails(store, edit.key.id);
    });
}

void LocalBackend::revokeKey(qint64 id, RevokeReason reason, const QString& note, QObject* context,
                             Reply<KeyDetails> reply)
{
    write<KeyDetails>(context, std::move(reply), Changes::Keys,
                      [id, reason, note](Store& store) -> Result<KeyDetails> {
                          if (Status s = store.keys().revoke(id, reason, note); !s)
                              return s.error();
                          return loadDetails(store, id);
                      });
}

void LocalBackend::adjustTokens(qint64 id, qint64 delta, const QString& note, QObject* context,
                                Reply<KeyDetails> reply)
{
    write<KeyDetails>(context, std::move(reply), Changes::Keys,
                      [id, delta, note](Store& store) -> Result<KeyDetails> {
                          if (auto r = store.keys().adjustTokens(id, delta, KeyStore::Audit::Yes, note); !r)
                              return r.error();
                          return loadDetails(store, id);
                      });
}

void LocalBackend::trashKeys(const std::vector<qint64>& ids, QObject* context, Reply<qint64> reply)
{
    write<qint64>(context, std::move(reply), Changes::Keys,
                  [ids](Store& store) -> Result<qint64> { return store.keys().moveToTrash(ids); });
}

void LocalBackend::restoreKeys(const std::vector<qint64>& ids, QObject* context, Reply<qint64> reply)
{
    write<qint64>(context, std::move(reply), Changes::Keys,
                  [ids](Store& store) -> Result<qint64> { return store.keys().restore(ids); });
}

void LocalBackend::purgeKeys(const std::vector<qint64>& ids, QObject* context, Reply<qint64> reply)
{
    write<qint64>(context, std::move(reply), Changes::Keys,
                  [ids](Store& store) -> Result<qint64> { return store.keys().purge(ids); });
}

BackendJob*
LocalBackend::startJob(StoreWorker& worker, const QString& title, Changes changes,
                       std::function<Result<qint64>(Store&, const JobControl&, QStringList&)> work)
{
    return startResultJob(worker, title, changes,
                          [work = std::move(work)](Store& store, const JobControl& control, QStringList& keys,
                                                   std::any&) { return work(store, control, keys); });
}

BackendJob* LocalBackend::startResultJob(
    StoreWorker& worker, const QString& title, Changes changes,
    std::function<Result<qint64>(Store&, const JobControl&, QStringList&, std::any&)> work)
{
    auto* job = new BackendJob(title);
    QPointer<BackendJob> guard(job);
    auto state = job->state();
    StoreWorker::Task task;
    task.cancel = std::shared_ptr<std::atomic<bool>>(state, &state->cancel);
    task.run = [this, guard, state, changes, work = std::move(work),
                indexes = m_indexes](Store& store, const JobControl& base) {
        JobControl control = base;
        control.progress = [state](qint64 done, qint64 total) {
            state->done.store(done);
            state->total.store(total);
        };
        QStringList keys;
        std::any detail;
        Result<qint64> result = work(store, control, keys, detail);
        if (result.ok() && changes == Changes::Keys)
            indexes->invalidate();
        QMetaObject::invokeMethod(
            this,
            [this, guard, changes, result, keys = std::move(keys), detail = std::move(detail)]() mutable {
                if (result.ok())
                    afterChange(changes);
                if (guard)
                    guard->finish(result.ok() ? Status{} : Status(result.error()), result.ok() ? *result : 0,
                                  std::move(keys), std::move(detail));
            },
            Qt::QueuedConnection);
    };
    task.dropped = [this, guard] {
        QMetaObject::invokeMethod(
            this,
            [guard] {
                if (guard)
                    guard->finish(makeError(ErrorKind::Cancelled, QStringLiteral("The database was closed.")),
                                  0);
            },
            Qt::QueuedConnection);
    };
    worker.post(std::move(task));
    return job;
}

BackendJob* LocalBackend::generateKeys(const GenerationRequest& request, const QString& outputPath)
{
    return startJob(*m_writer, tr("Generating keys"), Changes::Keys,
                    [request, outputPath, ro = writable()](Store& store, const JobControl& control,
                                                           QStringList& keys) -> Result<qint64> {
                        if (!ro)
                            return ro.error();
                        std::unique_ptr<KeyFileWriter> file;
                        if (!outputPath.isEmpty()) {
                            auto opened = KeyFileWriter::open(outputPath);
                            if (!opened)
                                return opened.error();
                            file = std::move(opened).value();
                        }
                        const bool retain = request.count <= kRetainedKeys;
                        if (retain)
                            keys.reserve(qsizetype(request.count));
                        auto generated =
                            KeyGeneration::run(store, request, control, [&](const LicenseKey& key) -> Status {
                                if (retain)
                                    keys << key.key;
                                return file ? file->write(key) : Status{};
                            });
                        if (!generated)
                            return generated.error();
                        if (file) {
                            if (Status s = file->commit(); !s)
                                return s.error();
                        }
                        return generated;
                    });
}

BackendJob* LocalBackend::exportKeys(const ExportRequest& request)
{
    return startJob(
        *m_exporter, tr("Exporting keys"), Changes::None,
        [request](Store& store, const JobControl& control, QStringList&) -> Result<qint64> {
            if (!request.keys.isEmpty()) {
                auto ids = store.keys().resolve(request.keys);
                if (!ids)
                    return ids.error();
                return KeyExport::toFile(store.keys(), *ids, request.path, request.format, control);
            }
            if (!request.ids.empty())
                return KeyExport::toFile(store.keys(), request.ids, request.path, request.format, control);
            return KeyExport::toFile(store.keys(), request.filter, request.path, request.format, control);
        });
}

void LocalBackend::previewImport(const QString& path, int rows, QObject* context, Reply<ImportPreview> reply)
{
    run<ImportPreview>(*m_reader, 0, context, std::move(reply),
                       [path, rows](Store&, const JobControl&) { return ImportPreview::read(path, rows); });
}

BackendJob* LocalBackend::importKeys(const ImportRequest& request)
{
    const bool dryRun = request.options.dryRun;
    return startResultJob(
        *m_writer, dryRun ? tr("Checking the file") : tr("Importing keys"),
        dryRun ? Changes::None : Changes::Keys,
        [request, ro = writable()](Store& store, const JobControl& control, QStringList&,
                                   std::any& result) -> Result<qint64> {
            if (!ro)
                return ro.error(); // a dry run too: it checks inside a transaction it rolls back
            QFile file(request.path);
            if (!file.open(QIODevice::ReadOnly))
                return makeError(ErrorKind::Io,
                                 QStringLiteral("Cannot read %1: %2").arg(request.path, file.errorString()));
            auto source = RecordSource::forDevice(file, request.path);
            if (!source)
                return source.error();
            ImportOptions options = request.options;
            options.sourceName = QFileInfo(request.path).fileName();
            std::unique_ptr<ImportReportWriter> report;
            if (!request.reportPath.isEmpty()) {
                report = std::make_unique<ImportReportWriter>(request.reportPath);
                if (Status s = report->open(); !s)
                    return s.error();
            }
            auto summary = KeyImport::run(store, **source, options, control, [&](const ImportProblem& p) {
                if (report)
                    report->add(p);
            });
            if (!summary)
                return summary.error();
            ImportJobResult out;
            out.summary = std::move(summary).value();
            if (report) {
                // The import stands even when its report cannot be written; say so instead.
                if (Status s = report->commit(); s)
                    out.reportPath = request.reportPath;
                else
                    out.reportError = s.errorMessage();
            }
            const qint64 changed = out.summary.imported + out.summary.updated;
            result = std::move(out);
            return changed;
        });
}

void LocalBackend::previewBulkTrash(const BulkTrashTarget& target, int rows, QObject* context,
                                    Reply<BulkTrashPreview> reply)
{
    run<BulkTrashPreview>(
        *m_counter, 0, context, std::move(reply),
        [target, rows](Store& store, const JobControl&) { return BulkTrash::preview(store, target, rows); });
}

BackendJob* LocalBackend::bulkTrash(const BulkTrashRequest& request)
{
    return startResultJob(*m_writer, tr("Moving keys to the trash"), Changes::Keys,
                          [request, ro = writable()](Store& store, const JobControl& control, QStringList&,
                                                     std::any& result) -> Result<qint64> {
                              if (!ro)
                                  return ro.error();
                              auto done = BulkTrash::run(store, request, control);
                              if (!done)
                                  return done.error();
                              const qint64 trashed = done->trashed;
                              result = std::move(done).value();
                              return trashed;
                          });
}

} // namespace keyward
