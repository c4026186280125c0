#include "CheckCommand.h"

#include "CliContext.h"
#include "KeyFormat.h"

namespace keyward::cli {

int CheckCommand::run(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Check a key against a key format, without any lookup. Prints \"valid\", or the code (L3n7 wrong "
        "length, C4r5 wrong characters, P477 wrong pattern or check symbol) and what is wrong. Exit code 0 "
        "when "
        "valid, 1 when not."));
    parser.addPositionalArgument(QStringLiteral("KEY"), QStringLiteral("The key to check."));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("Pattern (default XXXXX-XXXXX-XXXXX-XXXXX)."),
                                    QStringLiteral("PATTERN"));
    const QCommandLineOption prefix(QStringLiteral("prefix"), QStringLiteral("Literal prefix."),
                                    QStringLiteral("P"));
    const QCommandLineOption alphabet(QStringLiteral("alphabet"),
                                      QStringLiteral("Alphabet (default Crockford base32)."),
                                      QStringLiteral("A"));
    const QCommandLineOption checkSymbol(QStringLiteral("check-symbol"),
                                         QStringLiteral("The last X is a check symbol."));
    const QCommandLineOption product(QStringLiteral("product"),
                                     QStringLiteral("Use this product's format (needs the database)."),
                                     QStringLiteral("NAME"));
    parser.addOptions({format, prefix, alphabet, checkSymbol, product});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return cli.usage(parser, QStringLiteral("check needs exactly one KEY (quote it if it has spaces)."));

    KeyFormat::Options options;
    if (parser.isSet(product)) {
        Store* store = cli.store();
        if (!store)
            return ExitDatabase;
        auto found = store->products().findByName(parser.value(product));
        if (!found)
            return cli.fail(found.error());
        options.pattern = found->keyPattern;
        options.prefix = found->keyPrefix;
        options.alphabet = found->alphabet;
        options.checkSymbol = found->checkSymbol;
    }
    if (parser.isSet(format))
        options.pattern = parser.value(format);
    if (parser.isSet(prefix))
        options.prefix = parser.value(prefix);
    if (parser.isSet(alphabet))
        options.alphabet = parser.value(alphabet);
    if (parser.isSet(checkSymbol))
        options.checkSymbol = true;
    options.force = true; // checking a weak format is fine; refusing is for creating one
    auto keyFormat = KeyFormat::create(options);
    if (!keyFormat)
        return cli.fail(keyFormat.error());

    const KeyCheck result = keyFormat->check(parser.positionalArguments().constFirst());
    if (result.valid()) {
        cli.out << "valid\n";
        return ExitOk;
    }
    cli.out << result.codeString() << ": " << result.message << "\n";
    return ExitInvalidKey;
}

} // namespace keyward::cli
