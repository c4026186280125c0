#include "CsvReader.h"
#include "DatabaseLocation.h"
#include "ExportDialog.h"
#include "GenerateKeysDialog.h"
#include "GuiTest.h"
#include "KeyDetailEditor.h"
#include "KeyFilterBar.h"
#include "KeyTableModel.h"
#include "KeysPage.h"
#include "MainWindow.h"
#include "ProductTableModel.h"
#include "ProductsPage.h"
#include "Store.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace keyward;
using guitest::button;
using guitest::onDialog;

// The desktop app end to end on the offscreen platform, driving real widgets by objectName and
// checking what reached the database: first run, a product, 1,000 generated keys, filter and
// sort, edit a key, revoke it for a refund, trash and restore, export and read the file again.
class TestMainWindowFlow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_dbPath;

    QAction* action(const char* name) { return m_window->findChild<QAction*>(QLatin1String(name)); }
    std::unique_ptr<Store> openStore()
    {
        auto store = Store::open(DatabaseLocation::sqlite(m_dbPath));
        return store ? std::move(store).value() : nullptr;
    }
    static bool rowsLoaded(KeyTableModel* model, int first, int last)
    {
        return QTest::qWaitFor(
            [&] {
                for (int r = first; r <= last; ++r) {
                    (void)model->data(model->index(r, 0));
                    if (!model->rowAt(r))
                        return false;
                }
                return true;
            },
            20000);
    }
    void selectRows(QTableView* table, int first, int last)
    {
        auto* model = table->model();
        table->selectionModel()->setCurrentIndex(model->index(first, 0), QItemSelectionModel::ClearAndSelect |
                                                                             QItemSelectionModel::Rows);
        table->selectionModel()->select(QItemSelection(model->index(first, 0), model->index(last, 0)),
                                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_dbPath = m_dir.filePath(QStringLiteral("shop.db"));
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1300, 850);
        m_window->show();
    }

    void cleanupTestCase() { m_window.reset(); }

    void firstRunCreatesTheDatabase()
    {
        QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
        auto seen = onDialog(QStringLiteral("databaseChooser"), [this](QWidget* d) {
            // The default lives in the app-data folder (isolated for this test).
            auto* path = d->findChild<QLineEdit*>(QStringLiteral("createPathEdit"));
            QVERIFY(QDir::fromNativeSeparators(path->text()).endsWith(QLatin1String("Keyward/keyward.db")));
            path->setText(m_dbPath);
            QTest::mouseClick(button(d, QStringLiteral("Create")), Qt::LeftButton);
        });
        m_window->openInitialDatabase({});
        QVERIFY(*seen);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        QVERIFY(QFile::exists(m_dbPath));
        QCOMPARE(m_window->section(), MainWindow::Section::Keys);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->keysPage()->findChild<QLabel*>(QStringLiteral("emptyHint"))->isVisible(), 20000);
    }

    void createProduct()
    {
        auto seen = onDialog(QStringLiteral("productEditor"), [](QWidget* d) {
            QTest::keyClicks(d->findChild<QLineEdit*>(QStringLiteral("nameEdit")),
                             QStringLiteral("Photo Editor"));
            auto* prefix = d->findChild<QLineEdit*>(QStringLiteral("prefixEdit"));
            QTest::keyClicks(prefix, QStringLiteral("PHOTO-"));
            d->findChild<QComboBox*>(QStringLiteral("planCombo"))->setCurrentIndex(1);
            d->findChild<QSpinBox*>(QStringLiteral("defaultMaxDomainsSpin"))->setValue(2);
            // The live sample follows the format.
            QVERIFY(d->findChild<QLabel*>(QStringLiteral("sampleLabel"))
                        ->text()
                        .startsWith(QLatin1String("PHOTO-")));
            QTest::mouseClick(button(d, QStringLiteral("Save")), Qt::LeftButton);
        });
        action("actionNewProduct")->trigger();
        QVERIFY(*seen);
        auto store = openStore();
        auto product = store->products().findByName(QStringLiteral("Photo Editor"));
        QVERIFY2(product, qPrintable(product.errorMessage()));
        QCOMPARE(product->keyPrefix, QStringLiteral("PHOTO-"));
        QCOMPARE(product->plan, Plan::Pro);
        QCOMPARE(product->defaultMaxDomains, std::optional<int>(2));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->productList().size(), size_t(1), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->productsPage()->model()->rowCount(), 1, 20000);
    }

    void generateAThousandKeys()
    {
        QStringList generated;
        auto seen = onDialog(QStringLiteral("generateDialog"), [&](QWidget* d) {
            auto* dialog = qobject_cast<GenerateKeysDialog*>(d);
            d->findChild<QSpinBox*>(QStringLiteral("countSpin"))->setValue(1000);
            QTest::keyClicks(d->findChild<QLineEdit*>(QStringLiteral("customerEmailEdit")),
                             QStringLiteral("batch@reseller.example"));
            QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("generateButton")), Qt::LeftButton);
            QVERIFY(QTest::qWaitFor([&] { return !dialog->isRunning(); }, 60000));
            generated = dialog->generatedKeys();
            QVERIFY(d->findChild<QLabel*>(QStringLiteral("statusLabel"))
                        ->text()
                        .contains(QLatin1String("1,000")));
            QVERIFY(d->findChild<QPushButton*>(QStringLiteral("copyButton"))->isEnabled());
            QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("closeButton")), Qt::LeftButton);
        });
        action("actionGenerate")->trigger();
        QVERIFY(*seen);
        QCOMPARE(generated.size(), 1000);
        auto store = openStore();
        QCOMPARE(*store->keys().count(KeyFilter{}), 1000);
        QVERIFY(store->keys().find(generated.first()));
        KeysPage* keys = m_window->keysPage();
        QCOMPARE(m_window->section(), MainWindow::Section::Keys); // the app shows the new keys
        QTRY_COMPARE_WITH_TIMEOUT(keys->model()->rowCount(), 1000, 20000);
        QVERIFY(!m_window->keysPage()->findChild<QLabel*>(QStringLiteral("emptyHint"))->isVisible());
        QTRY_VERIFY(m_window->findChild<QLabel*>(QStringLiteral("countLabel"))
                        ->text()
                        .contains(QLatin1String("1,000 keys")));
    }

    void filterAndSort()
    {
        KeysPage* keys = m_window->keysPage();
        KeyTableModel* model = keys->model();
        QVERIFY(rowsLoaded(model, 0, 0));
        const QString some = model->rowAt(0)->key;
        // A prefix of one key on the index.
        auto* search = keys->findChild<QLineEdit*>(QStringLiteral("searchEdit"));
        keys->findChild<QComboBox*>(QStringLiteral("matchCombo"))->setCurrentIndex(1);
        search->setText(some.left(12));
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(model->isCountKnown() && model->rowCount() >= 1 && model->rowCount() < 5,
                                 20000);
        QVERIFY(rowsLoaded(model, 0, 0));
        QVERIFY(model->rowAt(0)->key.startsWith(some.left(12)));
        // A substring of the email matches all 1,000.
        keys->findChild<QComboBox*>(QStringLiteral("matchCombo"))->setCurrentIndex(0);
        search->setText(QStringLiteral("reseller"));
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1000, 20000);
        keys->findChild<QComboBox*>(QStringLiteral("statusCombo"))->setCurrentIndex(3); // revoked
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 0, 20000);
        QTest::mouseClick(keys->findChild<QToolButton*>(QStringLiteral("clearButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1000, 20000);

        // Sort by key with a click on its header, twice for descending.
        QTableView* table = keys->table();
        QHeaderView* header = table->horizontalHeader();
        const int x = header->sectionViewportPosition(KeyTableModel::KeyCol) +
                      header->sectionSize(KeyTableModel::KeyCol) / 2;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QTRY_COMPARE(model->keySort().column, KeyColumn::Key);
        const Qt::SortOrder first = model->keySort().order;
        QVERIFY(rowsLoaded(model, 0, 50));
        QStringList shown;
        for (int r = 0; r <= 50; ++r)
            shown << model->rowAt(r)->key;
        QStringList sorted = shown;
        std::sort(sorted.begin(), sorted.end());
        if (first == Qt::DescendingOrder)
            std::reverse(sorted.begin(), sorted.end());
        QCOMPARE(shown, sorted);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QTRY_VERIFY(model->keySort().order != first);
    }

    void editAKey()
    {
        KeysPage* keys = m_window->keysPage();
        KeyTableModel* model = keys->model();
        QVERIFY(rowsLoaded(model, 0, 5));
        const qint64 id = model->rowAt(0)->id;
        selectRows(keys->table(), 0, 0);
        KeyDetailEditor* editor = keys->editor();
        QTRY_COMPARE_WITH_TIMEOUT(editor->keyId(), id, 20000);
        auto* name = editor->findChild<QLineEdit*>(QStringLiteral("customerNameEdit"));
        auto* email = editor->findChild<QLineEdit*>(QStringLiteral("customerEmailEdit"));
        auto* save = editor->findChild<QPushButton*>(QStringLiteral("saveButton"));
        name->clear();
        QTest::keyClicks(name, QStringLiteral("Ada Lovelace"));
        email->clear();
        QTest::keyClicks(email, QStringLiteral("ada@example"));
        QVERIFY(!save->isEnabled()); // inline validation: not an email address yet
        QTest::keyClicks(email, QStringLiteral(".com"));
        QVERIFY(save->isEnabled());
        // Domains within the product's default maximum of 2.
        auto* domain = editor->findChild<QLineEdit*>(QStringLiteral("domainEdit"));
        auto* add = editor->findChild<QPushButton*>(QStringLiteral("addDomainButton"));
        QTest::keyClicks(domain, QStringLiteral("Shop.Example.com"));
        QTest::mouseClick(add, Qt::LeftButton);
        QTest::keyClicks(domain, QStringLiteral("second.example.org"));
        QTest::mouseClick(add, Qt::LeftButton);
        QTest::keyClicks(domain, QStringLiteral("third.example.net"));
        QVERIFY(!add->isEnabled());
        QCOMPARE(editor->findChild<QLabel*>(QStringLiteral("domainsCount"))->text(),
                 QStringLiteral("2 of 2 domains used"));
        QSignalSpy saved(editor, &KeyDetailEditor::keySaved);
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        QVERIFY(!editor->isDirty());

        auto store = openStore();
        auto key = store->keys().findById(id);
        QVERIFY(key);
        QCOMPARE(key->customerName, QStringLiteral("Ada Lovelace"));
        QCOMPARE(key->customerEmail, QStringLiteral("ada@example.com"));
        QCOMPARE(key->domains,
                 QStringList({QStringLiteral("shop.example.com"), QStringLiteral("second.example.org")}));
        // The history tab shows the change.
        auto* history = editor->findChild<QListWidget*>(QStringLiteral("historyList"));
        QTRY_VERIFY(history->count() >= 2);
        QStringList lines;
        for (int i = 0; i < history->count(); ++i)
            lines << history->item(i)->text();
        QVERIFY2(lines.join(QLatin1Char('\n')).contains(QLatin1String("ada@example.com")),
                 qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY(lines.join(QLatin1Char('\n')).contains(QLatin1String("Domain shop.example.com bound")));

        // Unsaved changes: moving to another key asks; Cancel stays.
        QTest::keyClicks(name, QStringLiteral(" Jr."));
        QVERIFY(editor->isDirty());
        auto asked = onDialog(QStringLiteral("unsavedChanges"), [](QWidget* box) {
            QTest::mouseClick(button(box, QStringLiteral("Cancel")), Qt::LeftButton);
        });
        selectRows(keys->table(), 1, 1);
        QVERIFY(*asked);
        QCOMPARE(editor->keyId(), id);
        QCOMPARE(keys->table()->currentIndex().row(), 0);
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("revertButton")), Qt::LeftButton);
        QVERIFY(!editor->isDirty());
    }

    void revokeForRefund()
    {
        KeysPage* keys = m_window->keysPage();
        KeyDetailEditor* editor = keys->editor();
        const qint64 id = editor->keyId();
        QVERIFY(id > 0);
        QString losses;
        auto seen = onDialog(QStringLiteral("RevokeDialog"), [&](QWidget* d) {
            losses = d->findChild<QLabel*>(QStringLiteral("lossLabel"))->text();
            d->findChild<QComboBox*>(QStringLiteral("reasonCombo"))->setCurrentIndex(0);
            QTest::keyClicks(d->findChild<QLineEdit*>(QStringLiteral("noteEdit")),
                             QStringLiteral("order 1234 refunded"));
            auto* confirm = d->findChild<QPushButton*>(QStringLiteral("confirmRevokeButton"));
            QVERIFY(!confirm->isEnabled());
            d->findChild<QCheckBox*>(QStringLiteral("confirmCheck"))->setChecked(true);
            QTest::mouseClick(confirm, Qt::LeftButton);
        });
        QSignalSpy saved(editor, &KeyDetailEditor::keySaved);
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("revokeButton")), Qt::LeftButton);
        QVERIFY(*seen);
        QVERIFY(losses.contains(QLatin1String("shop.example.com"))); // what the customer loses
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        auto store = openStore();
        auto key = store->keys().findById(id);
        QCOMPARE(key->status, KeyStatus::Revoked);
        QCOMPARE(key->revokeReason, RevokeReason::Refund);
        AuditFilter f;
        f.objectType = QStringLiteral("key");
        f.objectId = QString::number(id);
        f.actionPrefix = QStringLiteral("key.revoke");
        auto entries = store->audit().list(f, 0, 5);
        QCOMPARE(entries->size(), size_t(1));
        QCOMPARE(entries->front().detail.value(QStringLiteral("note")).toString(),
                 QStringLiteral("order 1234 refunded"));
        QVERIFY(entries->front().actor.startsWith(QLatin1String("app:")));
        QCOMPARE(editor->findChild<QLabel*>(QStringLiteral("statusBadge"))->text(),
                 QStringLiteral("Revoked (refund)"));
    }

    void trashAndRestore()
    {
        KeysPage* keys = m_window->keysPage();
        KeyTableModel* model = keys->model();
        QVERIFY(rowsLoaded(model, 0, 2));
        const std::vector<qint64> ids{model->rowAt(0)->id, model->rowAt(1)->id, model->rowAt(2)->id};
        selectRows(keys->table(), 0, 2);
        QString question;
        auto seen = onDialog(QStringLiteral("confirmTrash"), [&](QWidget* box) {
            question = qobject_cast<QMessageBox*>(box)->text();
            QTest::mouseClick(button(box, QStringLiteral("Move to trash")), Qt::LeftButton);
        });
        action("actionDelete")->trigger();
        QVERIFY(*seen);
        QCOMPARE(question, QStringLiteral("Move 3 key(s) to the trash?"));
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 997, 20000);
        KeysPage* trash = m_window->trashPage();
        QTRY_COMPARE_WITH_TIMEOUT(trash->model()->rowCount(), 3, 20000);
        {
            auto store = openStore();
            for (qint64 id : ids)
                QVERIFY(store->keys().findById(id)->inTrash());
        }
        m_window->showSection(MainWindow::Section::Trash);
        QCOMPARE(m_window->section(), MainWindow::Section::Trash);
        QVERIFY(rowsLoaded(trash->model(), 0, 2));
        selectRows(trash->table(), 0, 2);
        QTRY_VERIFY(action("actionRestore")->isEnabled());
        action("actionRestore")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(trash->model()->rowCount(), 0, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1000, 20000);
        auto store = openStore();
        for (qint64 id : ids)
            QVERIFY(!store->keys().findById(id)->inTrash());
        m_window->showSection(MainWindow::Section::Keys);
    }

    void exportAndReadBack()
    {
        const QString path = m_dir.filePath(QStringLiteral("export.csv"));
        qint64 exported = -1;
        auto seen = onDialog(QStringLiteral("exportDialog"), [&](QWidget* d) {
            auto* dialog = qobject_cast<ExportDialog*>(d);
            dialog->setPath(path);
            QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("exportButton")), Qt::LeftButton);
            QVERIFY(QTest::qWaitFor([&] { return !dialog->isRunning(); }, 60000));
            exported = dialog->exported();
            dialog->reject();
        });
        m_window->keysPage()->table()->clearSelection();
        action("actionExport")->trigger();
        QVERIFY(*seen);
        QCOMPARE(exported, 1000);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        CsvReader reader(file);
        QVERIFY(reader.open());
        const int statusColumn = int(reader.columns().indexOf(QStringLiteral("status")));
        QVERIFY(statusColumn >= 0);
        qint64 rows = 0;
        bool foundRevoked = false;
        SourceRecord record;
        for (;;) {
            auto more = reader.next(record);
            QVERIFY(more);
            if (!*more)
                break;
            QVERIFY(record.error.isEmpty());
            ++rows;
            if (record.values.at(statusColumn) == QLatin1String("revoked"))
                foundRevoked = true;
        }
        QCOMPARE(rows, 1000);
        QVERIFY(foundRevoked);
    }
};

KW_GUI_TEST_MAIN(TestMainWindowFlow)
#include "TestMainWindowFlow.moc"
