// Import a 1,000,000-row CSV with full checks, then bulk-delete 1,000,000 keys to the trash, on
// SQLite, through the same core code the CLI and app use. For scale, the same key rows are also
// written by a raw sqlite3 C API loop into the same schema in the same run, and the same keys are
// moved to the trash by one raw sqlite3 UPDATE (no audit entries, no checks).
//
// The wizards' paths are measured too: the check (a dry run of the import) and BulkTrash (the
// bulk-delete job: ids read in the write transaction, then trashed in chunks with progress),
// without and with a CSV backup.
//
// usage: bench_import [ROWS=1000000] [RUNS=3] [WORKDIR=/tmp]

#include "BulkTrash.h"
#include "CsvReader.h"
#include "KeyGenerator.h"
#include "KeyImport.h"
#include "Store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace keyward;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double seconds(const QElapsedTimer& t)
{
    return double(t.nsecsElapsed()) / 1e9;
}

void fresh(const QString& templatePath, const QString& path)
{
    for (const char* suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
    QFile::copy(templatePath, path);
}

// A realistic export from an older system: key, customer, email, expiry, notes.
QStringList writeCsv(const QString& path, qint64 rows)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write("license_key,customer_name,customer_email,expires,notes\n");
    KeyGenerator generator{KeyFormat()};
    QStringList keys;
    keys.reserve(rows);
    QByteArray chunk;
    for (qint64 i = 0; i < rows; ++i) {
        const QString key = generator.next();
        keys << key;
        chunk += key.toLatin1() + ",Customer " + QByteArray::number(i) + ",user" + QByteArray::number(i) +
                 "@example.com,2028-0" + QByteArray::number(1 + i % 9) + "-15,\"imported, batch " +
                 QByteArray::number(i % 100) + "\"\n";
        if (chunk.size() > (1 << 20)) {
            file.write(chunk);
            chunk.clear();
        }
    }
    file.write(chunk);
    return keys;
}

double rawInsert(const QString& path, const QStringList& keys)
{
    sqlite3* db = nullptr;
    sqlite3_open(QFile::encodeName(path).constData(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536",
                 nullptr, nullptr, nullptr);
    QElapsedTimer t;
    t.start();
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(
        db,
        "INSERT INTO license_keys (product_id, license_key, status, customer_name, customer_email, "
        "notes, created_at, updated_at, expires_at) VALUES (1, ?, 'active', ?, ?, ?, 0, 0, ?)",
        -1, &stmt, nullptr);
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const QByteArray key = keys.at(i).toLatin1();
        const QByteArray name = "Customer " + QByteArray::number(i);
        const QByteArray email = "user" + QByteArray::number(i) + "@example.com";
        const QByteArray notes = "imported, batch " + QByteArray::number(i % 100);
        sqlite3_bind_text(stmt, 1, key.constData(), int(key.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 2, name.constData(), int(name.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 3, email.constData(), int(email.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 4, notes.constData(), int(notes.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(stmt, 5, 1830000000000LL + i % 9);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            qFatal("raw insert: %s", sqlite3_errmsg(db));
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    const double s = seconds(t);
    sqlite3_close(db);
    return s;
}

// Moves every live key to the trash (or back) with one UPDATE on a connection of its own.
double rawTrash(const QString& path, bool toTrash)
{
    sqlite3* db = nullptr;
    sqlite3_open(QFile::encodeName(path).constData(), &db);
    sqlite3_busy_timeout(db, 10000);
    sqlite3_exec(db, "PRAGMA cache_size = -65536", nullptr, nullptr, nullptr);
    QElapsedTimer t;
    t.start();
    const char* sql = toTrash
                          ? "UPDATE license_keys SET deleted_at = 1830000000000, updated_at = 1830000000000 "
                            "WHERE product_id = 1 AND deleted_at IS NULL"
                          : "UPDATE license_keys SET deleted_at = NULL WHERE product_id = 1";
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK)
        qFatal("raw trash: %s", error);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    const double s = seconds(t);
    sqlite3_close(db);
    return s;
}

Result<ImportSummary> importFile(Store& store, const QString& csv, bool dryRun)
{
    QFile file(csv);
    file.open(QIODevice::ReadOnly);
    CsvReader reader(file);
    if (Status s = reader.open(); !s)
        return s.error();
    ImportOptions options;
    options.productId = 1;
    options.mapping = ImportMapping::guess(reader.columns());
    options.dryRun = dryRun;
    return KeyImport::run(store, reader, options);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qint64 rows = args.size() > 1 ? args.at(1).toLongLong() : 1'000'000;
    const int runs = args.size() > 2 ? args.at(2).toInt() : 3;
    QTemporaryDir dir((args.size() > 3 ? args.at(3) : QDir::tempPath()) +
                      QStringLiteral("/kw-import-XXXXXX"));
    const QString templatePath = dir.filePath(QStringLiteral("template.db"));
    {
        Database::Options create;
        create.create = true;
        auto store = Store::open(DatabaseLocation::sqlite(templatePath), create);
        Product p;
        p.name = QStringLiteral("Bench");
        if (!store || !(*store)->products().create(p))
            return 1;
    }
    const QString csv = dir.filePath(QStringLiteral("keys.csv"));
    const QStringList keys = writeCsv(csv, rows);
    std::printf("CSV: %lld rows, %.1f MB\n", static_cast<long long>(rows), double(QFile(csv).size()) / 1e6);

    std::vector<double> importTimes, checkTimes, rawTimes, rawTrashTimes, trashFilterTimes, trashIdsTimes,
        restoreTimes, bulkTimes, bulkBackupTimes;
    const QString path = dir.filePath(QStringLiteral("bench.db"));
    const QString backup = dir.filePath(QStringLiteral("backup.csv"));
    KeyFilter byProduct;
    byProduct.productId = 1;
    for (int run = 0; run < runs; ++run) {
        fresh(templatePath, path);
        rawTimes.push_back(rawInsert(path, keys));

        fresh(templatePath, path);
        auto store = Store::open(DatabaseLocation::sqlite(path));
        QElapsedTimer t;
        t.start();
        auto check = importFile(**store, csv, true);
        checkTimes.push_back(seconds(t));
        if (!check || check->imported != rows)
            qFatal("check failed: %s", qPrintable(check.errorMessage()));
        t.restart();
        auto summary = importFile(**store, csv, false);
        importTimes.push_back(seconds(t));
        if (!summary || summary->imported != rows)
            qFatal("import failed: %s", qPrintable(summary.errorMessage()));

        rawTrashTimes.push_back(rawTrash(path, true));
        rawTrash(path, false);

        t.restart();
        auto trashed = (*store)->keys().moveToTrash(byProduct);
        trashFilterTimes.push_back(seconds(t));
        if (!trashed || *trashed != rows)
            qFatal("trash by filter failed");

        KeyFilter inTrash;
        inTrash.scope = KeyFilter::Scope::Trash;
        const std::vector<qint64> ids = *(*store)->keys().ids(inTrash);
        t.restart();
        auto restored = (*store)->keys().restore(ids);
        restoreTimes.push_back(seconds(t));
        t.restart();
        auto trashedIds = (*store)->keys().moveToTrash(ids);
        trashIdsTimes.push_back(seconds(t));
        if (!restored || !trashedIds || *trashedIds != rows)
            qFatal("trash by ids failed");
        (*store)->keys().restore(ids);

        // The bulk-delete wizard's job, by filter: without, then with a backup.
        BulkTrashRequest request;
        request.target = BulkTrashTarget::ofFilter(byProduct);
        request.expectedCount = rows;
        t.restart();
        auto bulk = BulkTrash::run(**store, request);
        bulkTimes.push_back(seconds(t));
        if (!bulk || bulk->trashed != rows)
            qFatal("bulk trash failed: %s", qPrintable(bulk.errorMessage()));
        (*store)->keys().restore(bulk->ids);
        request.backupPath = backup;
        t.restart();
        auto withBackup = BulkTrash::run(**store, request);
        bulkBackupTimes.push_back(seconds(t));
        if (!withBackup || withBackup->backedUp != rows)
            qFatal("bulk trash with backup failed: %s", qPrintable(withBackup.errorMessage()));
        QFile::remove(backup);
        std::printf("run %d: raw insert %.2f s, check %.2f s, import %.2f s, raw trash %.2f s, trash by "
                    "filter %.2f s, "
                    "restore %.2f s, trash by ids %.2f s, bulk trash %.2f s, with backup %.2f s\n",
                    run + 1, rawTimes.back(), checkTimes.back(), importTimes.back(), rawTrashTimes.back(),
                    trashFilterTimes.back(), restoreTimes.back(), trashIdsTimes.back(), bulkTimes.back(),
                    bulkBackupTimes.back());
        std::fflush(stdout);
    }
    std::printf("\nmedians of %d runs, %lld keys:\n", runs, static_cast<long long>(rows));
    std::printf("  raw sqlite3 insert of the same rows (no checks): %.2f s\n", median(rawTimes));
    std::printf("  check (dry run) of the CSV:                      %.2f s\n", median(checkTimes));
    std::printf(
        "  import CSV with full checks:                     %.2f s (target < 10 s; %.2fx the raw insert)\n",
        median(importTimes), median(importTimes) / median(rawTimes));
    std::printf("  raw sqlite3 UPDATE to trash (no audit):          %.2f s\n", median(rawTrashTimes));
    std::printf("  KeyStore::moveToTrash by filter (no rebuild):    %.2f s (%.2fx the raw UPDATE)\n",
                median(trashFilterTimes), median(trashFilterTimes) / median(rawTrashTimes));
    std::printf("  KeyStore::moveToTrash by 1M ids (no rebuild):    %.2f s\n", median(trashIdsTimes));
    std::printf(
        "  bulk delete (BulkTrash: wizard and CLI), filter: %.2f s (target < 5 s; %.2fx the raw UPDATE)\n",
        median(bulkTimes), median(bulkTimes) / median(rawTrashTimes));
    std::printf("  bulk-delete job with a CSV backup first:         %.2f s\n", median(bulkBackupTimes));
    std::printf("  restore 1M ids from trash:                       %.2f s\n", median(restoreTimes));
    return 0;
}
