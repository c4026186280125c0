// Takes the screenshots in docs/ from the real app: scripts/screenshots.sh runs this under Xvfb on
// a database it prepares. Not a test; built with the tests because it drives the same widgets.
//
// usage: keyward_screenshots DB OUTDIR

#include "BulkDeleteWizard.h"
#include "GenerateKeysDialog.h"
#include "ImportWizard.h"
#include "KeyDetailEditor.h"
#include "KeyGenerator.h"
#include "KeyTableModel.h"
#include "KeysPage.h"
#include "MainWindow.h"
#include "ProductEditor.h"
#include "ProductTableModel.h"
#include "ProductsPage.h"
#include "Theme.h"
#include "Translations.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QPixmap>
#include <QScreen>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

using namespace keyward;

namespace {

void settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool waitFor(const std::function<bool()>& ready, int ms = 60000)
{
    QElapsedTimer t;
    t.start();
    while (!ready() && t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return ready();
}

void save(QWidget* w, const QString& dir, const QString& name)
{
    settle(300);
    const QPixmap shot = w->window()->grab();
    shot.save(QDir(dir).filePath(name));
    std::printf("%s\n", qPrintable(QDir(dir).filePath(name)));
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Keyward"));
    QApplication::setApplicationName(QStringLiteral("Keyward"));
    if (app.arguments().size() < 3) {
        std::fprintf(stderr, "usage: keyward_screenshots DB OUTDIR\n");
        return 2;
    }
    const QString db = app.arguments().at(1);
    const QString out = app.arguments().at(2);
    QDir().mkpath(out);
    Translations::install(QStringLiteral("en"));
    Theme::captureSystemPalette();
    Theme::apply(AppSettings::Theme::Light);

    MainWindow w;
    w.resize(1400, 880);
    w.show();
    w.openDatabase(db, false);
    if (!waitFor([&] { return w.backend() != nullptr; }))
        return 1;
    KeysPage* keys = w.keysPage();
    waitFor([&] { return keys->model()->isCountKnown(); });
    QTableView* table = keys->table();
    // A key a few rows down, with its details beside the table.
    const int row = 3;
    waitFor([&] {
        (void)keys->model()->data(keys->model()->index(row, 0));
        return keys->model()->rowAt(row) != nullptr;
    });
    table->selectionModel()->setCurrentIndex(keys->model()->index(row, 0),
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    waitFor([&] { return keys->editor()->keyId() != 0; });
    save(&w, out, QStringLiteral("main-window.png"));

    keys->editor()->findChild<QTabWidget*>(QStringLiteral("detailTabs"))->setCurrentIndex(1);
    save(&w, out, QStringLiteral("key-domains.png"));
    keys->editor()->findChild<QTabWidget*>(QStringLiteral("detailTabs"))->setCurrentIndex(2);
    save(&w, out, QStringLiteral("key-history.png"));
    keys->editor()->findChild<QTabWidget*>(QStringLiteral("detailTabs"))->setCurrentIndex(0);

    waitFor([&] { return !w.productList().empty(); });
    {
        GenerateKeysDialog dialog(w.backend(), w.productList(), w.productList().front().id, &w);
        dialog.show();
        save(&dialog, out, QStringLiteral("generate-dialog.png"));
    }
    {
        ProductEditor editor(w.backend(), w.productList().front(), &w);
        editor.show();
        save(&editor, out, QStringLiteral("product-editor.png"));
    }
    w.showSection(MainWindow::Section::Products);
    waitFor([&] { return w.productsPage()->model()->isCountKnown(); });
    save(&w, out, QStringLiteral("products.png"));

    // The import wizard on a small export of an older system, with a few rows it rejects.
    QTemporaryDir work;
    const QString csv = work.filePath(QStringLiteral("old-shop-export.csv"));
    {
        QFile file(csv);
        file.open(QIODevice::WriteOnly);
        file.write("Serial;Customer;E-Mail;Valid until;Seats;Comment\r\n");
        const char* names[] = {"Ada Lovelace",  "Grace Hopper", "Alan Turing",     "Katherine Johnson",
                               "Linus Pauling", "Marie Curie",  "Edsger Dijkstra", "Barbara Liskov"};
        KeyGenerator generator{*w.productList().front().format()};
        for (int i = 0; i < 40; ++i) {
            QByteArray key = generator.next().toLatin1();
            QByteArray email = QByteArray(names[i % 8]).toLower().replace(' ', '.') + "@example.com";
            QByteArray expiry = "2027-0" + QByteArray::number(1 + i % 9) + "-15";
            if (i == 3)
                key.chop(2); // too short
            if (i == 7)
                email = "katherine.johnson(at)example.com";
            if (i == 11)
                expiry = "15/03/2027";
            if (i == 15)
                key = "PHOTO-AAAAA-BBBBB-CCCCC-DDDDU"; // a character the alphabet does not have
            file.write(key + ";" + names[i % 8] + ";" + email + ";" + expiry + ";" +
                       QByteArray::number(1 + i % 3) + ";\"order " + QByteArray::number(1000 + i) + "\"\r\n");
        }
    }
    {
        ImportWizard wizard(w.backend(), w.productList(), w.productList().front().id, &w);
        wizard.resize(980, 700);
        wizard.show();
        wizard.setFilePath(csv);
        waitFor([&] { return wizard.hasPreview(); });
        wizard.next();
        save(&wizard, out, QStringLiteral("import-mapping.png"));
        wizard.next();
        wizard.next();
        waitFor([&] { return wizard.checkSummary().has_value(); });
        save(&wizard, out, QStringLiteral("import-report.png"));
    }
    {
        // Every key with an example.com customer: a few of them active with domains.
        KeyFilter filter;
        filter.text = QStringLiteral("example.com");
        BulkDeleteWizard wizard(w.backend(), w.productList(), filter, 12, {}, &w);
        wizard.resize(980, 660);
        wizard.show();
        wizard.next();
        waitFor([&] { return wizard.preview().has_value(); });
        save(&wizard, out, QStringLiteral("bulk-delete.png"));
    }

    w.showSection(MainWindow::Section::Keys);
    Theme::apply(AppSettings::Theme::Dark);
    save(&w, out, QStringLiteral("main-window-dark.png"));
    return 0;
}
