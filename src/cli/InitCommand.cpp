#include "InitCommand.h"

#include "CliContext.h"
#include "Migrations.h"

namespace keyward::cli {

int InitCommand::run(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Create a Keyward database (an SQLite file, or the tables in an existing PostgreSQL "
                       "database), or bring an "
                       "existing one up to the current schema. Safe to run again."));
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    Store* store = cli.store(true);
    if (!store)
        return ExitDatabase;
    cli.out << "Keyward database ready at " << store->database().location().displayName() << " (schema "
            << store->database().schemaVersion() << ").\n";
    return ExitOk;
}

} // namespace keyward::cli
