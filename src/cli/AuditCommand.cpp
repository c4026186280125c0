#include "AuditCommand.h"

#include "CliContext.h"
#include "DomainJson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace keyward::cli {

int AuditCommand::run(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show the audit log, newest first."));
    parser.addPositionalArgument(QStringLiteral("list"), QStringLiteral("The only command."));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("At most N entries (default 50)."),
                                   QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption key(
        QStringLiteral("key"), QStringLiteral("Only entries about this license key."), QStringLiteral("KEY"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOptions({limit, key, json});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments() != QStringList{QStringLiteral("list")})
        return cli.usage(parser,
                         QStringLiteral("Use: keyward-cli audit list [--limit N] [--key KEY] [--json]"));
    bool ok = false;
    const int max = parser.value(limit).toInt(&ok);
    if (!ok || max < 1)
        return cli.usage(parser, QStringLiteral("--limit needs a positive number."));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    AuditFilter filter;
    if (parser.isSet(key)) {
        auto found = store->keys().find(parser.value(key));
        if (!found)
            return cli.fail(found.error());
        filter.objectType = QStringLiteral("key");
        filter.objectId = QString::number(found->id);
    }
    auto entries = store->audit().list(filter, 0, max);
    if (!entries)
        return cli.fail(entries.error());
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const AuditEntry& e : *entries)
            array.append(DomainJson::audit(e));
        cli.out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    for (const AuditEntry& e : *entries) {
        cli.out << e.at.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) << "  "
                << QStringLiteral("%1").arg(e.actor, -16) << "  " << QStringLiteral("%1").arg(e.action, -16)
                << "  " << e.objectType << ' ' << e.objectId << "  "
                << QString::fromUtf8(QJsonDocument(e.detail).toJson(QJsonDocument::Compact)) << "\n";
    }
    return ExitOk;
}

} // namespace keyward::cli
