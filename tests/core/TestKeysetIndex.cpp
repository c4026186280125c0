#include "KeyGeneration.h"
#include "KeysetIndex.h"
#include "Store.h"
#include "TestDatabase.h"
#include "UtcTime.h"

#include <QSqlQuery>
#include <QTest>

using namespace keyward;

// Pages read from keyset checkpoints must be exactly the pages OFFSET gives, for every sort
// column and direction, across the NULL block, and at every checkpoint edge. Runs per backend.
class TestKeysetIndex : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<Store> m_store;
    qint64 m_rows = 0;

    QStringList keysOf(const std::vector<LicenseKey>& rows)
    {
        QStringList out;
        for (const LicenseKey& k : rows)
            out << k.key;
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString problem;
        bool skip = false;
        m_db = TestDatabase::create(TestDatabase::backendFromEnvironment(), problem, skip);
        if (!m_db) {
            if (skip)
                QSKIP(qPrintable(problem));
            QFAIL(qPrintable(problem));
        }
        m_store = m_db->open();
        QVERIFY(m_store);
        Product a;
        a.name = QStringLiteral("Alpha");
        Product b;
        b.name = QStringLiteral("Beta");
        b.tokenKeys = true;
        b.defaultTokens = 5;
        auto pa = m_store->products().create(a);
        auto pb = m_store->products().create(b);
        QVERIFY(pa && pb);
        // About 2.5 strides with NULL expiry (never expires), then keys that expire, so the NULL
        // block and the value block both hold checkpoints; repeated values test the id tie-break.
        GenerationRequest never;
        never.productId = pa->id;
        never.count = 5000;
        never.expiresAt = QDateTime();
        QVERIFY(KeyGeneration::run(*m_store, never));
        for (int day = 1; day <= 4; ++day) {
            GenerationRequest dated;
            dated.productId = day % 2 ? pa->id : pb->id;
            dated.count = 1100;
            dated.expiresAt = utcDateTime(QDate(2030, 1, day), QTime(0, 0));
            dated.customerName = QStringLiteral("Customer %1").arg(day);
            QVERIFY(KeyGeneration::run(*m_store, dated));
        }
        m_rows = *m_store->keys().count(KeyFilter{});
        QCOMPARE(m_rows, 9400);
    }

    void cleanupTestCase()
    {
        m_store.reset();
        m_db.reset();
    }

    void pagesMatchOffsetPages_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        for (KeyColumn c : {KeyColumn::Id, KeyColumn::Key, KeyColumn::ExpiresAt, KeyColumn::Tokens,
                            KeyColumn::CustomerName, KeyColumn::Status, KeyColumn::Product}) {
            for (Qt::SortOrder o : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                const QString name =
                    keyColumnName(c) + (o == Qt::AscendingOrder ? QString(" asc") : QString(" desc"));
                QTest::newRow(qPrintable(name)) << int(c) << int(o);
            }
        }
    }

    void pagesMatchOffsetPages()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        const KeySort sort{KeyColumn(column), Qt::SortOrder(order)};
        const KeyFilter filter;
        auto index = m_store->keys().buildKeysetIndex(filter, sort);
        QVERIFY2(index, qPrintable(index.errorMessage()));
        QCOMPARE(index->rowCount, m_rows);
        QCOMPARE(qint64(index->ids.size()), m_rows / KeysetIndex::kStride);
        const qint64 s = KeysetIndex::kStride;
        const qint64 nullEdge = index->nullsFirst ? index->nullRows : m_rows - index->nullRows;
        // Checkpoints, the NULL block's edge, the edges of runs of equal values (5000, 6100, 7200,
        // 8300: keys generated together share their expiry), and the end.
        for (qint64 offset :
             {qint64(0), s - 1, s, s + 1, 2 * s - 3, 3 * s + 17, nullEdge - 5, nullEdge, qint64(6095),
              qint64(6100), qint64(7195), qint64(7199), qint64(7200), qint64(8300), m_rows - 7, m_rows - 1}) {
            if (offset < 0)
                continue;
            auto plain = m_store->keys().page(filter, sort, offset, 10);
            auto fast = m_store->keys().page(filter, sort, offset, 10, *index);
            auto fromEnd = m_store->keys().page(filter, sort, offset, 10, m_rows);
            QVERIFY(plain && fast && fromEnd);
            QCOMPARE(keysOf(*fast), keysOf(*plain));
            QCOMPARE(keysOf(*fromEnd), keysOf(*plain));
        }
    }

    void filteredIndexAndNullCounts()
    {
        KeyFilter filter;
        filter.text = QStringLiteral("Customer");
        const KeySort sort{KeyColumn::ExpiresAt, Qt::DescendingOrder};
        auto index = m_store->keys().buildKeysetIndex(filter, sort);
        QVERIFY(index);
        QCOMPARE(index->rowCount, 4400);
        QCOMPARE(index->nullRows, 0);
        for (qint64 offset : {qint64(0), qint64(2047), qint64(2048), qint64(4399)}) {
            auto plain = m_store->keys().page(filter, sort, offset, 3);
            auto fast = m_store->keys().page(filter, sort, offset, 3, *index);
            QVERIFY(plain && fast);
            QCOMPARE(keysOf(*fast), keysOf(*plain));
        }
        auto all = m_store->keys().buildKeysetIndex(KeyFilter{}, sort);
        QVERIFY(all);
        QCOMPARE(all->nullRows, 5000);
    }

    void pastTheEndIsEmpty()
    {
        const KeySort sort{KeyColumn::ExpiresAt, Qt::AscendingOrder};
        auto index = m_store->keys().buildKeysetIndex(KeyFilter{}, sort);
        QVERIFY(index);
        auto rows = m_store->keys().page(KeyFilter{}, sort, m_rows, 10, *index);
        QVERIFY(rows);
        QVERIFY(rows->empty());
    }

    void cancelFlagStopsARunningStatement()
    {
        if (!m_store->database().isSqlite())
            QSKIP("statements are interrupted on SQLite only (PostgreSQL runs them to the end)");
#ifndef KEYWARD_HAVE_SQLITE3
        QSKIP("built without the sqlite3 headers: no progress handler, statements run to the end");
#endif
        std::atomic<bool> cancel{true};
        m_store->database().setCancelFlag(&cancel);
        auto counted = m_store->keys().count(KeyFilter{});
        m_store->database().setCancelFlag(nullptr);
        QCOMPARE(counted.errorKind(), ErrorKind::Cancelled);
        QVERIFY(m_store->keys().count(KeyFilter{}));
        cancel = false;
        m_store->database().setCancelFlag(&cancel);
        QCOMPARE(*m_store->keys().count(KeyFilter{}), m_rows);
        m_store->database().setCancelFlag(nullptr);
    }

    void cancelStopsTheScan()
    {
        std::atomic<bool> cancel{true};
        JobControl control;
        control.cancel = &cancel;
        auto index = m_store->keys().buildKeysetIndex(KeyFilter{}, KeySort{}, control);
        QVERIFY(!index);
        QCOMPARE(index.errorKind(), ErrorKind::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestKeysetIndex)
#include "TestKeysetIndex.moc"
