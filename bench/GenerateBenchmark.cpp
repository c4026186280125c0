// Generate and store N license keys on SQLite: Keyward's own path (KeyGeneration over the store,
// as the CLI and app use it) against a reference that writes the same rows into the same schema
// through the raw sqlite3 C API. Runs alternate; medians are reported with their ratio.
//
// usage: bench_generate [N=1000000] [RUNS=5] [WORKDIR=/tmp]

#include "KeyGeneration.h"
#include "KeyGenerator.h"
#include "Store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <sodium.h>
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

void removeDatabase(const QString& path)
{
    for (const char* suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
}

// An empty Keyward database with one product: the schema both contenders write into.
bool makeTemplate(const QString& path)
{
    Database::Options create;
    create.create = true;
    auto store = Store::open(DatabaseLocation::sqlite(path), create);
    if (!store)
        return false;
    Product p;
    p.name = QStringLiteral("Bench");
    return bool((*store)->products().create(p));
}

double runKeyward(const QString& templatePath, const QString& path, qint64 count)
{
    removeDatabase(path);
    QFile::copy(templatePath, path);
    auto store = Store::open(DatabaseLocation::sqlite(path));
    if (!store)
        qFatal("%s", qPrintable(store.errorMessage()));
    GenerationRequest request;
    request.productId = 1;
    request.count = count;
    QElapsedTimer timer;
    timer.start();
    auto generated = KeyGeneration::run(**store, request);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (!generated || *generated != count)
        qFatal("keyward generation failed: %s", qPrintable(generated.errorMessage()));
    return seconds;
}

// The reference: libsodium random symbols (rejection sampling over the same alphabet), one
// prepared INSERT re-bound per row, one transaction: the usual fastest way with the C API.
double runRaw(const QString& templatePath, const QString& path, qint64 count)
{
    removeDatabase(path);
    QFile::copy(templatePath, path);
    sqlite3* db = nullptr;
    if (sqlite3_open(QFile::encodeName(path).constData(), &db) != SQLITE_OK)
        qFatal("raw open failed");
    sqlite3_exec(db,
                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
                 "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY",
                 nullptr, nullptr, nullptr);
    const char* sql =
        "INSERT INTO license_keys (product_id, license_key, status, customer_name, customer_email, "
        "notes, created_at, updated_at, expires_at, max_domains, max_uuids, token_balance) "
        "VALUES (1, ?, 'active', '', '', '', ?, ?, NULL, NULL, NULL, NULL)";
    const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    QElapsedTimer timer;
    timer.start();
    sqlite3_stmt* stmt = nullptr;
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    unsigned char random[4096];
    size_t used = sizeof random;
    char key[24] = "XXXXX-XXXXX-XXXXX-XXXXX";
    const sqlite3_int64 now = QDateTime::currentMSecsSinceEpoch();
    for (qint64 i = 0; i < count; ++i) {
        for (int pos = 0; pos < 23; ++pos) {
            if (pos % 6 == 5)
                continue;
            if (used == sizeof random) {
                randombytes_buf(random, sizeof random);
                used = 0;
            }
            key[pos] = alphabet[random[used++] & 31]; // 256 is a multiple of 32: no bias
        }
        sqlite3_bind_text(stmt, 1, key, 23, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 2, now);
        sqlite3_bind_int64(stmt, 3, now);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            qFatal("raw insert failed: %s", sqlite3_errmsg(db));
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    sqlite3_close(db);
    return seconds;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qint64 count = args.size() > 1 ? args.at(1).toLongLong() : 1'000'000;
    const int runs = args.size() > 2 ? args.at(2).toInt() : 5;
    QTemporaryDir dir(args.size() > 3 ? args.at(3) + QStringLiteral("/kw-bench-XXXXXX")
                                      : QDir::tempPath() + QStringLiteral("/kw-bench-XXXXXX"));
    if (sodium_init() < 0 || !dir.isValid())
        return 1;
    const QString templatePath = dir.filePath(QStringLiteral("template.db"));
    if (!makeTemplate(templatePath))
        return 1;

    std::vector<double> keyward;
    std::vector<double> raw;
    for (int run = 0; run < runs; ++run) {
        raw.push_back(runRaw(templatePath, dir.filePath(QStringLiteral("raw.db")), count));
        keyward.push_back(runKeyward(templatePath, dir.filePath(QStringLiteral("keyward.db")), count));
        std::printf("run %d: raw sqlite3 %.3f s, keyward %.3f s\n", run + 1, raw.back(), keyward.back());
    }
    const double k = median(keyward);
    const double r = median(raw);
    std::printf("\ngenerate and store %lld keys, median of %d runs:\n", static_cast<long long>(count), runs);
    std::printf("  raw sqlite3 C API: %.3f s (%.0f keys/s)\n", r, double(count) / r);
    std::printf("  keyward          : %.3f s (%.0f keys/s)\n", k, double(count) / k);
    std::printf("  keyward speed / raw speed = %.2f (target >= 0.50)\n", r / k);
    return 0;
}
