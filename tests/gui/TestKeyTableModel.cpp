#include "KeyGeneration.h"
#include "KeyTableModel.h"
#include "LocalBackend.h"
#include "ProductTableModel.h"
#include "TestDatabase.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace keyward;

// KeyTableModel and ProductTableModel over a real LocalBackend: paging, count, sorting and
// filtering in SQL, refresh after changes, and the model contract (QAbstractItemModelTester).
class TestKeyTableModel : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<LocalBackend> m_backend;
    qint64 m_productId = 0;

    static constexpr int kKeys = 3000;

    // Waits until every row in [first, last] is loaded.
    static bool waitForRows(KeyTableModel& model, int first, int last)
    {
        return QTest::qWaitFor(
            [&] {
                for (int r = first; r <= last; ++r) {
                    (void)model.data(model.index(r, 0), Qt::DisplayRole); // asks for missing pages
                    if (!model.rowAt(r))
                        return false;
                }
                return true;
            },
            20000);
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
        {
            auto store = m_db->open();
            Product p;
            p.name = QStringLiteral("Model Test");
            auto created = store->products().create(p);
            QVERIFY(created);
            m_productId = created->id;
            GenerationRequest request;
            request.productId = m_productId;
            request.count = kKeys;
            request.customerEmail = QStringLiteral("buyer@example.com");
            QVERIFY(KeyGeneration::run(*store, request));
            request.count = 25;
            request.customerEmail = QStringLiteral("special@shop.test");
            QVERIFY(KeyGeneration::run(*store, request));
        }
        m_backend =
            std::make_unique<LocalBackend>(m_db->location(), LocalBackend::Options{false, false, "test"});
        bool opened = false;
        m_backend->open(this, [&](const Result<bool>& r) {
            QVERIFY2(r, qPrintable(r.errorMessage()));
            opened = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(opened, 20000);
    }

    void cleanupTestCase()
    {
        m_backend.reset();
        m_db.reset();
    }

    void loadsCountAndPagesOnDemand()
    {
        KeyTableModel model(m_backend.get(), KeyFilter::Scope::Live);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy counted(&model, &PagedModelBase::countChanged);
        model.setFilter({});
        QTRY_VERIFY_WITH_TIMEOUT(model.isCountKnown(), 20000);
        QCOMPARE(model.rowCount(), kKeys + 25);
        // A row far from the first page is a placeholder until its page arrives.
        const QModelIndex deep = model.index(2900, KeyTableModel::KeyCol);
        QCOMPARE(model.data(deep, Qt::DisplayRole).toString(), QStringLiteral("Loading…"));
        QVERIFY(waitForRows(model, 2900, 2910));
        QVERIFY(model.data(deep, Qt::DisplayRole).toString().size() >= 20);
        QVERIFY(model.data(deep, KeyTableModel::IdRole).toLongLong() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(model.isIndexReady(), 20000);
    }

    void sortsInTheDatabase()
    {
        KeyTableModel model(m_backend.get(), KeyFilter::Scope::Live);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFilter({});
        QTRY_VERIFY_WITH_TIMEOUT(model.isCountKnown(), 20000);
        QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
        model.sort(KeyTableModel::KeyCol, Qt::DescendingOrder);
        QCOMPARE(layout.count(), 1);
        QVERIFY(waitForRows(model, 0, 300));
        QStringList keys;
        for (int r = 0; r <= 300; ++r)
            keys << model.rowAt(r)->key;
        QStringList sorted = keys;
        std::sort(sorted.begin(), sorted.end(), std::greater<>());
        QCOMPARE(keys, sorted);
        // The last row after sorting descending is the smallest key of all.
        QTRY_VERIFY_WITH_TIMEOUT(model.isIndexReady(), 20000);
        const int last = model.rowCount() - 1;
        QVERIFY(waitForRows(model, last, last));
        model.sort(KeyTableModel::KeyCol, Qt::AscendingOrder);
        QVERIFY(waitForRows(model, 0, 0));
        const QString smallest = model.rowAt(0)->key;
        model.sort(KeyTableModel::KeyCol, Qt::DescendingOrder);
        QVERIFY(waitForRows(model, last, last));
        QCOMPARE(model.rowAt(last)->key, smallest);
    }

    void filtersInTheDatabase()
    {
        KeyTableModel model(m_backend.get(), KeyFilter::Scope::Live);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        KeyFilter filter;
        filter.text = QStringLiteral("shop.test");
        model.setFilter(filter);
        QTRY_VERIFY_WITH_TIMEOUT(model.isCountKnown(), 20000);
        QCOMPARE(model.rowCount(), 25);
        QVERIFY(waitForRows(model, 0, 24));
        for (int r = 0; r < 25; ++r)
            QCOMPARE(model.rowAt(r)->customerEmail, QStringLiteral("special@shop.test"));
        filter.text = QStringLiteral("special@");
        filter.match = KeyFilter::TextMatch::EmailPrefix;
        model.setFilter(filter);
        QTRY_VERIFY_WITH_TIMEOUT(model.isCountKnown() && model.rowCount() == 25, 20000);
        filter.text = QStringLiteral("shop.test"); // not how the emails start
        model.setFilter(filter);
        QTRY_VERIFY_WITH_TIMEOUT(model.isCountKnown() && model.rowCount() == 0, 20000);
        filter.match = KeyFilter::TextMatch::Substring;
        filter.text = QStringLiteral("nothing-matches-this");
        model.setFilter(filter);
        QTRY_VERIFY_WITH_TIMEOUT(model.isCountKnown(), 20000);
        QCOMPARE(model.rowCount(), 0);
    }

    void refreshesAfterChangesAndTrashScope()
    {
        KeyTableModel live(m_backend.get(), KeyFilter::Scope::Live);
        KeyTableModel trash(m_backend.get(), KeyFilter::Scope::Trash);
        QAbstractItemModelTester t1(&live, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&trash, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(m_backend.get(), &Backend::keysChanged, &live, [&] { live.refresh(); });
        connect(m_backend.get(), &Backend::keysChanged, &trash, [&] { trash.refresh(); });
        live.setFilter({});
        trash.setFilter({});
        QTRY_VERIFY_WITH_TIMEOUT(live.isCountKnown() && trash.isCountKnown(), 20000);
        const int before = live.rowCount();
        QCOMPARE(trash.rowCount(), 0);
        QVERIFY(waitForRows(live, 0, 2));
        const std::vector<qint64> ids{live.rowAt(0)->id, live.rowAt(1)->id, live.rowAt(2)->id};
        bool done = false;
        m_backend->trashKeys(ids, this, [&](const Result<qint64>& r) {
            QVERIFY(r);
            QCOMPARE(*r, 3);
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(live.rowCount(), before - 3, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(trash.rowCount(), 3, 20000);
        done = false;
        m_backend->restoreKeys(ids, this, [&](const Result<qint64>& r) {
            QVERIFY(r);
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(live.rowCount(), before, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(trash.rowCount(), 0, 20000);
    }

    void newestRequestWins()
    {
        KeyTableModel model(m_backend.get(), KeyFilter::Scope::Live);
        model.setFilter({});
        QTRY_VERIFY_WITH_TIMEOUT(model.isCountKnown(), 20000);
        // Ask for many far-apart pages in separate event-loop turns (a dragged scrollbar): only
        // the newest window needs to arrive, and it does.
        for (int r = 0; r < model.rowCount(); r += 256) {
            (void)model.data(model.index(r, 0), Qt::DisplayRole);
            QCoreApplication::processEvents();
        }
        QVERIFY(waitForRows(model, model.rowCount() - 5, model.rowCount() - 1));
    }

    void productsModel()
    {
        ProductTableModel model(m_backend.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setQuery({});
        QTRY_VERIFY_WITH_TIMEOUT(model.isCountKnown(), 20000);
        QCOMPARE(model.rowCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(0, ProductTableModel::NameCol)).toString(),
                                  QStringLiteral("Model Test"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(0, ProductTableModel::KeysCol)).toString(),
                                  QLocale().toString(kKeys + 25), 20000);
    }
};

QTEST_MAIN(TestKeyTableModel)
#include "TestKeyTableModel.moc"
