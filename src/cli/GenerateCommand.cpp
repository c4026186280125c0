#include "GenerateCommand.h"

#include "CliContext.h"
#include "DateParsing.h"
#include "KeyExportWriter.h"
#include "KeyGeneration.h"

#include <QFile>
#include <QSaveFile>
#include <QTemporaryFile>

namespace keyward::cli {
namespace {

Status readCount(const QCommandLineParser& parser, const QCommandLineOption& option, qint64 minimum,
                 std::optional<qint64>& target)
{
    if (!parser.isSet(option))
        return {};
    bool ok = false;
    const qint64 value = parser.value(option).toLongLong(&ok);
    if (!ok || value < minimum)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("--%1 needs a whole number of at least %2, not \"%3\".")
                             .arg(option.names().constFirst())
                             .arg(minimum)
                             .arg(parser.value(option)));
    target = value;
    return {};
}

} // namespace

int GenerateCommand::run(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Generate license keys for a product and store them. The new keys are written to --out, or printed "
        "when there is none. Ctrl+C cancels and stores nothing."));
    const QCommandLineOption product(QStringLiteral("product"), QStringLiteral("The product."),
                                     QStringLiteral("NAME"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("How many keys."),
                                   QStringLiteral("N"));
    const QCommandLineOption expires(QStringLiteral("expires"),
                                     QStringLiteral("Expiry date (YYYY-MM-DD, end of day UTC) or \"never\"."),
                                     QStringLiteral("DATE"));
    const QCommandLineOption maxDomains(
        QStringLiteral("max-domains"), QStringLiteral("Domains per key; 0 = no limit."), QStringLiteral("N"));
    const QCommandLineOption maxUuids(QStringLiteral("max-uuids"),
                                      QStringLiteral("Devices per key; 0 = no limit."), QStringLiteral("N"));
    const QCommandLineOption tokens(QStringLiteral("tokens"),
                                    QStringLiteral("Make token keys with N tokens."), QStringLiteral("N"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("Use this pattern instead of the product's."),
                                    QStringLiteral("PATTERN"));
    const QCommandLineOption prefix(QStringLiteral("prefix"),
                                    QStringLiteral("Use this prefix instead of the product's."),
                                    QStringLiteral("P"));
    const QCommandLineOption customer(QStringLiteral("customer"),
                                      QStringLiteral("Customer name for the new keys."),
                                      QStringLiteral("NAME"));
    const QCommandLineOption email(
        QStringLiteral("email"), QStringLiteral("Customer email for the new keys."), QStringLiteral("EMAIL"));
    const QCommandLineOption out(QStringLiteral("out"),
                                 QStringLiteral("Write the new keys to FILE.csv or FILE.json."),
                                 QStringLiteral("FILE"));
    parser.addOptions(
        {product, count, expires, maxDomains, maxUuids, tokens, format, prefix, customer, email, out});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (!parser.isSet(product) || !parser.isSet(count))
        return cli.usage(parser, QStringLiteral("generate needs --product NAME and --count N."));

    GenerationRequest request;
    std::optional<qint64> number;
    if (Status s = readCount(parser, count, 1, number); !s)
        return cli.fail(s.error());
    request.count = *number;
    for (auto [option, target] :
         {std::pair{&maxDomains, &request.maxDomains}, std::pair{&maxUuids, &request.maxUuids}}) {
        number.reset();
        if (Status s = readCount(parser, *option, 0, number); !s)
            return cli.fail(s.error());
        if (number)
            *target = int(std::min<qint64>(*number, 1'000'000));
    }
    if (Status s = readCount(parser, tokens, 0, request.tokens); !s)
        return cli.fail(s.error());
    if (parser.isSet(expires)) {
        if (parser.value(expires).compare(QLatin1String("never"), Qt::CaseInsensitive) == 0) {
            request.expiresAt = QDateTime();
        } else {
            auto date = parseIsoDateTime(parser.value(expires), true);
            if (!date)
                return cli.usage(
                    parser,
                    QStringLiteral("\"%1\" is not a date; use YYYY-MM-DD.").arg(parser.value(expires)));
            request.expiresAt = *date;
        }
    }
    request.customerName = parser.value(customer);
    request.customerEmail = parser.value(email);

    const bool plain = !parser.isSet(out); // no file: print one key per line
    std::optional<ExportFormat> outFormat;
    if (!plain) {
        outFormat = exportFormatForPath(parser.value(out));
        if (!outFormat)
            return cli.usage(parser, QStringLiteral("--out must end in .csv or .json."));
    }

    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto found = store->products().findByName(parser.value(product));
    if (!found)
        return cli.fail(found.error());
    request.productId = found->id;
    if (parser.isSet(format) || parser.isSet(prefix)) {
        KeyFormat::Options options;
        options.pattern = parser.isSet(format) ? parser.value(format) : found->keyPattern;
        options.prefix = parser.isSet(prefix) ? parser.value(prefix) : found->keyPrefix;
        options.alphabet = found->alphabet;
        options.checkSymbol = found->checkSymbol;
        options.force = found->weakFormatAllowed;
        auto custom = KeyFormat::create(options);
        if (!custom)
            return cli.fail(custom.error());
        request.format = *custom;
    }

    // Keys go to a temporary file first and reach --out or stdout only once they are stored.
    std::unique_ptr<QFileDevice> file;
    if (plain)
        file = std::make_unique<QTemporaryFile>();
    else
        file = std::make_unique<QSaveFile>(parser.value(out));
    if (!file->open(plain ? QIODevice::ReadWrite : QIODevice::WriteOnly))
        return cli.fail(ExitIo,
                        QStringLiteral("Cannot write %1: %2").arg(file->fileName(), file->errorString()));
    std::optional<KeyExportWriter> writer;
    if (!plain) {
        writer.emplace(*file, *outFormat);
        if (Status s = writer->begin(); !s)
            return cli.fail(s.error());
    }
    auto sink = [&](const LicenseKey& key) -> Status {
        if (writer)
            return writer->write(key);
        const QByteArray line = key.key.toUtf8() + '\n';
        if (file->write(line) != line.size())
            return makeError(ErrorKind::Io,
                             QStringLiteral("Writing the keys failed: %1").arg(file->errorString()));
        return {};
    };

    auto generated =
        KeyGeneration::run(*store, request, cli.progress(QStringLiteral("Generating keys")), sink);
    cli.endProgress();
    if (!generated)
        return cli.fail(generated.error());

    if (plain) {
        file->seek(0);
        while (!file->atEnd())
            cli.out << QString::fromUtf8(file->read(1 << 20));
        cli.out.flush();
    } else {
        auto* saveFile = static_cast<QSaveFile*>(file.get());
        if (Status s = writer->finish(); !s || !saveFile->commit())
            return cli.fail(ExitIo,
                            QStringLiteral("The %1 keys were stored, but writing %2 failed (%3). Export them "
                                           "with \"keyward-cli export\".")
                                .arg(*generated)
                                .arg(parser.value(out), saveFile->errorString()));
    }
    cli.err << "Generated " << *generated << " key(s) for \"" << found->name << "\""
            << (parser.isSet(out) ? QStringLiteral(" into %1").arg(parser.value(out)) : QString()) << ".\n";
    return ExitOk;
}

} // namespace keyward::cli
