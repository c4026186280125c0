// The desktop app's key table on a database of millions of keys, through the same backend
// (LocalBackend, worker threads) and model (KeyTableModel) the app uses, in a real QTableView on
// the offscreen platform. Each figure is the time until every row the view shows is loaded:
//   open      from creating the backend to the first screen of rows (process start to first rows too)
//   jump      scroll to row R once the background count and keyset index are ready
//   end       scroll to the last row (Ctrl+End)
//   sort      click "Expires": until the first screen of the new order is loaded
//   jumpsort  scroll to the middle of the sorted view once its index is ready
//   filter    type a substring (common: matches a tenth of the keys, all in one run; rare: one key),
//             or a key or email prefix (index seeks)
// A reference runs the same SQL through the raw sqlite3 C API in the same process: the first
// page, the deep page with plain OFFSET, the sorted first page, the filtered first pages.
//
// usage: bench_keytable DB [KEYS=10000000] [RUNS=5]   (builds DB with the bulk path if missing)

#include "KeyGeneration.h"
#include "KeyTableModel.h"
#include "LocalBackend.h"
#include "Store.h"
#include "UtcTime.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>

#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <vector>

using namespace keyward;

namespace {

QElapsedTimer g_processClock;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

long peakRssMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

// Ten batches with different expiry dates and customers, a tenth of them never expiring, so that
// sorting by expiry and filtering by email are realistic.
bool buildDatabase(const QString& path, qint64 keys)
{
    std::fprintf(stderr, "building %s with %lld keys (bulk path)...\n", qPrintable(path), keys);
    Database::Options create;
    create.create = true;
    auto store = Store::open(DatabaseLocation::sqlite(path), create);
    if (!store)
        return false;
    Product p;
    p.name = QStringLiteral("Photo Editor");
    p.keyPrefix = QStringLiteral("PHOTO-");
    auto product = (*store)->products().create(p);
    if (!product)
        return false;
    QElapsedTimer t;
    t.start();
    const qint64 batch = keys / 10;
    for (int i = 0; i < 10; ++i) {
        GenerationRequest r;
        r.productId = product->id;
        r.count = i == 9 ? keys - 9 * batch : batch;
        r.expiresAt = i == 0 ? QDateTime() : utcDateTime(QDate(2027, 1, 1).addDays(i * 37), QTime(12, 0));
        r.customerEmail = QStringLiteral("customer%1@shop%1.example").arg(i);
        r.customerName = QStringLiteral("Customer %1").arg(i);
        auto done = KeyGeneration::run(**store, r);
        if (!done) {
            std::fprintf(stderr, "%s\n", qPrintable(done.errorMessage()));
            return false;
        }
        std::fprintf(stderr, "  %lld keys, %.0f s\n", (i + 1) * batch, double(t.elapsed()) / 1000);
    }
    return true;
}

// A thousand keys sold to customers of their own, spread over the table: what a support engineer
// looks up by email. Idempotent (the email index tells whether they are there).
bool addCustomers(const QString& path)
{
    sqlite3* db = nullptr;
    if (sqlite3_open(qPrintable(path), &db) != SQLITE_OK)
        return false;
    sqlite3_stmt* check = nullptr;
    sqlite3_prepare_v2(
        db,
        "SELECT COUNT(*) FROM license_keys WHERE deleted_at IS NULL AND customer_email >= 'buyer' AND "
        "customer_email < 'buyes'",
        -1, &check, nullptr);
    sqlite3_step(check);
    const bool present = sqlite3_column_int64(check, 0) > 0;
    sqlite3_finalize(check);
    if (!present) {
        sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        sqlite3_exec(
            db,
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999) "
            "UPDATE license_keys SET customer_email = printf('buyer%04d@mail.example', "
            "(SELECT i FROM n WHERE (i * 9973) % (SELECT MAX(id) FROM license_keys) + 1 = license_keys.id)), "
            "customer_name = 'Buyer' WHERE id IN (SELECT (i * 9973) % (SELECT MAX(id) FROM license_keys) + 1 "
            "FROM n)",
            nullptr, nullptr, nullptr);
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    sqlite3_close(db);
    return true;
}

// The raw reference: one statement through sqlite3, stepping every row it returns.
double rawMs(sqlite3* db, const char* sql)
{
    QElapsedTimer t;
    t.start();
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "raw: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    int rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(stmt); ++c)
            (void)sqlite3_column_text(stmt, c);
        ++rows;
    }
    sqlite3_finalize(stmt);
    return double(t.nsecsElapsed()) / 1e6;
}

class Table
{
public:
    Table(Backend& backend) : model(&backend, KeyFilter::Scope::Live)
    {
        view.resize(1200, 800);
        view.verticalHeader()->setVisible(false);
        view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        view.setModel(&model);
        view.horizontalHeader()->setSelectionModel(new QItemSelectionModel(&model, view.horizontalHeader()));
        view.show();
        view.horizontalHeader()->setSortIndicator(KeyTableModel::CreatedCol, Qt::DescendingOrder);
        model.sort(KeyTableModel::CreatedCol, Qt::DescendingOrder);
        view.setSortingEnabled(true);
    }

    // Every row in the viewport has its data (an empty result counts once its count is known).
    bool screenLoaded()
    {
        if (model.rowCount() == 0)
            return model.isCountKnown();
        const int top = view.rowAt(0);
        int bottom = view.rowAt(view.viewport()->height() - 1);
        if (top < 0)
            return false;
        if (bottom < 0)
            bottom = model.rowCount() - 1;
        for (int r = top; r <= bottom; ++r) {
            if (!model.rowAt(r))
                return false;
        }
        return true;
    }

    // Runs `act` and waits, without spinning, until the screen is loaded (the view asks for rows
    // when it paints, as in the app).
    double untilLoaded(const std::function<void()>& act, int timeoutMs = 120000)
    {
        QElapsedTimer t;
        t.start();
        act();
        view.viewport()->update();
        waitFor([this] { return screenLoaded(); }, timeoutMs);
        return double(t.nsecsElapsed()) / 1e6;
    }

    void waitFor(const std::function<bool()>& ready, int timeoutMs = 600000)
    {
        QElapsedTimer t;
        t.start();
        QTimer tick;
        tick.start(1);
        while (!ready() && t.elapsed() < timeoutMs)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }

    void jumpTo(int row) { view.scrollTo(model.index(row, 0), QAbstractItemView::PositionAtTop); }

    KeyTableModel model;
    QTableView view;
};

} // namespace

int main(int argc, char** argv)
{
    g_processClock.start();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_keytable DB [KEYS=10000000] [RUNS=5]\n");
        return 2;
    }
    const QString path = args.at(1);
    const qint64 keys = args.size() > 2 ? args.at(2).toLongLong() : 10'000'000;
    const int runs = args.size() > 3 ? args.at(3).toInt() : 5;
    if (!QFileInfo::exists(path) && !buildDatabase(path, keys))
        return 1;
    if (!addCustomers(path))
        return 1;

    std::map<std::string, std::vector<double>> ms;
    std::vector<double> processToFirstRows;
    qint64 rows = 0;
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer clock;
        clock.start();
        LocalBackend backend(DatabaseLocation::sqlite(path),
                             LocalBackend::Options{false, false, QStringLiteral("bench")});
        bool opened = false;
        backend.open(&app, [&](const Result<bool>& r) {
            if (!r)
                std::fprintf(stderr, "open: %s\n", qPrintable(r.errorMessage()));
            opened = true;
        });
        Table table(backend);
        table.model.setFilter({});
        ms["open"].push_back(table.untilLoaded([] {}));
        if (run == 0)
            processToFirstRows.push_back(double(g_processClock.nsecsElapsed()) / 1e6);
        QElapsedTimer background;
        background.start();
        table.waitFor([&] { return table.model.isCountKnown(); });
        ms["count (background)"].push_back(double(background.nsecsElapsed()) / 1e6);
        table.waitFor([&] { return table.model.isIndexReady(); });
        ms["index (background)"].push_back(double(background.nsecsElapsed()) / 1e6);
        rows = table.model.rowCount();
        const int deep = int(std::min<qint64>(9'999'000, rows - 40));
        ms["jump to row 9,999,000"].push_back(table.untilLoaded([&] { table.jumpTo(deep); }));
        ms["jump to row 5,000,000"].push_back(table.untilLoaded([&] { table.jumpTo(int(rows / 2)); }));
        ms["end (last row)"].push_back(table.untilLoaded([&] { table.view.scrollToBottom(); }));
        ms["top again"].push_back(table.untilLoaded([&] { table.view.scrollToTop(); }));
        {
            QElapsedTimer t;
            t.start();
            table.view.selectAll();
            table.view.repaint();
            ms["select all (Ctrl+A)"].push_back(double(t.nsecsElapsed()) / 1e6);
            table.view.clearSelection();
        }
        ms["sort by expiry"].push_back(table.untilLoaded([&] {
            table.view.horizontalHeader()->setSortIndicator(KeyTableModel::ExpiresCol, Qt::AscendingOrder);
        }));
        table.waitFor([&] { return table.model.isIndexReady(); });
        ms["jump in sorted view"].push_back(table.untilLoaded([&] { table.jumpTo(int(rows / 2) + 1234); }));
        table.view.horizontalHeader()->setSortIndicator(KeyTableModel::CreatedCol, Qt::DescendingOrder);
        KeyFilter common;
        common.text = QStringLiteral("customer7@");
        ms["filter: common substring"].push_back(table.untilLoaded([&] { table.model.setFilter(common); }));
        KeyFilter rare;
        rare.text = QStringLiteral("buyer0042@");
        ms["filter: rare substring"].push_back(table.untilLoaded([&] { table.model.setFilter(rare); }));
        KeyFilter prefix;
        prefix.text = QStringLiteral("PHOTO-7Q");
        prefix.match = KeyFilter::TextMatch::Prefix;
        ms["filter: key prefix"].push_back(table.untilLoaded([&] { table.model.setFilter(prefix); }));
        KeyFilter email;
        email.text = QStringLiteral("buyer0042@");
        email.match = KeyFilter::TextMatch::EmailPrefix;
        ms["filter: email prefix"].push_back(table.untilLoaded([&] { table.model.setFilter(email); }));
        std::fprintf(stderr, "run %d done (%lld rows)\n", run + 1, rows);
    }

    // The same SQL through raw sqlite3.
    sqlite3* db = nullptr;
    sqlite3_open_v2(qPrintable(path), &db, SQLITE_OPEN_READONLY, nullptr);
    const char* cols =
        "SELECT k.id, k.product_id, p.name, k.license_key, k.status, k.customer_name, k.customer_email, "
        "k.notes, k.created_at, k.updated_at, k.expires_at, k.max_domains, k.max_uuids, k.token_balance, "
        "k.revoke_reason, k.revoked_at, k.deleted_at FROM license_keys k JOIN products p ON p.id = "
        "k.product_id WHERE k.deleted_at IS NULL";
    auto q = [&](const QString& tail) { return QByteArray(QByteArray(cols) + tail.toUtf8()); };
    std::map<std::string, std::vector<double>> raw;
    for (int run = 0; run < runs; ++run) {
        raw["open"].push_back(
            rawMs(db, q(QStringLiteral(" ORDER BY k.created_at DESC, k.id DESC LIMIT 256")).constData()));
        raw["jump to row 9,999,000"].push_back(
            rawMs(db, q(QStringLiteral(" ORDER BY k.created_at DESC, k.id DESC LIMIT 256 OFFSET %1")
                            .arg(std::min<qint64>(9'999'000, rows - 40)))
                          .constData()));
        raw["jump to row 5,000,000"].push_back(rawMs(
            db, q(QStringLiteral(" ORDER BY k.created_at DESC, k.id DESC LIMIT 256 OFFSET %1").arg(rows / 2))
                    .constData()));
        raw["sort by expiry"].push_back(
            rawMs(db, q(QStringLiteral(" ORDER BY k.expires_at, k.id LIMIT 256")).constData()));
        const QString like =
            QStringLiteral(" AND (k.license_key LIKE '%%1%' OR k.customer_email LIKE '%%1%' OR "
                           "k.customer_name LIKE '%%1%' OR k.notes LIKE '%%1%') ORDER BY k.created_at "
                           "DESC, k.id DESC LIMIT 256");
        raw["filter: common substring"].push_back(
            rawMs(db, q(like.arg(QStringLiteral("customer7@"))).constData()));
        raw["filter: rare substring"].push_back(
            rawMs(db, q(like.arg(QStringLiteral("buyer0042@"))).constData()));
        raw["filter: email prefix"].push_back(rawMs(
            db, q(QStringLiteral(" AND k.customer_email >= 'buyer0042@' AND k.customer_email < 'buyer0042A' "
                                 "ORDER BY k.created_at DESC, k.id DESC LIMIT 256"))
                    .constData()));
        raw["count (background)"].push_back(
            rawMs(db, "SELECT COUNT(*) FROM license_keys WHERE deleted_at IS NULL"));
    }
    sqlite3_close(db);

    std::printf("key table, %lld keys, %d runs (medians, ms)\n", rows, runs);
    std::printf("%-28s %12s %12s %8s\n", "", "Keyward", "raw sqlite3", "ratio");
    for (const auto& [name, values] : ms) {
        const double k = median(values);
        auto it = raw.find(name);
        if (it != raw.end()) {
            const double r = median(it->second);
            std::printf("%-28s %12.1f %12.1f %8.2f\n", name.c_str(), k, r, r > 0 ? k / r : 0);
        } else {
            std::printf("%-28s %12.1f %12s %8s\n", name.c_str(), k, "", "");
        }
    }
    std::printf("process start to first rows (run 1): %.0f ms\n",
                processToFirstRows.empty() ? 0.0 : processToFirstRows[0]);
    std::printf("peak memory (RSS): %ld MiB\n", peakRssMiB());
    return 0;
}
