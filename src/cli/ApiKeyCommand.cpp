#include "ApiKeyCommand.h"

#include "AdminJson.h"
#include "CliContext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace keyward::cli {
namespace {

int create(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create an API key for a product's apps. The key is "
                                                    "printed once, on stdout; only a hash is stored."));
    const QCommandLineOption product(QStringLiteral("product"), QStringLiteral("The product."),
                                     QStringLiteral("NAME"));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("A label, e.g. \"desktop app\"."),
                                  QStringLiteral("N"));
    parser.addOptions({product, name});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (!parser.isSet(product) || !parser.positionalArguments().isEmpty())
        return cli.usage(parser, QStringLiteral("Use: keyward-cli apikey create --product NAME [--name N]"));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto found = store->products().findByName(parser.value(product));
    if (!found)
        return cli.fail(found.error());
    auto created = store->apiKeys().create(found->id, parser.value(name));
    if (!created)
        return cli.fail(created.error());
    cli.out << created->token << "\n";
    cli.out.flush();
    cli.err << "API key " << created->key.id << " for \"" << found->name
            << "\" created. This is the only time it is shown: store it now.\n";
    return ExitOk;
}

int list(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("List API keys (their prefixes; the keys themselves are not stored)."));
    const QCommandLineOption product(QStringLiteral("product"), QStringLiteral("Only this product's keys."),
                                     QStringLiteral("NAME"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOptions({product, json});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    std::optional<qint64> productId;
    if (parser.isSet(product)) {
        auto found = store->products().findByName(parser.value(product));
        if (!found)
            return cli.fail(found.error());
        productId = found->id;
    }
    auto keys = store->apiKeys().list(productId);
    if (!keys)
        return cli.fail(keys.error());
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const ApiKey& k : *keys)
            array.append(AdminJson::apiKey(k));
        cli.out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    for (const ApiKey& k : *keys) {
        cli.out << QStringLiteral("%1").arg(k.id, 5) << "  "
                << QStringLiteral("%1").arg(k.tokenPrefix + QStringLiteral("..."), -14) << "  "
                << QStringLiteral("%1").arg(k.productName, -20) << "  "
                << (k.revoked() ? QStringLiteral("revoked ") + k.revokedAt.toString(Qt::ISODate)
                                : QStringLiteral("active"))
                << (k.name.isEmpty() ? QString() : QStringLiteral("  ") + k.name) << "\n";
    }
    return ExitOk;
}

int revoke(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Revoke an API key: apps using it get 401 from then on."));
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The key's id (see apikey list)."));
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    bool ok = false;
    const qint64 id = parser.positionalArguments().value(0).toLongLong(&ok);
    if (parser.positionalArguments().size() != 1 || !ok)
        return cli.usage(parser, QStringLiteral("Use: keyward-cli apikey revoke ID"));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    if (Status s = store->apiKeys().revoke(id); !s)
        return cli.fail(s.error());
    cli.err << "API key " << id << " revoked.\n";
    return ExitOk;
}

} // namespace

int ApiKeyCommand::run(CliContext& cli, const QStringList& args)
{
    const QString sub = args.size() > 1 ? args.at(1) : QString();
    const QStringList rest = QStringList{QStringLiteral("apikey ") + sub} + args.mid(2);
    if (sub == QLatin1String("create"))
        return create(cli, rest);
    if (sub == QLatin1String("list"))
        return list(cli, rest);
    if (sub == QLatin1String("revoke"))
        return revoke(cli, rest);
    const QString help =
        QStringLiteral("Usage: keyward-cli [--db D] apikey create --product NAME [--name N] | list "
                       "[--product NAME] [--json] | revoke ID\n");
    return cli.unknownSubcommand(QStringLiteral("apikey"), sub, help);
}

} // namespace keyward::cli
