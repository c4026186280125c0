#include "DatabaseLocation.h"
#include "ErrorText.h"
#include "GuiTest.h"
#include "KeysPage.h"
#include "MainWindow.h"
#include "Store.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QTest>

using namespace keyward;
using guitest::button;
using guitest::onDialog;

// The dialogs a person sees when a database cannot be opened as asked: a file that is not a
// Keyward database, one locked by another program (with "Open read-only" as a way out), and one
// written by a newer Keyward.
class TestOpenErrors : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    struct Seen
    {
        QString headline;
        QString detail;
        QStringList buttons;
    };

    static Seen capture(QWidget* w)
    {
        auto* box = qobject_cast<QMessageBox*>(w);
        Seen s;
        s.headline = box->text();
        s.detail = box->informativeText();
        for (QAbstractButton* b : box->buttons()) {
            QString t = b->text();
            s.buttons << t.remove(QLatin1Char('&'));
        }
        return s;
    }

    QString makeDatabase(const QString& name)
    {
        const QString path = m_dir.filePath(name);
        Database::Options o;
        o.create = true;
        auto store = Store::open(DatabaseLocation::sqlite(path), o);
        return store ? path : QString();
    }

private Q_SLOTS:
    void notAKeywardFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("notes.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("These are my notes, not a database.\n");
        f.close();
        MainWindow w;
        w.show();
        Seen seen;
        auto shown = onDialog(QStringLiteral("openError"), [&](QWidget* box) {
            seen = capture(box);
            QTest::mouseClick(button(box, QStringLiteral("Cancel")), Qt::LeftButton);
        });
        QSignalSpy failed(&w, &MainWindow::databaseFailed);
        w.openDatabase(path, false);
        QTRY_VERIFY_WITH_TIMEOUT(*shown, 20000);
        QCOMPARE(seen.headline, ErrorText::headline(ErrorKind::NotKeyward));
        QVERIFY2(seen.detail.contains(QLatin1String("not a Keyward database")), qPrintable(seen.detail));
        QVERIFY(seen.buttons.contains(QStringLiteral("Choose another database…")));
        QVERIFY(!seen.buttons.contains(QStringLiteral("Open read-only")));
        QVERIFY(!w.backend());
        QCOMPARE(w.findChild<QStackedWidget*>(QStringLiteral("pages"))->currentWidget()->objectName(),
                 QStringLiteral("welcomePage"));
        // The file was not touched.
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("These are my notes, not a database.\n"));
    }

    void lockedByAnotherProgramThenReadOnly()
    {
        const QString path = makeDatabase(QStringLiteral("locked.db"));
        QVERIFY(!path.isEmpty());
        const QString name = QStringLiteral("other-program");
        {
            QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            other.setDatabaseName(path);
            QVERIFY(other.open());
            QSqlQuery lock(other);
            QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));
            QVERIFY(
                lock.exec(QStringLiteral("INSERT INTO keyward_meta (name, value) VALUES ('held', 'yes')")));

            MainWindow w;
            w.setBusyTimeout(200);
            w.show();
            Seen seen;
            auto shown = onDialog(QStringLiteral("openError"), [&](QWidget* box) {
                seen = capture(box);
                QTest::mouseClick(button(box, QStringLiteral("Open read-only")), Qt::LeftButton);
            });
            QSignalSpy opened(&w, &MainWindow::databaseOpened);
            w.openDatabase(path, false);
            QTRY_VERIFY_WITH_TIMEOUT(*shown, 20000);
            QCOMPARE(seen.headline, ErrorText::headline(ErrorKind::Locked));
            QVERIFY2(seen.detail.contains(QLatin1String("locked")), qPrintable(seen.detail));
            QVERIFY(seen.buttons.contains(QStringLiteral("Try again")));
            // Read-only works while the other program holds its lock (write-ahead log).
            QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
            QVERIFY(w.backend()->isReadOnly());
            QVERIFY(!w.findChild<QAction*>(QStringLiteral("actionNewProduct"))->isEnabled());
            QVERIFY(w.findChild<QLabel*>(QStringLiteral("databaseLabel"))
                        ->text()
                        .contains(QLatin1String("read-only")));
            QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        }
        QSqlDatabase::removeDatabase(name);
    }

    void newerSchema()
    {
        const QString path = makeDatabase(QStringLiteral("future.db"));
        {
            const QString name = QStringLiteral("future");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(
                    q.exec(QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                                          "(999, 'from the future', 0)")));
            }
            QSqlDatabase::removeDatabase(name);
        }
        MainWindow w;
        w.show();
        Seen seen;
        auto shown = onDialog(QStringLiteral("openError"), [&](QWidget* box) {
            seen = capture(box);
            QTest::mouseClick(button(box, QStringLiteral("Cancel")), Qt::LeftButton);
        });
        w.openDatabase(path, false);
        QTRY_VERIFY_WITH_TIMEOUT(*shown, 20000);
        QCOMPARE(seen.headline, ErrorText::headline(ErrorKind::TooNew));
        QVERIFY(!w.backend());
    }
};

KW_GUI_TEST_MAIN(TestOpenErrors)
#include "TestOpenErrors.moc"
