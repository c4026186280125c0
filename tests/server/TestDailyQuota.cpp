#include "DailyQuota.h"
#include "Store.h"
#include "TestDatabase.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <vector>

using namespace keyward;

// The daily limit: checked and counted in one statement, exact under concurrency.
class TestDailyQuota : public QObject
{
    Q_OBJECT

    static QDateTime at(const char* iso)
    {
        return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    }

    static qint64 makeProduct(Store& store)
    {
        Product p;
        p.name = QStringLiteral("Quota Product");
        auto created = store.products().create(p);
        if (!created)
            qFatal("%s", qPrintable(created.errorMessage()));
        return created->id;
    }

private Q_SLOTS:
    void secondsUntilMidnight()
    {
        QCOMPARE(DailyQuota::secondsUntilReset(at("2026-03-01T23:00:00Z")), 3600);
        QCOMPARE(DailyQuota::secondsUntilReset(at("2026-03-01T23:59:59Z")), 1);
        QCOMPARE(DailyQuota::secondsUntilReset(at("2026-03-01T23:59:59.500Z")), 1);
        QCOMPARE(DailyQuota::secondsUntilReset(at("2026-03-01T00:00:00Z")), 86400);
        QCOMPARE(DailyQuota::secondsUntilReset(at("2026-03-01T12:00:00.001Z")), 43200);
        // A time given with an offset is counted in UTC: 01:00+02:00 is 23:00 UTC the day before.
        QCOMPARE(DailyQuota::secondsUntilReset(at("2026-03-02T01:00:00+02:00")), 3600);
        QCOMPARE(DailyQuota::dayOf(at("2026-03-02T01:00:00+02:00")), QStringLiteral("2026-03-01"));
    }

    void grantsUpToTheLimit()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        QVERIFY(store);
        const qint64 product = makeProduct(*store);
        DailyQuota& quota = store->quota();
        const QDateTime now = at("2026-03-01T10:00:00Z");
        QCOMPARE(*quota.grant(product, 5, 1, now), 1);
        QCOMPARE(*quota.grant(product, 5, 3, now), 3);
        QCOMPARE(*quota.grant(product, 5, 3, now), 1); // only one left
        QCOMPARE(*quota.grant(product, 5, 1, now), 0);
        QCOMPARE(*quota.count(product, now), 5);
        // A first request of a day with a limit below the batch.
        QCOMPARE(*quota.grant(product, 2, 10, now.addDays(1)), 2);
        QCOMPARE(*quota.count(product, now.addDays(1)), 2);
        // Limit 0 grants nothing and stores nothing; unlimited grants everything.
        QCOMPARE(*quota.grant(product, 0, 3, now.addDays(2)), 0);
        QCOMPARE(*quota.count(product, now.addDays(2)), 0);
        QCOMPARE(*quota.grant(product, std::nullopt, 7, now.addDays(3)), 7);
        QCOMPARE(*quota.grant(product, std::nullopt, 7, now.addDays(3)), 7);
        QCOMPARE(*quota.count(product, now.addDays(3)), 14);
        // A raised limit takes effect at once.
        QCOMPARE(*quota.grant(product, 6, 5, now), 1);
        QCOMPARE(*quota.count(product, now), 6);
    }

    void resetsAtMidnightUtc()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        QVERIFY(store);
        const qint64 product = makeProduct(*store);
        DailyQuota& quota = store->quota();
        QCOMPARE(*quota.grant(product, 2, 2, at("2026-03-01T23:59:59.999Z")), 2);
        QCOMPARE(*quota.grant(product, 2, 1, at("2026-03-01T23:59:59.999Z")), 0);
        QCOMPARE(*quota.grant(product, 2, 1, at("2026-03-02T00:00:00Z")), 1);
        auto usage = quota.usage(product, QStringLiteral("2026-03-01"), QStringLiteral("2026-03-31"));
        QVERIFY(usage);
        QCOMPARE(usage->size(), size_t(2));
        QCOMPARE(usage->at(0).day, QStringLiteral("2026-03-01"));
        QCOMPARE(usage->at(0).count, 2);
        QCOMPARE(usage->at(1).count, 1);
        QCOMPARE(
            quota.usage(std::nullopt, QStringLiteral("2026-03-02"), QStringLiteral("2026-03-02"))->size(),
            size_t(1));
    }

    // Many connections grant at once; together they never pass the limit, and the stored count is
    // exactly the number granted.
    void exactUnderConcurrency()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        QVERIFY(store);
        const qint64 product = makeProduct(*store);
        const QDateTime now = at("2026-03-01T10:00:00Z");
        constexpr int kThreads = 6;
        constexpr int kPerThread = 300;
        constexpr qint64 kLimit = 1000;
        std::atomic<qint64> granted{0};
        std::atomic<int> failures{0};
        std::vector<QThread*> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.push_back(QThread::create([&, t] {
                auto own = Store::open(tdb->location(), {});
                if (!own) {
                    ++failures;
                    return;
                }
                for (int i = 0; i < kPerThread; ++i) {
                    auto g = (*own)->quota().grant(product, kLimit, (i + t) % 3 + 1, now);
                    if (!g)
                        ++failures;
                    else
                        granted += *g;
                }
            }));
            threads.back()->start();
        }
        for (QThread* t : threads) {
            QVERIFY(t->wait(120000));
            delete t;
        }
        QCOMPARE(failures.load(), 0);
        QCOMPARE(granted.load(), kLimit);
        QCOMPARE(*store->quota().count(product, now), kLimit);
    }
};

QTEST_GUILESS_MAIN(TestDailyQuota)
#include "TestDailyQuota.moc"
