#include "ExportCommand.h"

#include "CliContext.h"
#include "KeyExport.h"
#include "KeyFilterOptions.h"

namespace keyward::cli {

int ExportCommand::run(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Export license keys to CSV or JSON (by the file's "
                                                    "suffix). The file is complete or not written at all."));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("FILE.csv or FILE.json."),
                                 QStringLiteral("FILE"));
    parser.addOption(out);
    KeyFilterOptions filterOptions;
    filterOptions.addTo(parser);
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (!parser.isSet(out))
        return cli.usage(parser, QStringLiteral("export needs --out FILE.csv or --out FILE.json."));
    const auto format = exportFormatForPath(parser.value(out));
    if (!format)
        return cli.usage(parser, QStringLiteral("--out must end in .csv or .json."));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto filter = filterOptions.read(parser, *store);
    if (!filter)
        return cli.fail(filter.error());
    auto written = KeyExport::toFile(store->keys(), *filter, parser.value(out), *format,
                                     cli.progress(QStringLiteral("Exporting keys")));
    cli.endProgress();
    if (!written)
        return cli.fail(written.error());
    cli.err << "Exported " << *written << " key(s) to " << parser.value(out) << ".\n";
    return ExitOk;
}

} // namespace keyward::cli
