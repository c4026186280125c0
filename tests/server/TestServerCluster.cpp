#include "LoadRunner.h"
#include "ServerProcess.h"
#include "Store.h"
#include "TestDatabase.h"

#include <QTemporaryDir>

#include <QTest>
#include <csignal>

using namespace keyward;

// Two keywardd processes on one PostgreSQL database share the daily limit exactly: with a limit of
// 1,000 and 3,000 concurrent requests spread over both, exactly 1,000 are answered and 1,000 are
// stored; the count survives a restart.
class TestServerCluster : public QObject
{
    Q_OBJECT

    static QString url(const DatabaseLocation& l)
    {
        return QStringLiteral("postgresql://%1:%2@%3:%4/%5")
            .arg(l.user, l.password, l.host)
            .arg(l.port)
            .arg(l.database);
    }

private Q_SLOTS:
    void twoInstancesShareTheLimitExactly()
    {
        if (TestDatabase::backendFromEnvironment() != TestDatabase::Backend::Postgres)
            QSKIP("the several-instance test runs on PostgreSQL (KEYWARD_TEST_BACKEND=postgres)");
        QVERIFY2(!ServerProcess::binary().isEmpty(), "KEYWARDD is not set");
        KW_TEST_DATABASE(tdb); // a fresh database on the throwaway server
        QString apiKey;
        qint64 productId = 0;
        {
            auto store = tdb->open();
            QVERIFY(store);
            Product p;
            p.name = QStringLiteral("Cluster Product");
            p.dailyLimitOverride = 1000;
            auto created = store->products().create(p);
            QVERIFY(created);
            productId = created->id;
            apiKey = store->apiKeys().create(productId)->token;
        }
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("keywardd.ini"));
        {
            QFile file(config);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("[server]\nhttp_threads = 2\ndb_workers = 2\n[limits]\nmax_connections = 5000\n"
                       "[abuse]\ntoo_fast_requests = 0\nunknown_keys = 0\n");
        }
        const QStringList args{QStringLiteral("--db"),     url(tdb->location()),
                               QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                               QStringLiteral("--config"), config};
        ServerProcess a;
        ServerProcess b;
        QVERIFY2(a.start(args), qPrintable(a.output()));
        QVERIFY2(b.start(args), qPrintable(b.output()));
        QVERIFY(a.port() != b.port());

        const QByteArray body = QByteArrayLiteral("{\"license_key\":\"AAAAA-BBBBB-CCCCC-DDDDD\"}");
        const QByteArray request =
            "POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + apiKey.toLatin1() +
            "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n\r\n" + body;
        // 3,000 connections at once, one request each, alternating between the two instances.
        const QMap<int, int> statuses = LoadRunner::run({a.port(), b.port()}, request, 3000, 3000, 240000);
        qInfo("answers: %d x 200, %d x 429, %d unanswered", statuses.value(200), statuses.value(429),
              statuses.value(0));
        QCOMPARE(statuses.value(0), 0);
        QCOMPARE(statuses.value(200), 1000);
        QCOMPARE(statuses.value(429), 2000);

        auto store = tdb->open();
        QVERIFY(store);
        QCOMPARE(*store->quota().count(productId, QDateTime::currentDateTimeUtc()), 1000);

        // Restarted, an instance still knows the day's count.
        QVERIFY2(a.stop(SIGTERM) == 0, qPrintable(a.output().right(4000)));
        QVERIFY2(a.start(args), qPrintable(a.output()));
        const QMap<int, int> after = LoadRunner::run({a.port()}, request, 5, 1);
        QCOMPARE(after.value(429), 5);
        QCOMPARE(*store->quota().count(productId, QDateTime::currentDateTimeUtc()), 1000);
        QVERIFY2(a.stop(SIGTERM) == 0, qPrintable(a.output().right(4000)));
        QVERIFY2(b.stop(SIGTERM) == 0, qPrintable(b.output().right(4000)));
        // Every answered request is in the request log (written in batches, flushed at shutdown).
        QCOMPARE(*store->requestLog().count({}), 3005);
    }
};

QTEST_GUILESS_MAIN(TestServerCluster)
#include "TestServerCluster.moc"
