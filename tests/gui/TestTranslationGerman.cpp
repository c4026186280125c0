#include "DatabaseChooser.h"
#include "GuiTest.h"
#include "MainWindow.h"
#include "Translations.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLibraryInfo>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QTest>

using namespace keyward;

// The app started in German shows German text: its own strings, forms and Qt's standard buttons.
class TestTranslationGerman : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Translations::install(QStringLiteral("de")); }

    void mainWindowIsGerman()
    {
        MainWindow w;
        auto* sidebar = w.findChild<QListWidget*>(QStringLiteral("sidebar"));
        QCOMPARE(sidebar->item(0)->text(), QStringLiteral("Produkte"));
        QCOMPARE(sidebar->item(1)->text(), QStringLiteral("Schlüssel"));
        QCOMPARE(sidebar->item(2)->text(), QStringLiteral("Papierkorb"));
        QCOMPARE(w.findChild<QAction*>(QStringLiteral("actionGenerate"))->text(),
                 QStringLiteral("Schlüssel &erzeugen…"));
        QStringList menus;
        for (QAction* a : w.menuBar()->actions())
            menus << a->text();
        QVERIFY2(menus.contains(QStringLiteral("&Datei")), qPrintable(menus.join(QLatin1Char(','))));
        QVERIFY(menus.contains(QStringLiteral("&Hilfe")));
    }

    void dialogsAndQtButtonsAreGerman()
    {
        DatabaseChooser chooser;
        QCOMPARE(chooser.windowTitle(), QStringLiteral("Datenbank wählen"));
        auto* box = chooser.findChild<QDialogButtonBox*>(QStringLiteral("buttonBox"));
        QCOMPARE(box->button(QDialogButtonBox::Ok)->text(), QStringLiteral("&Anlegen"));
        // From Qt's own translation (qtbase_de, Debian package qt6-translations-l10n).
        if (!QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) +
                           QStringLiteral("/qtbase_de.qm")))
            QSKIP("Qt's own German translation (qtbase_de.qm) is not installed");
        QCOMPARE(box->button(QDialogButtonBox::Cancel)->text().remove(QLatin1Char('&')),
                 QStringLiteral("Abbrechen"));
    }
};

KW_GUI_TEST_MAIN(TestTranslationGerman)
#include "TestTranslationGerman.moc"
