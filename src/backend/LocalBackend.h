#pragma once

#include "Backend.h"
#include "DatabaseLocation.h"
#include "KeysetCache.h"
#include "StoreWorker.h"

#include <any>
#include <memory>

namespace keyward {

// The backend over a database the app opens itself (an SQLite file, or PostgreSQL directly). Each
// kind of work has its own thread and connection, so a running count or export never holds up the
// rows a table is waiting for:
//   reader   pages, key details, products
//   counter  counts and keyset indexes (scans of the whole ordering)
//   writer   every change, generation included (one writer at a time anyway)
//   exporter exports
class LocalBackend : public Backend
{
    Q_OBJECT

public:
    struct Options
    {
        bool create = false;      // create the database when it does not exist
        bool readOnly = false;    // open without ever writing
        QString actor;            // who the audit log names, e.g. "app:alice"
        int busyTimeoutMs = 5000; // how long to wait for another program's write lock
    };

    LocalBackend(DatabaseLocation location, Options options, QObject* parent = nullptr);
    ~LocalBackend() override;

    // Opens every connection; the reply says whether the database can be used.
    void open(QObject* context, Reply<bool> reply);
    const DatabaseLocation& location() const { return m_location; }

    QString displayName() const override;
    bool isReadOnly() const override { return m_options.readOnly; }

    void products(QObject* context, Reply<std::vector<Product>> reply) override;
    void productPage(const ProductQuery& query, qint64 offset, int limit, int lane, QObject* context,
                     Reply<std::vector<Product>> reply) override;
    void productCount(const ProductQuery& query, int lane, QObject* context, Reply<qint64> reply) override;
    void productKeyCounts(QObject* context, Reply<QHash<qint64, qint64>> reply) override;
    void createProduct(const Product& product, QObject* context, Reply<Product> reply) override;
    void updateProduct(const Product& product, QObject* context, Reply<Product> reply) override;

    void keyPage(const KeyPageRequest& request, int lane, QObject* context, Reply<KeyPage> reply) override;
    void keyCount(const KeyFilter& filter, int lane, QObject* context, Reply<qint64> reply) override;
    void prepareIndex(const KeyFilter& filter, const KeySort& sort, int lane, QObject* context,
                      Reply<qint64> reply) override;
    void keysInRows(const KeyFilter& filter, const KeySort& sort, const std::vector<RowRange>& rows,
                    qint64 maxRows, QObject* context, Reply<std::vector<LicenseKey>> reply) override;

    void keyDetails(qint64 id, QObject* context, Reply<KeyDetails> reply) override;
    void saveKey(const KeyEdit& edit, QObject* context, Reply<KeyDetails> reply) override;
    void revokeKey(qint64 id, RevokeReason reason, const QString& note, QObject* context,
                   Reply<KeyDetails> reply) override;
    void adjustTokens(qint64 id, qint64 delta, const QString& note, QObject* context,
                      Reply<KeyDetails> reply) override;

    void trashKeys(const std::vector<qint64>& ids, QObject* context, Reply<qint64> reply) override;
    void restoreKeys(const std::vector<qint64>& ids, QObject* context, Reply<qint64> reply) override;
    void purgeKeys(const std::vector<qint64>& ids, QObject* context, Reply<qint64> reply) override;

    BackendJob* generateKeys(const GenerationRequest& request, const QString& outputPath = {}) override;
    BackendJob* exportKeys(const ExportRequest& request) override;

    void previewImport(const QString& path, int rows, QObject* context, Reply<ImportPreview> reply) override;
    BackendJob* importKeys(const ImportRequest& request) override;
    void previewBulkTrash(const BulkTrashTarget& target, int rows, QObject* context,
                          Reply<BulkTrashPreview> reply) override;
    BackendJob* bulkTrash(const BulkTrashRequest& request) override;

private:
    enum class Changes
    {
        None,
        Keys,
        Products
    };

    template<typename T>
    void run(StoreWorker& worker, int lane, QObject* context, Reply<T> reply,
             std::function<Result<T>(Store&, const JobControl&)> work, Changes changes = Changes::None);
    // A change on the writer, refused up front when the database is open read-only.
    template<typename T>
    void write(QObject* context, Reply<T> reply, Changes changes, std::function<Result<T>(Store&)> work);
    BackendJob* startJob(StoreWorker& worker, const QString& title, Changes changes,
                         std::function<Result<qint64>(Store&, const JobControl&, QStringList&)> work);
    // A job that also hands back a result (BackendJob::result).
    BackendJob*
    startResultJob(StoreWorker& worker, const QString& title, Changes changes,
                   std::function<Result<qint64>(Store&, const JobControl&, QStringList&, std::any&)> work);
    void afterChange(Changes changes);
    Status probeWriteLock(Store& store) const;
    static Result<std::vector<LicenseKey>> readPage(Store& store, const KeysetCache& indexes,
                                                    const KeyFilter& filter, const KeySort& sort,
                                                    qint64 offset, int limit);
    void openReaders(std::function<void(Status)> deliver);
    void failReaders();
    Status writable() const;

    DatabaseLocation m_location;
    Options m_options;
    std::shared_ptr<KeysetCache> m_indexes = std::make_shared<KeysetCache>();
    std::unique_ptr<StoreWorker> m_writer;
    std::unique_ptr<StoreWorker> m_reader;
    std::unique_ptr<StoreWorker> m_counter;
    std::unique_ptr<StoreWorker> m_exporter;
};

} // namespace keyward
