#include "HttpTestClient.h"
#include "LoadRunner.h"
#include "ServerProcess.h"
#include "Store.h"
#include "TestDatabase.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace keyward;

// keywardd as a process: clean shutdown on SIGTERM/SIGINT without losing counted requests,
// start-up errors with clear messages, --routes, and logs that never show a secret.
class TestServerProcess : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;
    QString db;
    QString token;
    QString admin;
    qint64 productId = 0;
    const QString key = QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD");

    QString writeConfig(const QByteArray& text)
    {
        static int n = 0;
        const QString path = dir.filePath(QStringLiteral("config-%1.ini").arg(++n));
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(text);
        return path;
    }

    QByteArray validateRequest() const
    {
        const QByteArray body = "{\"license_key\":\"" + key.toLatin1() + "\"}";
        return "POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.toLatin1() +
               "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

    qint64 logged()
    {
        auto store = Store::open(DatabaseLocation::sqlite(db), {});
        return store ? *(*store)->requestLog().count({}) : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!ServerProcess::binary().isEmpty(), "KEYWARDD is not set");
        QVERIFY(dir.isValid());
        db = dir.filePath(QStringLiteral("keyward.db"));
        Database::Options create;
        create.create = true;
        auto store = Store::open(DatabaseLocation::sqlite(db), create);
        QVERIFY(store);
        Product p;
        p.name = QStringLiteral("Photo Editor");
        p.keyPrefix = QStringLiteral("PE-");
        p.plan = Plan::Enterprise;
        productId = (*store)->products().create(p)->id;
        token = (*store)->apiKeys().create(productId)->token;
        admin = (*store)->adminTokens().create(AdminRole::Owner, QStringLiteral("alice"))->secret;
        NewKey k;
        k.key = key;
        QVERIFY((*store)->keys().create(productId, k));
    }

    void cleanShutdownKeepsEverything_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void cleanShutdownKeepsEverything()
    {
        QFETCH(int, signal);
        // The request log is flushed every minute at most: what is written comes from the shutdown.
        const QString config =
            writeConfig("[log]\nflush_interval_ms = 60000\n[abuse]\ntoo_fast_requests = 0\n");
        const qint64 before = logged();
        ServerProcess server;
        QVERIFY2(server.start({QStringLiteral("--db"), db, QStringLiteral("--listen"),
                               QStringLiteral("127.0.0.1:0"), QStringLiteral("--config"), config}),
                 qPrintable(server.output()));
        const QMap<int, int> statuses = LoadRunner::run({server.port()}, validateRequest(), 300, 20);
        QCOMPARE(statuses.value(200), 300);
        QVERIFY2(server.stop(signal) == 0, qPrintable(server.output().right(4000)));
        QVERIFY(server.output().contains(QLatin1String("keywardd stopped")));
        QCOMPARE(logged() - before, 300);
        auto store = Store::open(DatabaseLocation::sqlite(db), {});
        QVERIFY(*(*store)->quota().count(productId, QDateTime::currentDateTimeUtc()) >= 300);
    }

    // [testing] clock_start (for tests of processes): Retry-After follows that clock to midnight UTC.
    void testClockFromTheConfiguration()
    {
        auto store = Store::open(DatabaseLocation::sqlite(db), {});
        QVERIFY(store);
        Product p;
        p.name = QStringLiteral("Clock Product");
        p.dailyLimitOverride = 1;
        const qint64 id = (*store)->products().create(p)->id;
        const QString clockToken = (*store)->apiKeys().create(id)->token;
        store->reset();
        const QString config =
            writeConfig("[testing]\nclock_start = 2031-06-30T23:59:00Z\n[abuse]\ntoo_fast_requests = 0\n");
        ServerProcess server;
        QVERIFY2(server.start({QStringLiteral("--db"), db, QStringLiteral("--listen"),
                               QStringLiteral("127.0.0.1:0"), QStringLiteral("--config"), config}),
                 qPrintable(server.output()));
        HttpTestClient c(server.port());
        QCOMPARE(c.post("/api/v1/validate", {{QStringLiteral("license_key"), key}}, clockToken).status, 200);
        const HttpResponse limited =
            c.post("/api/v1/validate", {{QStringLiteral("license_key"), key}}, clockToken);
        QCOMPARE(limited.status, 429);
        const int retry = limited.header("retry-after").toInt();
        QVERIFY2(retry > 40 && retry <= 60, limited.header("retry-after").constData());
        QVERIFY2(server.stop(SIGTERM) == 0, qPrintable(server.output().right(4000)));
        store = Store::open(DatabaseLocation::sqlite(db), {});
        auto usage = (*store)->quota().usage(id, QStringLiteral("2031-06-30"), QStringLiteral("2031-06-30"));
        QCOMPARE(usage->size(), size_t(1));
        QCOMPARE(usage->front().count, 1);
    }

    void startupErrors()
    {
        QString out;
        QCOMPARE(ServerProcess::run({}, &out), 2);
        QVERIFY(out.contains(QLatin1String("--db")));
        QCOMPARE(
            ServerProcess::run({QStringLiteral("--db"), dir.filePath(QStringLiteral("missing.db"))}, &out),
            1);
        QVERIFY2(out.contains(QLatin1String("keyward-cli")), qPrintable(out));
        QCOMPARE(ServerProcess::run({QStringLiteral("--db"), db, QStringLiteral("--config"),
                                     writeConfig("[abuse]\ntoo_fast = 3\n")},
                                    &out),
                 2);
        QVERIFY2(out.contains(QLatin1String("unknown setting")), qPrintable(out));
        QCOMPARE(ServerProcess::run({QStringLiteral("--db"), db, QStringLiteral("--config"),
                                     writeConfig("[limits]\nmax_connections = lots\n")},
                                    &out),
                 2);
        QVERIFY(out.contains(QLatin1String("max_connections")));
        QCOMPARE(
            ServerProcess::run(
                {QStringLiteral("--db"), db, QStringLiteral("--listen"), QStringLiteral("nowhere")}, &out),
            2);
        QCOMPARE(ServerProcess::run({QStringLiteral("--db"), db, QStringLiteral("--config"),
                                     dir.filePath(QStringLiteral("none.ini"))},
                                    &out),
                 2);
        QTcpServer occupied;
        QVERIFY(occupied.listen(QHostAddress::LocalHost));
        QCOMPARE(ServerProcess::run({QStringLiteral("--db"), db, QStringLiteral("--listen"),
                                     QStringLiteral("127.0.0.1:%1").arg(occupied.serverPort())},
                                    &out),
                 1);
        QVERIFY2(out.contains(QLatin1String("Cannot listen")), qPrintable(out));
    }

    void printsItsRoutes()
    {
        QString out;
        QCOMPARE(ServerProcess::run({QStringLiteral("--routes")}, &out), 0);
        for (const char* route :
             {"POST /api/v1/validate", "GET /api/v1/license/{key}", "POST /api/v1/unban-requests",
              "GET /admin/v1/keys", "POST /admin/v1/jobs/generate"})
            QVERIFY2(out.contains(QLatin1String(route)), route);
    }

    // "Never a full license key, API key or admin token in a log line", even with every category on.
    void logsNeverShowSecrets()
    {
        qputenv("QT_LOGGING_RULES", "keyward.*=true\nqt.httpserver*=true");
        ServerProcess server;
        const QString config = writeConfig("[abuse]\ntoo_fast_requests = 3\nunknown_keys = 2\n");
        const bool started =
            server.start({QStringLiteral("--db"), db, QStringLiteral("--listen"),
                          QStringLiteral("127.0.0.1:0"), QStringLiteral("--config"), config});
        qunsetenv("QT_LOGGING_RULES");
        QVERIFY2(started, qPrintable(server.output()));
        HttpTestClient c(server.port());
        c.post("/api/v1/validate", {{QStringLiteral("license_key"), key}}, token);
        c.post("/api/v1/validate",
               {{QStringLiteral("license_key"), QStringLiteral("PE-SECRT-BBBBB-CCCCC-DDDDD")}}, token);
        c.post("/api/v1/validate",
               {{QStringLiteral("license_key"), QStringLiteral("PE-SECRT-BBBBB-CCCCC-EEEEE")}}, token);
        c.post("/api/v1/validate", {{QStringLiteral("license_key"), key}}, token + QStringLiteral("x"));
        c.get("/admin/v1/keys", admin);
        c.get("/admin/v1/keys", admin + QStringLiteral("x"));
        c.request("POST", "/api/v1/validate", "{\"license_key\":\"" + key.toLatin1() + "\"",
                  {{"Authorization", "Bearer " + token.toLatin1()}});
        QTest::qWait(600);
        QVERIFY2(server.stop(SIGTERM) == 0, qPrintable(server.output().right(4000)));
        const QString log = server.output();
        QVERIFY(log.contains(QLatin1String("keyward.server")));
        for (const QString& secret :
             {key, QStringLiteral("PE-SECRT-BBBBB-CCCCC-DDDDD"), QStringLiteral("BBBBB-CCCCC"), token,
              token.mid(3), admin, admin.mid(6)})
            QVERIFY2(!log.contains(secret), qPrintable(QStringLiteral("log shows %1").arg(secret.left(12))));
    }
};

QTEST_GUILESS_MAIN(TestServerProcess)
#include "TestServerProcess.moc"
