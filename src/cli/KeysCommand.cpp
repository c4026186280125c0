#include "KeysCommand.h"

#include "BulkTrash.h"
#include "CliContext.h"
#include "DateParsing.h"
#include "DomainJson.h"
#include "KeyFilterOptions.h"
#include "KeyListReader.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace keyward::cli {
namespace {

QString dateText(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("never");
}

QString limitText(const std::optional<int>& v)
{
    return v ? QString::number(*v) : QStringLiteral("unlimited");
}

int list(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List license keys, filtered and sorted."));
    KeyFilterOptions filterOptions;
    filterOptions.addTo(parser);
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("Show at most N keys (default 50)."), QStringLiteral("N"),
                                   QStringLiteral("50"));
    const QCommandLineOption offset(QStringLiteral("offset"), QStringLiteral("Skip the first N keys."),
                                    QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption sort(
        QStringLiteral("sort"),
        QStringLiteral("Sort by id, key, product, status, customer_name, customer_email, "
                       "created_at, updated_at, expires_at or tokens."),
        QStringLiteral("COLUMN"), QStringLiteral("id"));
    const QCommandLineOption descending(QStringLiteral("desc"), QStringLiteral("Sort descending."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOptions({limit, offset, sort, descending, json});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    bool okLimit = false;
    bool okOffset = false;
    const int limitValue = parser.value(limit).toInt(&okLimit);
    const qint64 offsetValue = parser.value(offset).toLongLong(&okOffset);
    if (!okLimit || limitValue < 1 || limitValue > 1000000 || !okOffset || offsetValue < 0)
        return cli.usage(parser, QStringLiteral("--limit needs 1 to 1,000,000 and --offset 0 or more."));
    const auto column = keyColumnFromName(parser.value(sort));
    if (!column)
        return cli.usage(parser, QStringLiteral("Cannot sort by \"%1\".").arg(parser.value(sort)));

    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto filter = filterOptions.read(parser, *store);
    if (!filter)
        return cli.fail(filter.error());
    auto keys = store->keys().page(
        *filter, {*column, parser.isSet(descending) ? Qt::DescendingOrder : Qt::AscendingOrder}, offsetValue,
        limitValue);
    if (!keys)
        return cli.fail(keys.error());
    auto total = store->keys().count(*filter);
    if (!total)
        return cli.fail(total.error());

    if (parser.isSet(json)) {
        QJsonArray array;
        for (const LicenseKey& k : *keys)
            array.append(DomainJson::key(k));
        cli.out << QJsonDocument(
                       QJsonObject{{QStringLiteral("total"), *total}, {QStringLiteral("keys"), array}})
                       .toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    const QDateTime now = store->now();
    for (const LicenseKey& k : *keys) {
        cli.out << QStringLiteral("%1  %2  %3  %4  %5\n")
                       .arg(k.key, -30)
                       .arg(k.productName, -16)
                       .arg(keyStatusToString(k.effectiveStatus(now)), -9)
                       .arg(dateText(k.expiresAt), -16)
                       .arg(k.customerEmail.isEmpty() ? k.customerName : k.customerEmail);
    }
    cli.err << keys->size() << " of " << *total << " keys shown.\n";
    return ExitOk;
}

int show(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show one license key with its activations."));
    parser.addPositionalArgument(QStringLiteral("KEY"), QStringLiteral("The license key."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return cli.usage(parser, QStringLiteral("keys show needs exactly one KEY."));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto key = store->keys().find(parser.positionalArguments().constFirst());
    if (!key)
        return cli.fail(key.error());
    if (parser.isSet(json)) {
        cli.out << QJsonDocument(DomainJson::key(*key)).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    const LicenseKey& k = *key;
    cli.out << "Key:            " << k.key << "\n"
            << "Product:        " << k.productName << "\n"
            << "Status:         " << keyStatusToString(k.effectiveStatus(store->now()))
            << (k.revokeReason != RevokeReason::None
                    ? QStringLiteral(" (%1)").arg(revokeReasonToString(k.revokeReason))
                    : QString())
            << (k.inTrash() ? QStringLiteral(", in trash since %1").arg(dateText(k.deletedAt)) : QString())
            << "\n"
            << "Customer:       " << k.customerName
            << (k.customerEmail.isEmpty() ? QString() : QStringLiteral(" <%1>").arg(k.customerEmail)) << "\n"
            << "Created:        " << dateText(k.createdAt) << " UTC\n"
            << "Updated:        " << dateText(k.updatedAt) << " UTC\n"
            << "Expires:        " << dateText(k.expiresAt) << (k.expiresAt.isValid() ? " UTC" : "") << "\n"
            << "Domains:        " << k.domains.size() << " of " << limitText(k.maxDomains)
            << (k.domains.isEmpty() ? QString() : QStringLiteral(": ") + k.domains.join(QLatin1String(", ")))
            << "\n"
            << "Devices:        " << k.uuids.size() << " of " << limitText(k.maxUuids)
            << (k.uuids.isEmpty() ? QString() : QStringLiteral(": ") + k.uuids.join(QLatin1String(", ")))
            << "\n"
            << "Tokens:         "
            << (k.tokenBalance ? QString::number(*k.tokenBalance) : QStringLiteral("not a token key"))
            << "\n";
    if (!k.notes.isEmpty())
        cli.out << "Notes:          " << k.notes << "\n";
    return ExitOk;
}

int edit(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Change the customer, notes, status, expiry or limits of a key."));
    parser.addPositionalArgument(QStringLiteral("KEY"), QStringLiteral("The license key."));
    const QCommandLineOption name(QStringLiteral("customer-name"), QStringLiteral("Customer name."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption email(QStringLiteral("customer-email"), QStringLiteral("Customer email."),
                                   QStringLiteral("EMAIL"));
    const QCommandLineOption notes(QStringLiteral("notes"), QStringLiteral("Notes (replaces them)."),
                                   QStringLiteral("TEXT"));
    const QCommandLineOption status(QStringLiteral("status"), QStringLiteral("active, suspended or expired."),
                                    QStringLiteral("S"));
    const QCommandLineOption expires(QStringLiteral("expires"),
                                     QStringLiteral("YYYY-MM-DD (end of that day, UTC) or never."),
                                     QStringLiteral("DATE"));
    const QCommandLineOption maxDomains(
        QStringLiteral("max-domains"), QStringLiteral("Maximum domains (0: no limit)."), QStringLiteral("N"));
    const QCommandLineOption maxUuids(QStringLiteral("max-uuids"),
                                      QStringLiteral("Maximum devices (0: no limit)."), QStringLiteral("N"));
    parser.addOptions({name, email, notes, status, expires, maxDomains, maxUuids});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return cli.usage(parser, QStringLiteral("keys edit needs exactly one KEY."));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto key = store->keys().find(parser.positionalArguments().constFirst());
    if (!key)
        return cli.fail(key.error());
    LicenseKey k = *key;
    if (parser.isSet(name))
        k.customerName = parser.value(name);
    if (parser.isSet(email))
        k.customerEmail = parser.value(email);
    if (parser.isSet(notes))
        k.notes = parser.value(notes);
    if (parser.isSet(status)) {
        const auto s = keyStatusFromString(parser.value(status));
        if (!s || *s == KeyStatus::Revoked)
            return cli.usage(
                parser,
                QStringLiteral("--status needs active, suspended or expired (revoke with \"keys revoke\")."));
        k.status = *s;
    }
    if (parser.isSet(expires)) {
        if (parser.value(expires) == QLatin1String("never")) {
            k.expiresAt = QDateTime();
        } else {
            const auto at = parseIsoDateTime(parser.value(expires));
            if (!at)
                return cli.usage(parser, QStringLiteral("--expires needs YYYY-MM-DD or never."));
            k.expiresAt = *at;
        }
    }
    for (const auto& [option, field] :
         {std::pair{&maxDomains, &k.maxDomains}, std::pair{&maxUuids, &k.maxUuids}}) {
        if (!parser.isSet(*option))
            continue;
        bool ok = false;
        const int n = parser.value(*option).toInt(&ok);
        if (!ok || n < 0)
            return cli.usage(
                parser,
                QStringLiteral("--%1 needs a number, 0 for no limit.").arg(option->names().constFirst()));
        *field = n > 0 ? std::optional<int>(n) : std::nullopt;
    }
    if (Status st = store->keys().update(k); !st)
        return cli.fail(st.error());
    cli.out << "Saved " << k.key << ".\n";
    return ExitOk;
}

int activation(CliContext& cli, const QStringList& args, bool bind)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        bind ? QStringLiteral("Bind a domain or device UUID to a key, within its maximum.")
             : QStringLiteral("Free a domain or device UUID bound to a key."));
    parser.addPositionalArgument(QStringLiteral("KEY"), QStringLiteral("The license key."));
    const QCommandLineOption domain(QStringLiteral("domain"), QStringLiteral("A domain name."),
                                    QStringLiteral("DOMAIN"));
    const QCommandLineOption uuid(QStringLiteral("uuid"), QStringLiteral("A device UUID."),
                                  QStringLiteral("UUID"));
    parser.addOptions({domain, uuid});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1 || parser.isSet(domain) == parser.isSet(uuid))
        return cli.usage(parser, QStringLiteral("Give one KEY and either --domain or --uuid."));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto key = store->keys().find(parser.positionalArguments().constFirst());
    if (!key)
        return cli.fail(key.error());
    const ActivationKind kind = parser.isSet(domain) ? ActivationKind::Domain : ActivationKind::Uuid;
    const QString value = parser.value(parser.isSet(domain) ? domain : uuid);
    if (bind) {
        auto a = store->keys().activate(key->id, kind, value);
        if (!a)
            return cli.fail(a.error());
        cli.out << "Bound " << a->value << " to " << key->key << ".\n";
    } else {
        if (Status st = store->keys().deactivate(key->id, kind, value); !st)
            return cli.fail(st.error());
        cli.out << "Freed " << value << " from " << key->key << ".\n";
    }
    return ExitOk;
}

int revoke(CliContext& cli, const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Revoke a license key (for a refund, a chargeback, abuse...)."));
    parser.addPositionalArgument(QStringLiteral("KEY"), QStringLiteral("The license key."));
    const QCommandLineOption reason(QStringLiteral("reason"),
                                    QStringLiteral("refund, chargeback, abuse or other."),
                                    QStringLiteral("REASON"));
    const QCommandLineOption note(QStringLiteral("note"), QStringLiteral("A note for the audit log."),
                                  QStringLiteral("TEXT"));
    parser.addOptions({reason, note});
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return cli.usage(parser, QStringLiteral("keys revoke needs exactly one KEY."));
    if (!parser.isSet(reason))
        return cli.usage(parser, QStringLiteral("keys revoke needs --reason refund|chargeback|abuse|other."));
    const auto parsedReason = revokeReasonFromString(parser.value(reason));
    if (!parsedReason)
        return cli.usage(parser,
                         QStringLiteral("Unknown reason \"%1\"; use refund, chargeback, abuse or other.")
                             .arg(parser.value(reason)));
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;
    auto key = store->keys().find(parser.positionalArguments().constFirst());
    if (!key)
        return cli.fail(key.error());
    if (Status s = store->keys().revoke(key->id, *parsedReason, parser.value(note)); !s)
        return cli.fail(s.error());
    cli.out << "Revoked " << key->key << " (" << revokeReasonToString(*parsedReason) << ").\n";
    return ExitOk;
}

enum class TrashAction
{
    Delete,
    Restore,
    Purge
};

// The bulk-delete job the app's wizard runs: progress, Ctrl+C, one audit entry, and the indexes
// rebuilt instead of changed key by key when most keys go.
Result<qint64> moveToTrash(CliContext& cli, Store& store, const BulkTrashTarget& target)
{
    BulkTrashRequest request;
    request.target = target;
    auto done = BulkTrash::run(store, request, cli.progress(QStringLiteral("Moving to the trash")));
    cli.endProgress();
    if (!done)
        return done.error();
    return done->trashed;
}

int trash(CliContext& cli, const QStringList& args, TrashAction action)
{
    QCommandLineParser parser;
    const char* description[] = {
        "Move license keys to the trash (restore them with \"keys restore\"). Give the "
        "keys, --from-file FILE, or --filter with filter options.",
        "Bring license keys back from the trash.", "Delete keys in the trash for good."};
    parser.setApplicationDescription(QString::fromLatin1(description[int(action)]));
    parser.addPositionalArgument(QStringLiteral("KEY..."), QStringLiteral("The license keys."));
    const QCommandLineOption fromFile(
        QStringLiteral("from-file"),
        QStringLiteral("Take the keys from a file: a key column of a CSV/JSON file, or "
                       "one key per line."),
        QStringLiteral("FILE"));
    const QCommandLineOption byFilter(
        QStringLiteral("filter"), QStringLiteral("Delete every live key matching the filter options below."));
    KeyFilterOptions filterOptions;
    parser.addOption(fromFile);
    if (action == TrashAction::Delete) {
        parser.addOption(byFilter);
        filterOptions.addTo(parser);
    }
    int code = 0;
    if (!cli.parse(parser, args, code))
        return code;
    QStringList keys = parser.positionalArguments();
    const bool filtered = action == TrashAction::Delete && parser.isSet(byFilter);
    const int sources = int(!keys.isEmpty()) + int(parser.isSet(fromFile)) + int(filtered);
    if (sources != 1)
        return cli.usage(
            parser, QStringLiteral("Give the keys, --from-file FILE or --filter (exactly one of them)."));
    if (filtered && !filterOptions.anySet(parser))
        return cli.usage(parser,
                         QStringLiteral("--filter needs at least one filter option, e.g. --product NAME."));
    if (parser.isSet(fromFile)) {
        auto listed = KeyListReader::fromFile(parser.value(fromFile));
        if (!listed)
            return cli.fail(listed.error());
        keys = *listed;
        if (keys.isEmpty())
            return cli.fail(ExitUsage, QStringLiteral("%1 lists no keys.").arg(parser.value(fromFile)));
    }
    Store* store = cli.store();
    if (!store)
        return ExitDatabase;

    Result<qint64> changed = qint64(0);
    qint64 asked = 0;
    if (filtered) {
        auto filter = filterOptions.read(parser, *store);
        if (!filter)
            return cli.fail(filter.error());
        changed = moveToTrash(cli, *store, BulkTrashTarget::ofFilter(*filter));
        asked = changed ? *changed : 0;
    } else {
        auto ids = store->keys().resolve(keys);
        if (!ids)
            return cli.fail(ids.error());
        asked = qint64(ids->size());
        changed = action == TrashAction::Delete    ? moveToTrash(cli, *store, BulkTrashTarget::ofIds(*ids))
                  : action == TrashAction::Restore ? store->keys().restore(*ids)
                                                   : store->keys().purge(*ids);
    }
    if (!changed)
        return cli.fail(changed.error());
    const char* verb[] = {"Moved %1 key(s) to the trash.", "Restored %1 key(s) from the trash.",
                          "Purged %1 key(s) from the trash."};
    cli.out << QString::fromLatin1(verb[int(action)]).arg(*changed) << "\n";
    if (*changed < asked)
        cli.err << (asked - *changed) << " key(s) were skipped: "
                << (action == TrashAction::Delete ? "already in the trash." : "not in the trash.") << "\n";
    return ExitOk;
}

} // namespace

int KeysCommand::run(CliContext& cli, const QStringList& args)
{
    const QString sub = args.size() > 1 ? args.at(1) : QString();
    const QStringList rest = QStringList{QStringLiteral("keys ") + sub} + args.mid(2);
    if (sub == QLatin1String("list"))
        return list(cli, rest);
    if (sub == QLatin1String("show"))
        return show(cli, rest);
    if (sub == QLatin1String("edit"))
        return edit(cli, rest);
    if (sub == QLatin1String("activate"))
        return activation(cli, rest, true);
    if (sub == QLatin1String("deactivate"))
        return activation(cli, rest, false);
    if (sub == QLatin1String("revoke"))
        return revoke(cli, rest);
    if (sub == QLatin1String("delete"))
        return trash(cli, rest, TrashAction::Delete);
    if (sub == QLatin1String("restore"))
        return trash(cli, rest, TrashAction::Restore);
    if (sub == QLatin1String("purge"))
        return trash(cli, rest, TrashAction::Purge);
    const QString help = QStringLiteral("Usage: keyward-cli [--db D] keys "
                                        "list|show|edit|activate|deactivate|revoke|delete|restore|purge ...\n"
                                        "Run \"keyward-cli keys list --help\" for a command's options.\n");
    return cli.unknownSubcommand(QStringLiteral("keys"), sub, help);
}

} // namespace keyward::cli
