#include "ProductCommand.h"

#include "CliContext.h"
#include "DomainJson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace keyward::cli {
namespace {

struct ProductOptions
{
    QCommandLineOption format{QStringLiteral("format"),
                              QStringLiteral("Key pattern: X = symbol, 9 = digit, anything else literal "
                                             "(default XXXXX-XXXXX-XXXXX-XXXXX)."),
                              QStringLiteral("PATTERN")};
    QCommandLineOption prefix{QStringLiteral("prefix"), QStringLiteral("Literal text every key starts with."),
                              QStringLiteral("P")};
    QCommandLineOption alphabet{QStringLiteral("alphabet"),
                                QStringLiteral("Symbols for X slots (default Crockford base32)."),
                                QStringLiteral("A")};
    QCommandLineOption checkSymbol{QStringLiteral("check-symbol"),
                                   QStringLiteral("Make the last X a check symbol that catches typos.")};
    QCommandLineOption noCheckSymbol{QStringLiteral("no-check-symbol"),
                                     QStringLiteral("Remove the check symbol.")};
    QCommandLineOption forceWeak{QStringLiteral("force-weak-format"),
                                 QStringLiteral("Accept a format with fewer than 64 bits of entropy.")};
    QCommandLineOption plan{QStringLiteral("plan"),
                            QStringLiteral("free (10,000/day), pro (100,000/day) or enterprise."),
                            QStringLiteral("PLAN")};
    QCommandLineOption dailyLimit{QStringLiteral("daily-limit"),
                                  QStringLiteral("Custom daily validation limit; \"plan\" for the plan's."),
                                  QStringLiteral("N")};
    QCommandLineOption maxKeys{QStringLiteral("max-keys"),
                               QStringLiteral("Most keys the product may have; 0 = no limit."),
                               QStringLiteral("N")};
    QCommandLineOption expiryDays{QStringLiteral("expiry-days"),
                                  QStringLiteral("New keys expire after N days; 0 = never."),
                                  QStringLiteral("N")};
    QCommandLineOption maxDomains{QStringLiteral("max-domains"),
                                  QStringLiteral("Default domains per key; 0 = no limit."),
                                  QStringLiteral("N")};
    QCommandLineOption maxUuids{QStringLiteral("max-uuids"),
                                QStringLiteral("Default devices per key; 0 = no limit."),
                                QStringLiteral("N")};
    QCommandLineOption tokens{QStringLiteral("tokens"),
                              QStringLiteral("Make keys token keys with N tokens each; -1 = not token keys."),
                              QStringLiteral("N")};
    QCommandLineOption rename{QStringLiteral("rename"), QStringLiteral("New name (edit only)."),
                              QStringLiteral("NAME")};

    bool editing = false;

    void addTo(QCommandLineParser& parser, bool edit)
    {
        editing = edit;
        parser.addOptions({format, prefix, alphabet, checkSymbol, forceWeak, plan, dailyLimit, maxKeys,
                           expiryDays, maxDomains, maxUuids, tokens});
        if (edit)
            parser.addOptions({noCheckSymbol, rename});
    }

    Status apply(const QCommandLineParser& parser, Product& p) const
    {
        auto number = [&](const QCommandLineOption& option, qint64 minimum, qint64& value) -> Status {
            bool ok = false;
            value = parser.value(option).toLongLong(&ok);
            if (!ok || value < minimum)
                return makeError(ErrorKind::Invalid,
                                 QStringLiteral("--%1 needs a whole number of at least %2, not \"%3\".")
                                     .arg(option.names().constFirst())
                                     .arg(minimum)
                                     .arg(parser.value(option)));
            return {};
        };
        auto limit = [&](const QCommandLineOption& option, std::optional<int>& target) -> Status {
            if (!parser.isSet(option))
                return {};
            qint64 v = 0;
            if (Status s = number(option, 0, v); !s)
                return s;
            target = v == 0 ? std::nullopt : std::optional<int>(int(v));
            return {};
        };
        if (editing && parser.isSet(rename))
            p.name = parser.value(rename);
        if (parser.isSet(format))
            p.keyPattern = parser.value(format);
        if (parser.isSet(prefix))
            p.keyPrefix = parser.value(prefix);
        if (parser.isSet(alphabet))
            p.alphabet = parser.value(alphabet);
        if (parser.isSet(checkSymbol))
            p.checkSymbol = true;
        if (editing && parser.isSet(noCheckSymbol))
            p.checkSymbol = false;
        if (parser.isSet(forceWeak))
            p.weakFormatAllowed = true;
        if (parser.isSet(plan)) {
            auto parsed = planFromString(parser.value(plan));
            if (!parsed)
                return makeError(ErrorKind::Invalid,
                                 QStringLiteral("Unknown plan \"%1\"; use free, pro or enterprise.")
                                     .arg(parser.value(plan)));
            p.plan = *parsed;
        }
        if (parser.isSet(dailyLimit)) {
            if (parser.value(dailyLimit) == QLatin1String("plan")) {
                p.dailyLimitOverride.reset();
            } else {
                qint64 v = 0;
                if (Status s = number(dailyLimit, 0, v); !s)
                    return s;
                p.dailyLimitOverride = v;
            }
        }
        if (parser.isSet(maxKeys)) {
            qint64 v = 0;
            if (Status s = number(maxKeys, 0, v); !s)
                return s;
            p.maxKeys = v == 0 ? std::nullopt : std::optional<qint64>(v);
        }
        if (Status s = limit(expiryDays, p.defaultExpiryDays); !s)
            return s;
        if (Status s = limit(maxDomains, p.defaultMaxDomains); !s)
            return s;
        if (Status s = limit(maxUuids, p.defaultMaxUuids); !s)
            return s;
        if (parser.isSet(tokens)) {
            qint64 v = 0;
            if (Status s = number(tokens, -1, v); !s)
                return s;
            p.tokenKeys = v >= 0;
            p.defaultTokens = std::max<qint64>(v, 0);
        }
        return {};
    }
};

QString limitText(const std::optional<qint64>& v)
{
    return v ? QLocale::c().toString(*v) : QStringLiteral("unlimited");
}

void printProduct(CliContext& cli, const Product& p, qint64 keys)
{
    auto format = p.format();
    cli.out << "Product:        " << p.name << (p.archived ? " (archived)" : "") << "\n"
            << "Key format:     " << p.keyPrefix << p.keyPattern
            << (p.checkSymbol ? " with check symbol" : "") << "\n"
            << "Alphabet:       " << p.alphabet << "\n";
    if (format)
        cli.out << "Entropy:        " << QString::number(format->entropyBits(), 'f', 1) << " bits\n";
    cli.out << "Plan:           " << planToString(p.plan) << ", daily limit " << limitText(p.dailyLimit())
            << "\n"
            << "Keys:           " << keys << " of " << limitText(p.maxKeys) << "\n"
            << "Default expiry: "
            << (p.defaultExpiryDays ? QStringLiteral("%1 days").arg(*p.defaultExpiryDays)
                                    : QStringLiteral("never"))
            << "\n"
            << "Max domains:    "
            << (p.defaultMaxDomains ? QString::number(*p.defaultMaxDomains) : QStringLiteral("unlimited"))
            << "\n"
            << "Max UUIDs:      "
            << (p.defaultMaxUuids ? QString::number(*p.defaultMaxUuids) : QStringLiteral("unlimited")) << "\n"
            << "Token keys:     "
            << (p.tokenKeys ? QStringLiteral("yes, %1 tokens").arg(p.defaultTokens) : QStringLiteral("no"))
            << "\n";
}

int add(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create a product."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The product's name."));
    ProductOptions options;
    options.addTo(parser, false);
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return cli.usage(parser, QStringLiteral("product add needs exactly one NAME."));
    Product product;
    product.name = parser.positionalArguments().constFirst();
    if (Status s = options.apply(parser, product); !s)
        return cli.fail(s.error());
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto created = store->products().create(product);
    if (!created)
        return cli.fail(created.error());
    cli.out << "Created product \"" << created->name << "\" (id " << created->id << ").\n";
    return ExitOk;
}

int edit(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Change a product."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The product to change."));
    ProductOptions options;
    options.addTo(parser, true);
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return cli.usage(parser, QStringLiteral("product edit needs exactly one NAME."));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto product = store->products().findByName(parser.positionalArguments().constFirst());
    if (!product)
        return cli.fail(product.error());
    if (Status s = options.apply(parser, *product); !s)
        return cli.fail(s.error());
    if (Status s = store->products().update(*product); !s)
        return cli.fail(s.error());
    cli.out << "Updated product \"" << product->name << "\".\n";
    return ExitOk;
}

int setArchived(CliContext& cli, const QStringList& args, bool archived)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(archived ? QStringLiteral("Archive a product: its keys stop validating.")
                                              : QStringLiteral("Bring an archived product back."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The product."));
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return cli.usage(parser, QStringLiteral("Give exactly one product NAME."));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto product = store->products().findByName(parser.positionalArguments().constFirst());
    if (!product)
        return cli.fail(product.error());
    product->archived = archived;
    if (Status s = store->products().update(*product); !s)
        return cli.fail(s.error());
    cli.out << (archived ? "Archived" : "Unarchived") << " product \"" << product->name << "\".\n";
    return ExitOk;
}

int list(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List products."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto products = store->products().list();
    if (!products)
        return cli.fail(products.error());
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const Product& p : *products) {
            auto keys = store->products().liveKeyCount(p.id);
            array.append(DomainJson::product(p, keys ? *keys : 0));
        }
        cli.out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    if (products->empty()) {
        cli.out << "No products yet. Create one with: keyward-cli product add NAME\n";
        return ExitOk;
    }
    cli.out << QStringLiteral("%1  %2  %3  %4  %5\n")
                   .arg(QStringLiteral("NAME"), -24)
                   .arg(QStringLiteral("FORMAT"), -30)
                   .arg(QStringLiteral("PLAN"), -10)
                   .arg(QStringLiteral("KEYS"), 10)
                   .arg(QStringLiteral("STATE"));
    for (const Product& p : *products) {
        auto keys = store->products().liveKeyCount(p.id);
        cli.out << QStringLiteral("%1  %2  %3  %4  %5\n")
                       .arg(p.name, -24)
                       .arg(QString(p.keyPrefix + p.keyPattern), -30)
                       .arg(planToString(p.plan), -10)
                       .arg(keys ? *keys : 0, 10)
                       .arg(p.archived ? QStringLiteral("archived") : QStringLiteral("active"));
    }
    return ExitOk;
}

int show(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show a product."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The product."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return cli.usage(parser, QStringLiteral("Give exactly one product NAME."));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto product = store->products().findByName(parser.positionalArguments().constFirst());
    if (!product)
        return cli.fail(product.error());
    auto keys = store->products().liveKeyCount(product->id);
    if (!keys)
        return cli.fail(keys.error());
    if (parser.isSet(json))
        cli.out << QJsonDocument(DomainJson::product(*product, *keys)).toJson(QJsonDocument::Indented);
    else
        printProduct(cli, *product, *keys);
    return ExitOk;
}

} // namespace

int ProductCommand::run(CliContext& cli, const QStringList& args)
{
    const QString sub = args.size() > 1 ? args.at(1) : QString();
    const QStringList rest = QStringList{QStringLiteral("product ") + sub} + args.mid(2);
    if (sub == QLatin1String("add"))
        return add(cli, rest);
    if (sub == QLatin1String("list"))
        return list(cli, rest);
    if (sub == QLatin1String("show"))
        return show(cli, rest);
    if (sub == QLatin1String("edit"))
        return edit(cli, rest);
    if (sub == QLatin1String("archive"))
        return setArchived(cli, rest, true);
    if (sub == QLatin1String("unarchive"))
        return setArchived(cli, rest, false);
    const QString help =
        QStringLiteral("Usage: keyward-cli [--db D] product add|list|show|edit|archive|unarchive ...\n"
                       "Run \"keyward-cli product add --help\" for a command's options.\n");
    return cli.unknownSubcommand(QStringLiteral("product"), sub, help);
}

} // namespace keyward::cli
