#include "ImportCommand.h"

#include "CliContext.h"
#include "ImportReportWriter.h"
#include "KeyImport.h"
#include "RecordSource.h"

#include <QFile>
#include <QFileInfo>

namespace keyward::cli {
namespace {

QString describeMapping(const ImportMapping& mapping, const QStringList& columns)
{
    QStringList parts;
    for (int f = 0; f < kImportFieldCount; ++f) {
        const int column = mapping.column(ImportField(f));
        if (column >= 0)
            parts << QStringLiteral("%1=\"%2\"").arg(importFieldName(ImportField(f)), columns.value(column));
    }
    return parts.join(QLatin1String(", "));
}

} // namespace

int ImportCommand::run(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Import license keys from CSV (comma, semicolon or tab), a JSON array or JSON lines into a product. "
        "Every row "
        "is checked; rows with problems are reported and left out, the others are imported in one "
        "transaction. "
        "Columns named after the fields (key, customer_name, customer_email, expires, notes, status, "
        "max_domains, "
        "max_uuids, tokens, revoke_reason, created_at, and common variants) are mapped without --map."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The file to import."));
    const QCommandLineOption product(
        QStringLiteral("product"), QStringLiteral("The product the keys belong to."), QStringLiteral("NAME"));
    const QCommandLineOption map(
        QStringLiteral("map"),
        QStringLiteral("Map a field to a column by header name or number, e.g. key=Serial. "
                       "Repeatable; field=- unmaps."),
        QStringLiteral("FIELD=COLUMN"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    QStringLiteral("Check everything, change nothing."));
    const QCommandLineOption onConflict(
        QStringLiteral("on-conflict"),
        QStringLiteral("Keys already stored: skip (default), update, or stop (import "
                       "nothing if any row is rejected)."),
        QStringLiteral("POLICY"), QStringLiteral("skip"));
    const QCommandLineOption report(
        QStringLiteral("report"),
        QStringLiteral("Write every problem (line, field, problem, value) to this CSV file."),
        QStringLiteral("FILE"));
    const QCommandLineOption anyFormat(
        QStringLiteral("any-format"),
        QStringLiteral("Accept keys that do not match the product's key format."));
    parser.addOptions({product, map, dryRun, onConflict, report, anyFormat});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return cli.usage(parser, QStringLiteral("import needs exactly one FILE."));
    if (!parser.isSet(product))
        return cli.usage(parser, QStringLiteral("import needs --product NAME."));
    const auto policy = conflictPolicyFromString(parser.value(onConflict));
    if (!policy)
        return cli.usage(parser, QStringLiteral("--on-conflict takes skip, update or stop."));

    const QString path = parser.positionalArguments().constFirst();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return cli.fail(ExitIo, QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    auto source = RecordSource::forDevice(file, path);
    if (!source)
        return cli.fail(source.error().kind == ErrorKind::Io ? ExitIo : ExitUsage,
                        QStringLiteral("%1: %2").arg(path, source.errorMessage()));

    ImportOptions options;
    options.onConflict = *policy;
    options.dryRun = parser.isSet(dryRun);
    options.requireProductFormat = !parser.isSet(anyFormat);
    options.sourceName = QFileInfo(path).fileName();
    const QStringList columns = (*source)->columns();
    auto mapping = ImportMapping::guess(columns, parser.values(map));
    if (!mapping)
        return cli.fail(mapping.error());
    options.mapping = *mapping;
    if (!options.mapping.isMapped(ImportField::Key))
        return cli.fail(ExitUsage,
                        QStringLiteral("No column looks like the license key (columns: %1). Name it with "
                                       "--map key=COLUMN.")
                            .arg(columns.join(QLatin1String(", "))));
    if (!cli.quiet)
        cli.err << "Columns: " << describeMapping(options.mapping, columns) << "\n";

    std::unique_ptr<ImportReportWriter> reportFile;
    if (parser.isSet(report)) {
        reportFile = std::make_unique<ImportReportWriter>(parser.value(report));
        if (Status s = reportFile->open(); !s)
            return cli.fail(ExitIo, s.errorMessage());
    }
    auto onProblem = [&](const ImportProblem& p) {
        if (reportFile)
            reportFile->add(p);
    };

    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto found = store->products().findByName(parser.value(product));
    if (!found)
        return cli.fail(found.error());
    options.productId = found->id;

    auto summary =
        KeyImport::run(*store, **source, options, cli.progress(QStringLiteral("Importing")), onProblem);
    cli.endProgress();
    if (!summary)
        return cli.fail(summary.error());
    if (reportFile) {
        if (Status s = reportFile->commit(); !s)
            cli.err << "keyward-cli: could not write the report: " << s.errorMessage() << "\n";
    }

    const ImportSummary& s = *summary;
    if (!reportFile) {
        for (size_t i = 0; i < s.problems.size() && i < 20; ++i) {
            const ImportProblem& p = s.problems[i];
            cli.err << "line " << p.line
                    << (p.field.isEmpty() ? QString() : QStringLiteral(", %1").arg(p.field)) << ": "
                    << p.problem << (p.value.isEmpty() ? QString() : QStringLiteral(" (\"%1\")").arg(p.value))
                    << "\n";
        }
        if (s.problemCount > 20)
            cli.err << "... and " << (s.problemCount - 20)
                    << " more problems; use --report FILE for all of them.\n";
    }
    QString verb = s.dryRun ? QStringLiteral("would import") : QStringLiteral("imported");
    cli.out << (s.dryRun ? "Dry run, nothing changed. " : "") << "Read " << s.rows << " rows: " << verb << " "
            << s.imported << ", " << (s.dryRun ? "would update " : "updated ") << s.updated << ", skipped "
            << s.skipped << " already stored, rejected " << s.rejected << ".\n";
    if (s.stopped) {
        cli.err << "keyward-cli: stopped (--on-conflict stop): some rows could not be imported, so nothing "
                   "was.\n";
        return ExitRefused;
    }
    return ExitOk;
}

} // namespace keyward::cli
