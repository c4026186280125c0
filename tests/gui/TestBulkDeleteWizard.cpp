#include "BulkDeleteWizard.h"
#include "GuiTest.h"
#include "KeyFilterBar.h"
#include "KeyGeneration.h"
#include "KeyListReader.h"
#include "KeyTableModel.h"
#include "KeysPage.h"
#include "MainWindow.h"
#include "Store.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

#include <set>

using namespace keyward;
using guitest::onDialog;

// The bulk-delete wizard on the offscreen platform, every page driven by objectName and the
// results checked in the store: the selection with a backup and the summary's restore; the current
// filter without a backup; pasted and listed keys; a set that changed after the preview.
class TestBulkDeleteWizard : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_dbPath;
    std::unique_ptr<MainWindow> m_window;
    Product m_shop;
    Product m_other;
    std::vector<qint64> m_inUse; // active keys of Shop bound to a domain

    std::unique_ptr<Store> openStore()
    {
        auto store = Store::open(DatabaseLocation::sqlite(m_dbPath));
        return store ? std::move(store).value() : nullptr;
    }
    qint64 live(qint64 productId)
    {
        KeyFilter f;
        f.productId = productId;
        return *openStore()->keys().count(f);
    }
    template<typename T>
    static T* child(QWidget* w, const char* name)
    {
        T* found = w->findChild<T*>(QLatin1String(name));
        if (!found)
            qWarning("no child %s", name);
        return found;
    }
    static void click(QWizard* w, QWizard::WizardButton which)
    {
        QAbstractButton* b = w->button(which);
        QVERIFY(b->isVisible());
        QVERIFY2(b->isEnabled(), qPrintable(b->text()));
        QTest::mouseClick(b, Qt::LeftButton);
    }
    static void clickRadio(QRadioButton* radio)
    {
        QTest::mouseClick(radio, Qt::LeftButton, {}, QPoint(8, radio->height() / 2));
        QVERIFY(radio->isChecked());
    }
    static void type(QLineEdit* edit, const QString& text)
    {
        edit->clear();
        QTest::keyClicks(edit, text);
    }
    // Runs `drive` on the wizard opened by Edit > Bulk delete…, closing it should a check fail.
    void viaMenu(const std::function<void(BulkDeleteWizard*)>& drive)
    {
        bool ran = false;
        auto seen = onDialog(QStringLiteral("bulkDeleteWizard"), [&](QWidget* d) {
            ran = true;
            drive(qobject_cast<BulkDeleteWizard*>(d));
            if (d->isVisible())
                qobject_cast<QDialog*>(d)->done(QDialog::Rejected);
        });
        m_window->findChild<QAction*>(QStringLiteral("actionBulkDelete"))->trigger();
        QVERIFY(*seen);
        QVERIFY(ran);
    }
    std::unique_ptr<BulkDeleteWizard> newWizard(const KeyFilter& filter = {},
                                                std::vector<qint64> selection = {})
    {
        auto w = std::make_unique<BulkDeleteWizard>(m_window->backend(), m_window->productList(), filter, -1,
                                                    std::move(selection));
        w->show();
        return w;
    }
    static void generate(Store& store, qint64 productId, qint64 count)
    {
        GenerationRequest r;
        r.productId = productId;
        r.count = count;
        QVERIFY(KeyGeneration::run(store, r));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_dbPath = m_dir.filePath(QStringLiteral("bulk.db"));
        {
            Database::Options o;
            o.create = true;
            auto opened = Store::open(DatabaseLocation::sqlite(m_dbPath), o);
            QVERIFY(opened);
            Store& store = **opened;
            Product p;
            p.name = QStringLiteral("Other");
            m_other = *store.products().create(p);
            p.name = QStringLiteral("Shop");
            m_shop = *store.products().create(p);
            generate(store, m_other.id, 20);
            generate(store, m_shop.id, 200);
            // The two newest Shop keys are in use.
            KeyFilter shop;
            shop.productId = m_shop.id;
            const std::vector<qint64> ids = *store.keys().ids(shop);
            m_inUse = {ids[ids.size() - 1], ids[ids.size() - 2]};
            for (qint64 id : m_inUse)
                QVERIFY(store.keys().activate(id, ActivationKind::Domain,
                                              QStringLiteral("shop%1.example.com").arg(id)));
        }
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1200, 800);
        m_window->show();
        QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
        m_window->openDatabase(m_dbPath, false);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->productList().size(), size_t(2), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->keysPage()->model()->isCountKnown(), 20000);
        QCOMPARE(m_window->keysPage()->model()->totalRows(), 220);
    }

    void cleanupTestCase() { m_window.reset(); }

    void reachableFromTheEditMenu()
    {
        auto* bulk = m_window->findChild<QAction*>(QStringLiteral("actionBulkDelete"));
        QVERIFY(bulk->isEnabled());
        QCOMPARE(bulk->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+Del")));
        QVERIFY(m_window->findChild<QMenu*>(QStringLiteral("menuEdit"))->actions().contains(bulk));
    }

    // The 50 newest keys selected in the table: preview with the warning, a JSON backup, the
    // typed count, the delete, and the summary's restore of exactly those keys.
    void selectionWithBackupThenRestore()
    {
        KeysPage* page = m_window->keysPage();
        KeyTableModel* model = page->model();
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (int r = 0; r < 50; ++r) {
                    (void)model->data(model->index(r, 0));
                    if (!model->rowAt(r))
                        return false;
                }
                return true;
            },
            20000));
        std::set<qint64> selected;
        for (int r = 0; r < 50; ++r)
            selected.insert(model->rowAt(r)->id);
        QVERIFY(selected.count(m_inUse[0]) && selected.count(m_inUse[1])); // newest first
        page->table()->selectionModel()->select(QItemSelection(model->index(0, 0), model->index(49, 0)),
                                                QItemSelectionModel::ClearAndSelect |
                                                    QItemSelectionModel::Rows);
        QCOMPARE(page->selectedCount(), 50);
        const QString backup = m_dir.filePath(QStringLiteral("before-delete.json"));

        std::vector<qint64> trashed;
        viaMenu([&](BulkDeleteWizard* w) {
            // 1. Which keys: the selection is offered and chosen.
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("BulkDeleteChoosePage"));
            auto* selection = child<QRadioButton>(w, "selectionRadio");
            QVERIFY(selection->isChecked());
            QVERIFY(selection->text().contains(QLatin1String("50")));
            click(w, QWizard::NextButton);

            // 2. Preview: the count, the first rows, the warning about keys in use.
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("BulkDeletePreviewPage"));
            QTRY_VERIFY_WITH_TIMEOUT(w->preview().has_value(), 20000);
            QCOMPARE(w->preview()->count, 50);
            QVERIFY(child<QLabel>(w, "countLabel")->text().contains(QLatin1String("50 key(s)")));
            QCOMPARE(child<QTableWidget>(w, "previewTable")->rowCount(), BulkDeleteWizard::kPreviewRows);
            QCOMPARE(child<QLabel>(w, "moreLabel")->text(), QStringLiteral("… and 30 more."));
            QVERIFY(child<QWidget>(w, "warningFrame")->isVisible());
            QVERIFY(child<QLabel>(w, "warningLabel")
                        ->text()
                        .contains(QLatin1String("2 of them are active and in use")));
            click(w, QWizard::NextButton);

            // 3. Backup: on by default; JSON chosen, the name follows.
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("BulkDeleteBackupPage"));
            QVERIFY(child<QCheckBox>(w, "backupCheck")->isChecked());
            type(child<QLineEdit>(w, "backupFileEdit"), m_dir.filePath(QStringLiteral("before-delete.txt")));
            QVERIFY(!w->button(QWizard::NextButton)->isEnabled()); // not .csv or .json
            QVERIFY(child<QLabel>(w, "backupInfoLabel")->text().contains(QLatin1String(".csv or .json")));
            child<QComboBox>(w, "backupFormatCombo")->setCurrentIndex(1);
            QCOMPARE(child<QLineEdit>(w, "backupFileEdit")->text(), QDir::toNativeSeparators(backup));
            click(w, QWizard::NextButton);

            // 4. Confirm: only the right count enables Delete.
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("BulkDeleteConfirmPage"));
            QVERIFY(child<QLabel>(w, "confirmLabel")->text().contains(QLatin1String("<b>50</b>")));
            QVERIFY(
                child<QLabel>(w, "confirmBackupLabel")->text().contains(QLatin1String("before-delete.json")));
            auto* confirm = child<QLineEdit>(w, "confirmEdit");
            QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
            type(confirm, QStringLiteral("49"));
            QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
            type(confirm, QStringLiteral("50"));
            QCOMPARE(w->button(QWizard::NextButton)->text().remove(QLatin1Char('&')),
                     QStringLiteral("Delete"));
            click(w, QWizard::NextButton);

            // 5. Deleting, then 6. the summary.
            QTRY_COMPARE_WITH_TIMEOUT(w->currentId(), int(BulkDeleteWizard::SummaryPageId), 30000);
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("BulkDeleteSummaryPage"));
            QVERIFY(child<QLabel>(w, "summaryLabel")
                        ->text()
                        .startsWith(QLatin1String("50 key(s) moved to the trash")));
            QVERIFY(child<QLabel>(w, "backupLabel")->text().contains(QLatin1String("before-delete.json")));
            trashed = w->result()->ids;
            QCOMPARE(live(m_shop.id), 150);
            QCOMPARE(live(m_other.id), 20);

            // Restore brings back exactly those keys.
            auto* restore = child<QPushButton>(w, "restoreButton");
            QVERIFY(restore->text().contains(QLatin1String("50")));
            QTest::mouseClick(restore, Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(
                child<QLabel>(w, "restoreStatusLabel")->text().contains(QLatin1String("restored")), 20000);
            QVERIFY(!restore->isEnabled());
            QCOMPARE(live(m_shop.id), 200);
            click(w, QWizard::FinishButton);
        });
        QCOMPARE(std::set<qint64>(trashed.begin(), trashed.end()), selected);

        // The backup was written before the delete and holds exactly the selected keys.
        auto listed = KeyListReader::fromFile(backup);
        QVERIFY2(listed, qPrintable(listed.errorMessage()));
        QCOMPARE(listed->size(), 50);
        auto store = openStore();
        auto ids = store->keys().resolve(*listed);
        QVERIFY(ids);
        QCOMPARE(std::set<qint64>(ids->begin(), ids->end()), selected);
        AuditFilter f;
        f.actionPrefix = QStringLiteral("key.trash");
        QCOMPARE(*store->audit().count(f), 1); // one entry for the 50 keys
        f.actionPrefix = QStringLiteral("key.restore");
        QCOMPARE(*store->audit().count(f), 1);
    }

    // The current filter (one product), without a backup: the other product is untouched.
    void currentFilterWithoutBackup()
    {
        KeysPage* page = m_window->keysPage();
        page->table()->clearSelection();
        page->filterBar()->setProductFilter(m_other.id);
        QTRY_VERIFY_WITH_TIMEOUT(page->model()->isCountKnown() && page->model()->totalRows() == 20, 20000);
        viaMenu([&](BulkDeleteWizard* w) {
            auto* filter = child<QRadioButton>(w, "filterRadio");
            QVERIFY(filter->isChecked());
            QVERIFY(!child<QRadioButton>(w, "selectionRadio")->isEnabled());
            QVERIFY(filter->text().contains(QLatin1String("20")));
            QVERIFY(child<QLabel>(w, "filterInfoLabel")->text().contains(QLatin1String("Other")));
            click(w, QWizard::NextButton);
            QTRY_VERIFY_WITH_TIMEOUT(w->preview().has_value(), 20000);
            QCOMPARE(w->preview()->count, 20);
            QVERIFY(!child<QWidget>(w, "warningFrame")->isVisible());
            click(w, QWizard::NextButton);
            child<QCheckBox>(w, "backupCheck")->setChecked(false);
            QVERIFY(child<QLabel>(w, "backupInfoLabel")->text().contains(QLatin1String("only way back")));
            click(w, QWizard::NextButton);
            QVERIFY(child<QLabel>(w, "confirmBackupLabel")->text().contains(QLatin1String("No backup")));
            type(child<QLineEdit>(w, "confirmEdit"), QStringLiteral("20"));
            click(w, QWizard::NextButton);
            QTRY_COMPARE_WITH_TIMEOUT(w->currentId(), int(BulkDeleteWizard::SummaryPageId), 30000);
            QVERIFY(child<QLabel>(w, "backupLabel")->text().contains(QLatin1String("No backup")));
            click(w, QWizard::FinishButton);
        });
        QCOMPARE(live(m_other.id), 0);
        QCOMPARE(live(m_shop.id), 200);
        QTRY_VERIFY_WITH_TIMEOUT(page->model()->isCountKnown() && page->model()->totalRows() == 0, 20000);
        page->filterBar()->setProductFilter(0);
    }

    // Pasted keys (in lower case, with an unknown one at first) and keys listed in a file.
    void pastedAndListedKeys()
    {
        auto store = openStore();
        KeyFilter shop;
        shop.productId = m_shop.id;
        const auto keys = *store->keys().page(shop, KeySort{}, 0, 10); // the oldest, not in use
        auto w = newWizard();
        clickRadio(child<QRadioButton>(w.get(), "pasteRadio"));
        QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
        auto* paste = child<QPlainTextEdit>(w.get(), "pasteEdit");
        QVERIFY(paste->isEnabled());
        paste->setPlainText(keys[0].key.toLower() + QStringLiteral("\n") + keys[1].key +
                            QStringLiteral(", NOPE-NOPE"));
        QCOMPARE(child<QLabel>(w.get(), "pasteInfoLabel")->text(), QStringLiteral("3 key(s) listed"));
        click(w.get(), QWizard::NextButton);
        auto* count = child<QLabel>(w.get(), "countLabel");
        QTRY_VERIFY_WITH_TIMEOUT(count->text().contains(QLatin1String("cannot be deleted")), 20000);
        QVERIFY(count->text().contains(QLatin1String("NOPE-NOPE")));
        QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
        click(w.get(), QWizard::BackButton);
        paste->setPlainText(keys[0].key.toLower() + QStringLiteral("\n") + keys[1].key +
                            QStringLiteral("\n") + keys[1].key);
        click(w.get(), QWizard::NextButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->preview().has_value(), 20000);
        QCOMPARE(w->preview()->count, 2);

        // A file with a key column, chosen in the file dialog.
        click(w.get(), QWizard::BackButton);
        const QString list = m_dir.filePath(QStringLiteral("refunds.csv"));
        {
            QFile f(list);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("order,license_key\n");
            for (int i = 2; i < 7; ++i)
                f.write(QByteArray::number(1000 + i) + "," + keys[size_t(i)].key.toLatin1() + "\n");
        }
        clickRadio(child<QRadioButton>(w.get(), "fileRadio"));
        QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
        auto chosen = guitest::onFileDialog(QStringLiteral("keyFileDialog"), list);
        QTest::mouseClick(child<QPushButton>(w.get(), "keyFileBrowseButton"), Qt::LeftButton);
        QVERIFY(*chosen);
        QCOMPARE(child<QLineEdit>(w.get(), "keyFileEdit")->text(), QDir::toNativeSeparators(list));
        click(w.get(), QWizard::NextButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->preview().has_value(), 20000);
        QCOMPARE(w->preview()->count, 5);
        QCOMPARE(w->preview()->firstRows.front().key, keys[2].key); // in the order listed
        click(w.get(), QWizard::NextButton);
        child<QCheckBox>(w.get(), "backupCheck")->setChecked(false);
        click(w.get(), QWizard::NextButton);
        type(child<QLineEdit>(w.get(), "confirmEdit"), QStringLiteral("5"));
        click(w.get(), QWizard::NextButton);
        QTRY_COMPARE_WITH_TIMEOUT(w->currentId(), int(BulkDeleteWizard::SummaryPageId), 30000);
        QCOMPARE(live(m_shop.id), 195);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(openStore()->keys().findById(keys[size_t(i)].id)->inTrash(), i >= 2 && i < 7);
    }

    // Keys added after the preview: the typed count no longer holds and nothing is deleted.
    void aSetThatChangedAfterThePreviewIsRefused()
    {
        KeyFilter shop;
        shop.productId = m_shop.id;
        const qint64 before = live(m_shop.id);
        auto w = newWizard(shop);
        click(w.get(), QWizard::NextButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->preview().has_value(), 20000);
        QCOMPARE(w->preview()->count, before);
        {
            auto store = openStore();
            generate(*store, m_shop.id, 3); // another program adds keys meanwhile
        }
        click(w.get(), QWizard::NextButton);
        child<QCheckBox>(w.get(), "backupCheck")->setChecked(false);
        click(w.get(), QWizard::NextButton);
        type(child<QLineEdit>(w.get(), "confirmEdit"), QString::number(before));
        click(w.get(), QWizard::NextButton);
        QCOMPARE(w->currentId(), int(BulkDeleteWizard::RunPageId));
        auto* status = child<QLabel>(w.get(), "deleteStatusLabel");
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("No key was deleted")), 30000);
        QVERIFY(status->text().contains(QLatin1String("changed since you confirmed")));
        QCOMPARE(w->currentId(), int(BulkDeleteWizard::RunPageId));
        QVERIFY(w->button(QWizard::BackButton)->isEnabled());
        QCOMPARE(live(m_shop.id), before + 3);
    }
};

KW_GUI_TEST_MAIN(TestBulkDeleteWizard)
#include "TestBulkDeleteWizard.moc"
