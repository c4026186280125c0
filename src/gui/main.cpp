#include "AppSettings.h"
#include "MainWindow.h"
#include "Theme.h"
#include "Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

using namespace keyward;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Keyward"));
    QApplication::setApplicationName(QStringLiteral("Keyward"));
    QApplication::setApplicationDisplayName(QStringLiteral("Keyward"));
    QApplication::setApplicationVersion(QStringLiteral(KEYWARD_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/keyward.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Keyward: license keys on your own machines."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db(
        QStringLiteral("db"),
        QStringLiteral("SQLite file, or postgresql://user:password@host:port/database."),
        QStringLiteral("D"));
    const QCommandLineOption language(
        QStringLiteral("language"), QStringLiteral("Language code, e.g. de or en."), QStringLiteral("CODE"));
    parser.addOptions({db, language});
    parser.process(app);

    AppSettings settings;
    Translations::install(parser.isSet(language) ? parser.value(language) : settings.language());
    Theme::captureSystemPalette();
    Theme::apply(settings.theme());

    MainWindow window;
    window.show();
    const QString requested = parser.isSet(db) ? parser.value(db) : qEnvironmentVariable("KEYWARD_DB");
    window.openInitialDatabase(requested);
    return QApplication::exec();
}
