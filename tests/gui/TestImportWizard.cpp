#include "CsvReader.h"
#include "GuiTest.h"
#include "ImportWizard.h"
#include "KeysPage.h"
#include "MainWindow.h"
#include "Store.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace keyward;
using guitest::onDialog;

// The import wizard on the offscreen platform: every page driven by objectName, results checked
// in the store. A file with every kind of problem goes through mapping, check, report and import;
// bad files are refused on the first page; the conflict policies; a large import stopped half way
// changes nothing.
class TestImportWizard : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_dbPath;
    std::unique_ptr<MainWindow> m_window;
    Product m_legacy;

    std::unique_ptr<Store> openStore()
    {
        auto store = Store::open(DatabaseLocation::sqlite(m_dbPath));
        return store ? std::move(store).value() : nullptr;
    }
    qint64 keyCount()
    {
        KeyFilter f;
        f.productId = m_legacy.id;
        f.scope = KeyFilter::Scope::All;
        return *openStore()->keys().count(f);
    }
    qint64 importAudits()
    {
        AuditFilter f;
        f.actionPrefix = QStringLiteral("keys.import");
        return *openStore()->audit().count(f);
    }
    QString write(const char* name, const QByteArray& data)
    {
        QFile f(m_dir.filePath(QLatin1String(name)));
        f.open(QIODevice::WriteOnly);
        f.write(data);
        return f.fileName();
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
    // On the indicator: a radio button reacts to clicks on itself and its text only.
    static void clickRadio(QRadioButton* radio)
    {
        QTest::mouseClick(radio, Qt::LeftButton, {}, QPoint(8, radio->height() / 2));
        QVERIFY(radio->isChecked());
    }
    static void selectColumn(QWidget* w, const QString& field, const QString& column)
    {
        auto* combo = w->findChild<QComboBox*>(QStringLiteral("map_") + field);
        QVERIFY(combo);
        const int at = combo->findText(column);
        QVERIFY2(at >= 0, qPrintable(column));
        combo->setCurrentIndex(at);
    }
    // An import wizard of its own on the window's backend, shown (not modal) for direct driving.
    std::unique_ptr<ImportWizard> newWizard()
    {
        auto wizard =
            std::make_unique<ImportWizard>(m_window->backend(), m_window->productList(), m_legacy.id);
        wizard->show();
        return wizard;
    }

    // Every kind of row problem, and a quoted delimiter, BOM, CRLF, semicolons.
    static QByteArray problemFile()
    {
        return "\xEF\xBB\xBFSerial;Name;E-Mail;Valid until;Seats\r\n"
               "BBBB-BBBB-BBBB-BBBB;Ann;ann@example.com;2030-01-31;3\r\n"  // 2 ok
               "CCCC-CCCC-CCCC-CCCC;\"Bob; Jr.\";bob@example.com;;1\r\n"   // 3 ok
               "BBBB-BBBB-BBBB-BBBB;Ann again;ann@example.com;;\r\n"       // 4 duplicate of line 2
               "DDDD-DDDD-DDDD-DDDD;Dan;dan(at)example.com;;\r\n"          // 5 bad email
               "EEEE-EEEE-EEEE-EEEE;Eve;eve@example.com;31/12/2030;\r\n"   // 6 bad date
               "FFFF-FFF;Fay;fay@example.com;;\r\n"                        // 7 key too short
               "AAAA-AAAA-AAAA-AAAA;Old;old@example.com;;\r\n"             // 8 already stored
               ";Nobody;nobody@example.com;;\r\n"                          // 9 no key
               "GGGG-GGGG-GGGG-GGGG;Gus;gus@example.com;2031-06-30;x\r\n"; // 10 seats not a number
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_dbPath = m_dir.filePath(QStringLiteral("import.db"));
        {
            Database::Options o;
            o.create = true;
            auto store = Store::open(DatabaseLocation::sqlite(m_dbPath), o);
            QVERIFY(store);
            Product p;
            p.name = QStringLiteral("Legacy");
            p.keyPattern = QStringLiteral("XXXX-XXXX-XXXX-XXXX");
            auto created = (*store)->products().create(p);
            QVERIFY(created);
            m_legacy = *created;
            NewKey old;
            old.key = QStringLiteral("AAAA-AAAA-AAAA-AAAA");
            old.customerName = QStringLiteral("Stored before");
            QVERIFY((*store)->keys().create(m_legacy.id, old));
        }
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1200, 800);
        m_window->show();
        QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
        m_window->openDatabase(m_dbPath, false);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->productList().size(), size_t(1), 20000);
    }

    void cleanupTestCase() { m_window.reset(); }

    void reachableFromTheMenuAndTheKeysPage()
    {
        auto* import = m_window->findChild<QAction*>(QStringLiteral("actionImport"));
        QVERIFY(import);
        QCOMPARE(import->shortcut(), QKeySequence(QStringLiteral("Ctrl+I")));
        QVERIFY(import->isEnabled());
        QVERIFY(m_window->findChild<QMenu*>(QStringLiteral("menuFile"))->actions().contains(import));
        // The key table's context menu offers it too.
        QStringList offered;
        QTimer::singleShot(200, [&] {
            for (QWidget* w : QApplication::topLevelWidgets()) {
                if (auto* menu = qobject_cast<QMenu*>(w); menu && menu->isVisible()) {
                    for (QAction* a : menu->actions())
                        offered << a->objectName();
                    menu->close();
                }
            }
        });
        Q_EMIT m_window->keysPage()->contextMenuWanted(m_window->mapToGlobal(QPoint(300, 300)));
        QVERIFY(offered.contains(QStringLiteral("actionImport")));
        QVERIFY(offered.contains(QStringLiteral("actionBulkDelete")));
    }

    // File > Import keys…: every page, the report saved as CSV, then the import and its summary.
    void importAFileWithProblemsThroughEveryPage()
    {
        const QString csv = write("old-system.csv", problemFile());
        const QString reportPath = m_dir.filePath(QStringLiteral("report.csv"));
        const qint64 before = keyCount();
        bool done = false;
        auto drive = [&](QWidget* d) {
            auto* w = qobject_cast<ImportWizard*>(d);
            QVERIFY(w);
            // 1. File and product: Next waits for a readable file.
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("ImportFilePage"));
            QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
            QCOMPARE(child<QComboBox>(d, "productCombo")->currentText(), QStringLiteral("Legacy"));
            auto chosen = guitest::onFileDialog(QStringLiteral("importFileDialog"), csv);
            QTest::mouseClick(child<QPushButton>(d, "browseButton"), Qt::LeftButton);
            QVERIFY(*chosen);
            QTRY_VERIFY_WITH_TIMEOUT(w->hasPreview(), 20000);
            QVERIFY(child<QLabel>(d, "fileInfoLabel")->text().contains(QLatin1String("semicolons")));
            QVERIFY(child<QLabel>(d, "fileInfoLabel")->text().contains(QLatin1String("5 column(s)")));
            click(w, QWizard::NextButton);

            // 2. Columns: guessed from the header, one changed by hand; the key is required.
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("ImportMappingPage"));
            QCOMPARE(child<QComboBox>(d, "map_key")->currentText(), QStringLiteral("Serial"));
            QCOMPARE(child<QComboBox>(d, "map_customer_email")->currentText(), QStringLiteral("E-Mail"));
            QCOMPARE(child<QComboBox>(d, "map_expires")->currentText(), QStringLiteral("Valid until"));
            QCOMPARE(child<QComboBox>(d, "map_customer_name")->currentText(), QStringLiteral("Name"));
            QCOMPARE(child<QComboBox>(d, "map_max_uuids")->currentIndex(), 0); // "Seats": not guessed
            auto* preview = child<QTableWidget>(d, "previewTable");
            QCOMPARE(preview->rowCount(), 9);
            QCOMPARE(preview->item(1, 1)->text(), QStringLiteral("Bob; Jr."));
            QCOMPARE(preview->verticalHeaderItem(0)->text(), QStringLiteral("2"));
            QVERIFY(preview->horizontalHeaderItem(4)->text().contains(QLatin1String("not imported")));
            QVERIFY(child<QLabel>(d, "mappingHintLabel")->text().contains(QLatin1String("Seats")));
            child<QComboBox>(d, "map_key")->setCurrentIndex(0);
            QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
            QVERIFY(child<QLabel>(d, "mappingHintLabel")->text().contains(QLatin1String("license keys")));
            selectColumn(d, QStringLiteral("key"), QStringLiteral("Serial"));
            selectColumn(d, QStringLiteral("max_uuids"), QStringLiteral("Seats"));
            QVERIFY(preview->horizontalHeaderItem(4)->text().contains(QLatin1String("Max. devices")));
            QVERIFY(preview->horizontalHeaderItem(0)->text().contains(QLatin1String("License key")));
            click(w, QWizard::NextButton);

            // 3. Options: skip stored keys, check first.
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("ImportOptionsPage"));
            QVERIFY(child<QRadioButton>(d, "skipRadio")->isChecked());
            QVERIFY(child<QCheckBox>(d, "checkFirstCheck")->isChecked());
            click(w, QWizard::NextButton);

            // 4. Check: a dry run with the row-level report; nothing stored yet.
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("ImportCheckPage"));
            QTRY_VERIFY_WITH_TIMEOUT(w->checkSummary().has_value(), 30000);
            const ImportSummary& check = *w->checkSummary();
            QCOMPARE(check.rows, 9);
            QCOMPARE(check.imported, 2);
            QCOMPARE(check.skipped, 1);
            QCOMPARE(check.rejected, 6);
            QCOMPARE(keyCount(), before);
            QCOMPARE(importAudits(), 0);
            const QString status = child<QLabel>(d, "checkStatusLabel")->text();
            QVERIFY2(status.contains(QLatin1String("9 row(s) checked")), qPrintable(status));
            QVERIFY(status.contains(QLatin1String("<b>6</b> rejected")));
            auto* table = child<QTableView>(d, "checkReportTable");
            QCOMPARE(table->model()->rowCount(), 7); // six rejected, one skipped
            QStringList lines;
            for (int r = 0; r < table->model()->rowCount(); ++r)
                lines << table->model()->index(r, 0).data().toString() + QLatin1Char(':') +
                             table->model()->index(r, 1).data().toString();
            QCOMPARE(lines, (QStringList{"4:key", "5:customer_email", "6:expires", "7:key", "9:key",
                                         "10:max_uuids", "8:key"}));
            QVERIFY(
                table->model()->index(0, 2).data().toString().contains(QLatin1String("duplicate of line 2")));
            QVERIFY(table->model()->index(3, 2).data().toString().startsWith(QLatin1String("L3n7")));

            // The report as CSV, through the save dialog.
            auto saved = guitest::onFileDialog(QStringLiteral("reportFileDialog"), reportPath);
            QTest::mouseClick(child<QPushButton>(d, "exportCheckReportButton"), Qt::LeftButton);
            QVERIFY(*saved);
            QVERIFY(child<QLabel>(d, "checkReportInfoLabel")->text().contains(QLatin1String("Report saved")));

            // 5. Import, then 6. the summary.
            QCOMPARE(w->button(QWizard::NextButton)->text().remove(QLatin1Char('&')),
                     QStringLiteral("Import"));
            click(w, QWizard::NextButton);
            QTRY_COMPARE_WITH_TIMEOUT(w->currentId(), int(ImportWizard::SummaryPageId), 30000);
            QCOMPARE(w->currentPage()->objectName(), QStringLiteral("ImportSummaryPage"));
            QCOMPARE(child<QLabel>(d, "importedValue")->text(), QStringLiteral("<b>2</b>"));
            QCOMPARE(child<QLabel>(d, "updatedValue")->text(), QStringLiteral("<b>0</b>"));
            QCOMPARE(child<QLabel>(d, "skippedValue")->text(), QStringLiteral("<b>1</b>"));
            QCOMPARE(child<QLabel>(d, "rejectedValue")->text(), QStringLiteral("<b>6</b>"));
            QCOMPARE(child<QTableView>(d, "summaryReportTable")->model()->rowCount(), 7);
            QVERIFY(!w->button(QWizard::BackButton)->isVisible() ||
                    !w->button(QWizard::BackButton)->isEnabled());
            click(w, QWizard::FinishButton);
            done = true;
        };
        auto seen = onDialog(QStringLiteral("importWizard"), [&](QWidget* d) {
            drive(d);
            if (d->isVisible()) // a check above failed: close, so that the test ends
                qobject_cast<QDialog*>(d)->done(QDialog::Rejected);
        });
        m_window->findChild<QAction*>(QStringLiteral("actionImport"))->trigger();
        QVERIFY(*seen);
        QVERIFY(done);

        // In the store: the two good rows with their fields; the stored key untouched; one audit entry.
        auto store = openStore();
        QCOMPARE(keyCount(), before + 2);
        auto ann = store->keys().find(QStringLiteral("BBBB-BBBB-BBBB-BBBB"));
        QVERIFY(ann);
        QCOMPARE(ann->customerName, QStringLiteral("Ann"));
        QCOMPARE(ann->customerEmail, QStringLiteral("ann@example.com"));
        QCOMPARE(ann->expiresAt.toUTC().date(), QDate(2030, 1, 31));
        QCOMPARE(ann->maxUuids, std::optional<int>(3));
        QCOMPARE(store->keys().find(QStringLiteral("CCCC-CCCC-CCCC-CCCC"))->customerName,
                 QStringLiteral("Bob; Jr."));
        QCOMPARE(store->keys().find(QStringLiteral("AAAA-AAAA-AAAA-AAAA"))->customerName,
                 QStringLiteral("Stored before"));
        QVERIFY(!store->keys().find(QStringLiteral("GGGG-GGGG-GGGG-GGGG")));
        AuditFilter f;
        f.actionPrefix = QStringLiteral("keys.import");
        auto audits = store->audit().list(f, 0, 10);
        QCOMPARE(audits->size(), size_t(1));
        const QJsonObject detail = audits->front().detail;
        QCOMPARE(detail.value(QLatin1String("imported")).toInt(), 2);
        QCOMPARE(detail.value(QLatin1String("skipped")).toInt(), 1);
        QCOMPARE(detail.value(QLatin1String("rejected")).toInt(), 6);
        QCOMPARE(detail.value(QLatin1String("source")).toString(), QStringLiteral("old-system.csv"));

        // The saved report: every problem with line, field, problem and value.
        QFile report(reportPath);
        QVERIFY(report.open(QIODevice::ReadOnly));
        CsvReader reader(report);
        QVERIFY(reader.open());
        QCOMPARE(reader.columns(), (QStringList{"line", "field", "problem", "value"}));
        SourceRecord record;
        QStringList fromFile;
        while (*reader.next(record))
            fromFile << record.values.at(0) + QLatin1Char(':') + record.values.at(1);
        QCOMPARE(fromFile.size(), 7);
        QVERIFY(fromFile.contains(QStringLiteral("5:customer_email")));
        QVERIFY(fromFile.contains(QStringLiteral("10:max_uuids")));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->section(), MainWindow::Section::Keys, 5000);
    }

    void badFilesAreRefusedOnTheFirstPage()
    {
        auto w = newWizard();
        auto* edit = child<QLineEdit>(w.get(), "fileEdit");
        auto* info = child<QLabel>(w.get(), "fileInfoLabel");
        const struct
        {
            QString path;
            const char* says;
        } cases[] = {
            {write("empty.csv", ""), "empty"},
            {write("picture.csv", QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 20)),
             "not a text file"},
            {m_dir.filePath(QStringLiteral("missing.csv")), "does not exist"},
            {m_dir.path(), "folder"},
        };
        for (const auto& c : cases) {
            edit->setText(c.path);
            QTRY_VERIFY_WITH_TIMEOUT(info->text().contains(QLatin1String(c.says)), 20000);
            QVERIFY(info->text().startsWith(QLatin1String("This file cannot be imported")));
            QVERIFY(!w->hasPreview());
            QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
        }
        // JSON lines is fine, and its format is named.
        edit->setText(write("keys.jsonl", "{\"license\":\"HHHH-HHHH-HHHH-HHHH\"}\n"));
        QTRY_VERIFY_WITH_TIMEOUT(w->hasPreview(), 20000);
        QVERIFY(info->text().contains(QLatin1String("JSON lines")));
        QVERIFY(w->button(QWizard::NextButton)->isEnabled());
        QCOMPARE(keyCount(), 3);
    }

    // Update overwrites stored keys of the product; with Stop the check shows why nothing would
    // be imported and the import cannot start.
    void conflictPolicies()
    {
        const QString csv = write("update.csv", "key,customer_name\n"
                                                "BBBB-BBBB-BBBB-BBBB,Ann Updated\n"
                                                "JJJJ-JJJJ-JJJJ-JJJJ,New One\n");
        {
            auto w = newWizard();
            w->setFilePath(csv);
            QTRY_VERIFY_WITH_TIMEOUT(w->hasPreview(), 20000);
            click(w.get(), QWizard::NextButton);
            click(w.get(), QWizard::NextButton);
            clickRadio(child<QRadioButton>(w.get(), "stopRadio"));
            QCOMPARE(w->policy(), ConflictPolicy::Stop);
            click(w.get(), QWizard::NextButton);
            QTRY_VERIFY_WITH_TIMEOUT(w->checkSummary().has_value(), 30000);
            QCOMPARE(w->checkSummary()->skipped, 1); // reported in full, as with skip
            QVERIFY(child<QLabel>(w.get(), "checkWarningLabel")->isVisible());
            QVERIFY(child<QLabel>(w.get(), "checkWarningLabel")
                        ->text()
                        .contains(QLatin1String("nothing would be imported")));
            QVERIFY(!w->button(QWizard::NextButton)->isEnabled());
            click(w.get(), QWizard::BackButton);
            clickRadio(child<QRadioButton>(w.get(), "updateRadio"));
            click(w.get(), QWizard::NextButton);
            QTRY_VERIFY_WITH_TIMEOUT(w->checkSummary().has_value(), 30000);
            QCOMPARE(w->checkSummary()->updated, 1);
            QCOMPARE(w->checkSummary()->imported, 1);
            click(w.get(), QWizard::NextButton);
            QTRY_COMPARE_WITH_TIMEOUT(w->currentId(), int(ImportWizard::SummaryPageId), 30000);
            QCOMPARE(w->importSummary()->updated, 1);
            QCOMPARE(w->importSummary()->imported, 1);
            QVERIFY(!child<QTableView>(w.get(), "summaryReportTable")->isVisible()); // no problems
        }
        auto store = openStore();
        QCOMPARE(store->keys().find(QStringLiteral("BBBB-BBBB-BBBB-BBBB"))->customerName,
                 QStringLiteral("Ann Updated"));
        QCOMPARE(store->keys().find(QStringLiteral("JJJJ-JJJJ-JJJJ-JJJJ"))->customerName,
                 QStringLiteral("New One"));
        QCOMPARE(importAudits(), 2);
    }

    // 300,000 rows imported without the check, stopped at about half way: nothing changes, no
    // audit entry; the page offers to try again.
    void stoppingALargeImportHalfWayChangesNothing()
    {
        QByteArray data = "key,customer_email\n";
        data.reserve(300000 * 40);
        const char* alphabet = KeyFormat::kCrockfordAlphabet;
        for (int i = 0; i < 300000; ++i) {
            char key[] = "KAAA-XXXX-AAAA-AAAA";
            for (int p = 8, v = i; p >= 5; --p, v /= 32) // four base-32 digits: a million distinct keys
                key[p] = alphabet[v % 32];
            data += key;
            data += ",user@example.com\n";
        }
        const QString csv = write("large.csv", data);
        data.clear();
        const qint64 keys = keyCount();
        const qint64 audits = importAudits();
        auto w = newWizard();
        w->setFilePath(csv);
        QTRY_VERIFY_WITH_TIMEOUT(w->hasPreview(), 20000);
        click(w.get(), QWizard::NextButton);
        click(w.get(), QWizard::NextButton);
        child<QCheckBox>(w.get(), "checkFirstCheck")->setChecked(false);
        click(w.get(), QWizard::NextButton);
        QCOMPARE(w->currentPage()->objectName(), QStringLiteral("ImportRunPage"));
        QVERIFY(w->isRunning());
        QTRY_VERIFY(!w->button(QWizard::BackButton)->isEnabled()); // Stop is the way out
        auto* bar = child<QProgressBar>(w.get(), "importProgressBar");
        QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() == 1000 && bar->value() >= 450, 120000);
        QVERIFY2(w->isRunning(), "the import finished before it could be stopped");
        const int at = bar->value();
        QTest::mouseClick(child<QPushButton>(w.get(), "stopImportButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w->isRunning(), 60000);
        qInfo("stopped at %.1f%%", at / 10.0);
        QVERIFY(at < 900);
        QCOMPARE(child<QLabel>(w.get(), "importStatusLabel")->text(),
                 QStringLiteral("Stopped. Nothing was imported."));
        QVERIFY(child<QPushButton>(w.get(), "retryImportButton")->isVisible());
        QVERIFY(w->button(QWizard::BackButton)->isEnabled());
        QVERIFY(!w->importSummary());
        QCOMPARE(w->currentId(), int(ImportWizard::RunPageId));
        QCOMPARE(keyCount(), keys);
        QCOMPARE(importAudits(), audits);
        w->reject(); // nothing running: closes
        QVERIFY(!w->isVisible());
    }
};

KW_GUI_TEST_MAIN(TestImportWizard)
#include "TestImportWizard.moc"
