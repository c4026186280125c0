#include "AdminTokenCommand.h"

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
    parser.setApplicationDescription(QStringLiteral("Create a token for the admin API. It is printed once, "
                                                    "on stdout; only a hash is stored. Roles: owner "
                                                    "(everything), manager (products and keys), support "
                                                    "(tickets, bans, read keys), viewer (read only)."));
    const QCommandLineOption role(
        QStringLiteral("role"), QStringLiteral("owner, manager, support or viewer."), QStringLiteral("ROLE"));
    const QCommandLineOption name(QStringLiteral("name"),
                                  QStringLiteral("Who or what uses it; shown in the audit log."),
                                  QStringLiteral("N"));
    parser.addOptions({role, name});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (!parser.isSet(role) || !parser.positionalArguments().isEmpty())
        return cli.usage(
            parser, QStringLiteral("Use: keyward-cli admin-token create --role owner|manager|support|viewer "
                                   "[--name N]"));
    auto chosen = adminRoleFromString(parser.value(role));
    if (!chosen)
        return cli.usage(parser,
                         QStringLiteral("\"%1\" is not a role; use owner, manager, support or viewer.")
                             .arg(parser.value(role)));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto created = store->adminTokens().create(*chosen, parser.value(name));
    if (!created)
        return cli.fail(created.error());
    cli.out << created->secret << "\n";
    cli.out.flush();
    cli.err << "Admin token " << created->token.id << " (" << adminRoleToString(*chosen)
            << ") created. This is the only time it is shown: store it now.\n";
    return ExitOk;
}

int list(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List admin tokens (their prefixes and roles)."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto tokens = store->adminTokens().list();
    if (!tokens)
        return cli.fail(tokens.error());
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const AdminToken& t : *tokens)
            array.append(AdminJson::adminToken(t));
        cli.out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    for (const AdminToken& t : *tokens) {
        cli.out << QStringLiteral("%1").arg(t.id, 5) << "  "
                << QStringLiteral("%1").arg(t.tokenPrefix + QStringLiteral("..."), -16) << "  "
                << QStringLiteral("%1").arg(adminRoleToString(t.role), -8) << "  "
                << (t.revoked() ? QStringLiteral("revoked ") + t.revokedAt.toString(Qt::ISODate)
                                : QStringLiteral("active"))
                << (t.name.isEmpty() ? QString() : QStringLiteral("  ") + t.name) << "\n";
    }
    return ExitOk;
}

int revoke(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Revoke an admin token."));
    parser.addPositionalArgument(QStringLiteral("ID"),
                                 QStringLiteral("The token's id (see admin-token list)."));
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    bool ok = false;
    const qint64 id = parser.positionalArguments().value(0).toLongLong(&ok);
    if (parser.positionalArguments().size() != 1 || !ok)
        return cli.usage(parser, QStringLiteral("Use: keyward-cli admin-token revoke ID"));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    if (Status s = store->adminTokens().revoke(id); !s)
        return cli.fail(s.error());
    cli.err << "Admin token " << id << " revoked.\n";
    return ExitOk;
}

} // namespace

int AdminTokenCommand::run(CliContext& cli, const QStringList& args)
{
    const QString sub = args.size() > 1 ? args.at(1) : QString();
    const QStringList rest = QStringList{QStringLiteral("admin-token ") + sub} + args.mid(2);
    if (sub == QLatin1String("create"))
        return create(cli, rest);
    if (sub == QLatin1String("list"))
        return list(cli, rest);
    if (sub == QLatin1String("revoke"))
        return revoke(cli, rest);
    const QString help =
        QStringLiteral("Usage: keyward-cli [--db D] admin-token create --role ROLE [--name N] | list "
                       "[--json] | revoke ID\n");
    return cli.unknownSubcommand(QStringLiteral("admin-token"), sub, help);
}

} // namespace keyward::cli
