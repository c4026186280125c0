#pragma once

#include "AuditLog.h"
#include "BulkTrash.h"
#include "ImportPreview.h"
#include "KeyExportWriter.h"
#include "KeyGeneration.h"
#include "KeyImport.h"
#include "KeyQuery.h"
#include "KeyStore.h"
#include "LicenseKey.h"
#include "Product.h"
#include "ProductStore.h"
#include "Result.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <vector>

namespace keyward {

class BackendJob;

// A page of rows of one ordering of the keys, starting at `offset`.
struct KeyPageRequest
{
    KeyFilter filter;
    KeySort sort;
    qint64 offset = 0;
    int limit = 256;
};

struct KeyPage
{
    qint64 offset = 0;
    std::vector<LicenseKey> rows;
};

// Everything the detail editor shows about one key.
struct KeyDetails
{
    LicenseKey key;
    std::vector<Activation> activations;
    std::vector<AuditEntry> history; // newest first
    Product product;
};

// Rows [first, first + count) of an ordering, e.g. a selection in a table.
struct RowRange
{
    qint64 first = 0;
    qint64 count = 0;
};

struct ExportRequest
{
    QString path;
    ExportFormat format = ExportFormat::Csv;
    KeyFilter filter;        // used when ids and keys are empty
    std::vector<qint64> ids; // the keys to export, in this order
    QStringList keys;        // or the keys by their strings (e.g. just generated)
};

// An import of one file into one product (see KeyImport); options.sourceName is the file's name.
struct ImportRequest
{
    QString path;
    ImportOptions options;
    QString reportPath; // when set, every problem (not only the kept ones) is also written there as CSV
};

// What an import job hands back (BackendJob::result).
struct ImportJobResult
{
    ImportSummary summary;
    QString reportPath; // the report written, empty when none was asked for or it could not be written
    QString reportError;
};

template<typename T>
using Reply = std::function<void(const Result<T>&)>;

// What the desktop app talks to: one asynchronous interface over a local database (LocalBackend)
// or, later, a license server's admin API. Every call returns at once; its reply runs later on
// the GUI thread, and not at all once `context` is destroyed. Long work runs as a BackendJob with
// progress and cancel.
//
// Reads that a table makes again and again take a lane (see newLane): a request replaces one on
// the same lane that is still waiting, and stops one that is running, so the newest wins. The
// replaced request's reply gets ErrorKind::Cancelled.
class Backend : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual QString displayName() const = 0;
    virtual bool isReadOnly() const = 0;
    int newLane() { return ++m_lastLane; }

    // A generation job keeps the new keys (to copy or export them) up to this many.
    static constexpr qint64 kRetainedKeys = 1'000'000;

    // Products.
    virtual void products(QObject* context, Reply<std::vector<Product>> reply) = 0; // all, by name
    virtual void productPage(const ProductQuery& query, qint64 offset, int limit, int lane, QObject* context,
                             Reply<std::vector<Product>> reply) = 0;
    virtual void productCount(const ProductQuery& query, int lane, QObject* context, Reply<qint64> reply) = 0;
    virtual void productKeyCounts(QObject* context, Reply<QHash<qint64, qint64>> reply) = 0;
    virtual void createProduct(const Product& product, QObject* context, Reply<Product> reply) = 0;
    virtual void updateProduct(const Product& product, QObject* context, Reply<Product> reply) = 0;

    // Key tables. keyCount answers fast; prepareIndex then makes pages at any offset of the same
    // filter and sort fast, and answers with the row count it saw.
    virtual void keyPage(const KeyPageRequest& request, int lane, QObject* context, Reply<KeyPage> reply) = 0;
    virtual void keyCount(const KeyFilter& filter, int lane, QObject* context, Reply<qint64> reply) = 0;
    virtual void prepareIndex(const KeyFilter& filter, const KeySort& sort, int lane, QObject* context,
                              Reply<qint64> reply) = 0;
    // Ids and key strings of rows of an ordering, e.g. of a table selection (at most maxRows).
    virtual void keysInRows(const KeyFilter& filter, const KeySort& sort, const std::vector<RowRange>& rows,
                            qint64 maxRows, QObject* context, Reply<std::vector<LicenseKey>> reply) = 0;

    // One key.
    virtual void keyDetails(qint64 id, QObject* context, Reply<KeyDetails> reply) = 0;
    virtual void saveKey(const KeyEdit& edit, QObject* context, Reply<KeyDetails> reply) = 0;
    virtual void revokeKey(qint64 id, RevokeReason reason, const QString& note, QObject* context,
                           Reply<KeyDetails> reply) = 0;
    virtual void adjustTokens(qint64 id, qint64 delta, const QString& note, QObject* context,
                              Reply<KeyDetails> reply) = 0;

    // Trash. Each answers with the number of keys changed.
    virtual void trashKeys(const std::vector<qint64>& ids, QObject* context, Reply<qint64> reply) = 0;
    virtual void restoreKeys(const std::vector<qint64>& ids, QObject* context, Reply<qint64> reply) = 0;
    virtual void purgeKeys(const std::vector<qint64>& ids, QObject* context, Reply<qint64> reply) = 0;

    // Long work. The job belongs to the caller (delete it when done with it).
    // With an output path, every new key is also written to that file (CSV or JSON by its suffix),
    // which appears only if the generation succeeds.
    virtual BackendJob* generateKeys(const GenerationRequest& request, const QString& outputPath = {}) = 0;
    virtual BackendJob* exportKeys(const ExportRequest& request) = 0;

    // Import: the start of a file with the guessed mapping, read off the GUI thread; then the
    // import (or dry run) as a job whose result<ImportJobResult>() has the counts and problems.
    virtual void previewImport(const QString& path, int rows, QObject* context,
                               Reply<ImportPreview> reply) = 0;
    virtual BackendJob* importKeys(const ImportRequest& request) = 0;
    // Bulk delete: what it would do, then the job (result<BulkTrashResult>() lists the keys moved,
    // to restore exactly those).
    virtual void previewBulkTrash(const BulkTrashTarget& target, int rows, QObject* context,
                                  Reply<BulkTrashPreview> reply) = 0;
    virtual BackendJob* bulkTrash(const BulkTrashRequest& request) = 0;

Q_SIGNALS:
    // After any change this backend made, so that tables reload what they show.
    void keysChanged();
    void productsChanged();

private:
    int m_lastLane = 0;
};

} // namespace keyward
