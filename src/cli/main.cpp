#include "AdminTokenCommand.h"
#include "ApiKeyCommand.h"
#include "AuditCommand.h"
#include "CheckCommand.h"
#include "CliContext.h"
#include "ExportCommand.h"
#include "GenerateCommand.h"
#include "ImportCommand.h"
#include "InitCommand.h"
#include "KeysCommand.h"
#include "ProductCommand.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <csignal>

using namespace keyward::cli;

namespace {

const char* kCommands = R"(Commands:
  init                 Create the database, or update its schema.
  product ...          add, list, show, edit, archive, unarchive products.
  generate             Generate keys for a product.
  keys ...             list, show, edit, activate, deactivate, revoke, delete (to trash),
                       restore, purge keys.
  import FILE          Import keys from CSV or JSON, with a row-level report.
  export               Export keys to CSV or JSON.
  check KEY            Check a key against a format (no database needed).
  audit list           Show the audit log.
  apikey ...           create, list, revoke a product's API keys (for keywardd).
  admin-token ...      create, list, revoke admin API tokens (for keywardd).

Run "keyward-cli COMMAND --help" for a command's options.
Without --db the database is the local file in the app-data folder (or $KEYWARD_DB).
)";

void onInterrupt(int)
{
    CliContext::interrupted().store(true);
    std::signal(SIGINT, SIG_DFL); // a second Ctrl+C ends the program at once
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("keyward-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KEYWARD_VERSION));
    std::signal(SIGINT, onInterrupt);

    CliContext cli;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Keyward license keys from the command line."));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption db(
        QStringLiteral("db"),
        QStringLiteral("SQLite file, or postgresql://user:password@host:port/database."),
        QStringLiteral("D"));
    const QCommandLineOption quiet({QStringLiteral("q"), QStringLiteral("quiet")},
                                   QStringLiteral("No progress output."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version."));
    const QCommandLineOption verbose(QStringLiteral("verbose"),
                                     QStringLiteral("Log database details on stderr."));
    parser.addOptions({db, quiet, version, verbose});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do (see below)."));
    int code = 0;
    if (!cli.parse(parser, app.arguments(), code)) {
        if (code == ExitOk)
            cli.out << "\n" << kCommands;
        return code;
    }
    if (parser.isSet(version)) {
        cli.out << "keyward-cli " << KEYWARD_VERSION << "\n";
        return ExitOk;
    }
    if (!parser.isSet(verbose)) // errors reach the person as one clear message; details only on request
        QLoggingCategory::setFilterRules(QStringLiteral("keyward.*.warning=false\nkeyward.*.debug=false"));
    cli.databaseArgument = parser.value(db);
    cli.quiet = parser.isSet(quiet);

    const QStringList args = parser.positionalArguments();
    if (args.isEmpty()) {
        cli.err << "keyward-cli: no command given.\n\n" << kCommands;
        return ExitUsage;
    }
    const QString command = args.constFirst();
    if (command == QLatin1String("init"))
        return InitCommand::run(cli, args);
    if (command == QLatin1String("product"))
        return ProductCommand::run(cli, args);
    if (command == QLatin1String("generate"))
        return GenerateCommand::run(cli, args);
    if (command == QLatin1String("keys"))
        return KeysCommand::run(cli, args);
    if (command == QLatin1String("import"))
        return ImportCommand::run(cli, args);
    if (command == QLatin1String("export"))
        return ExportCommand::run(cli, args);
    if (command == QLatin1String("check"))
        return CheckCommand::run(cli, args);
    if (command == QLatin1String("audit"))
        return AuditCommand::run(cli, args);
    if (command == QLatin1String("apikey"))
        return ApiKeyCommand::run(cli, args);
    if (command == QLatin1String("admin-token"))
        return AdminTokenCommand::run(cli, args);
    if (command == QLatin1String("help")) {
        cli.out << parser.helpText() << "\n" << kCommands;
        return ExitOk;
    }
    cli.err << "keyward-cli: unknown command \"" << command << "\".\n\n" << kCommands;
    return ExitUsage;
}
