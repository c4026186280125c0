#include "Database.h"
#include "Server.h"
#include "ServerConfig.h"
#include "SignalWatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <sys/resource.h>

namespace keyward::server {
Q_DECLARE_LOGGING_CATEGORY(lcServer)
}

using namespace keyward;
using namespace keyward::server;

namespace {

QLoggingCategory::CategoryFilter g_previousFilter = nullptr;

// QtHttpServer's debug output prints whole requests, Authorization headers included: it stays off
// whatever QT_LOGGING_RULES say, so that no log line ever holds an API key or admin token.
void secretSafeFilter(QLoggingCategory* category)
{
    if (g_previousFilter)
        g_previousFilter(category);
    if (qstrncmp(category->categoryName(), "qt.httpserver", 13) == 0)
        category->setEnabled(QtDebugMsg, false);
}

// Many clients keep connections open: allow as many descriptors as the hard limit does.
void raiseDescriptorLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace

int main(int argc, char** argv)
{
    g_previousFilter = QLoggingCategory::installFilter(secretSafeFilter);
    // Qt's own event dispatcher costs less per socket event than the GLib one (measured: a few
    // percent of a validation); an empty QT_NO_GLIB in the environment brings GLib back.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    Database::useSqliteConnectionPerThread();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("keywardd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KEYWARD_VERSION));
    if (qEnvironmentVariableIsEmpty("QT_MESSAGE_PATTERN"))
        qSetMessagePattern(QStringLiteral(
            "%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-info}info%{endif}%{if-warning}warning%{endif}"
            "%{if-critical}error%{endif}%{if-debug}debug%{endif} %{category}: %{message}"));
    QTextStream err(stderr);
    QTextStream out(stdout);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Keyward license server: the public validation API and the admin API."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db(
        QStringLiteral("db"),
        QStringLiteral("SQLite file, or postgresql://user:password@host:port/database."),
        QStringLiteral("D"));
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Address to listen on (default 127.0.0.1:8080)."),
                                    QStringLiteral("HOST:PORT"));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("INI file with settings (see docs/server.md)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption routes(QStringLiteral("routes"), QStringLiteral("Print every route and exit."));
    parser.addOptions({db, listen, config, routes});
    parser.process(app);

    auto loaded = ServerConfig::load(parser.value(config));
    if (!loaded) {
        err << "keywardd: " << loaded.errorMessage() << Qt::endl;
        return 2;
    }
    ServerConfig settings = *loaded;
    if (parser.isSet(db))
        settings.database = parser.value(db);
    if (parser.isSet(listen)) {
        if (Status s = settings.setListen(parser.value(listen)); !s) {
            err << "keywardd: " << s.errorMessage() << Qt::endl;
            return 2;
        }
    }
    if (parser.isSet(routes)) {
        Server server(settings);
        for (const QString& route : server.routeList())
            out << route << "\n";
        return 0;
    }
    if (settings.database.isEmpty()) {
        err << "keywardd: say which database to serve: --db FILE or --db postgresql://... (or [server] "
               "database in "
               "--config)."
            << Qt::endl;
        return 2;
    }

    raiseDescriptorLimit();
    SignalWatcher signals;
    Server server(settings);
    if (Status s = server.start(); !s) {
        err << "keywardd: " << s.errorMessage() << Qt::endl;
        return 1;
    }
    QObject::connect(&signals, &SignalWatcher::stopRequested, &app, [&](int signal) {
        qCInfo(lcServer) << "signal" << signal << "received";
        server.stop();
        app.quit();
    });
    return app.exec();
}
