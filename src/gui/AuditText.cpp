#include "AuditText.h"

#include <QJsonArray>
#include <QLocale>

namespace keyward {
namespace {

QString valueText(const QJsonValue& v)
{
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("—");
    if (v.isDouble())
        return QLocale().toString(qint64(v.toDouble()));
    if (v.isBool())
        return v.toBool() ? AuditText::tr("yes") : AuditText::tr("no");
    const QString s = v.toString();
    return s.isEmpty() ? QStringLiteral("—") : s;
}

QString withNote(QString text, const QJsonObject& detail)
{
    const QString note = detail.value(QStringLiteral("note")).toString();
    if (!note.isEmpty())
        text += QStringLiteral(": ") + note;
    return text;
}

} // namespace

QString AuditText::fieldName(const QString& field)
{
    if (field == QLatin1String("status"))
        return tr("status");
    if (field == QLatin1String("customer_name"))
        return tr("customer name");
    if (field == QLatin1String("customer_email"))
        return tr("email");
    if (field == QLatin1String("notes"))
        return tr("notes");
    if (field == QLatin1String("expires_at"))
        return tr("expiry");
    if (field == QLatin1String("max_domains"))
        return tr("max. domains");
    if (field == QLatin1String("max_uuids"))
        return tr("max. devices");
    if (field == QLatin1String("tokens"))
        return tr("tokens");
    return field;
}

QString AuditText::describe(const AuditEntry& e)
{
    const QJsonObject& d = e.detail;
    const QString action = e.action;
    if (action == QLatin1String("key.create"))
        return tr("Created");
    if (action == QLatin1String("key.update") || action == QLatin1String("key.reinstate")) {
        QStringList parts;
        const QJsonObject changes = d.value(QStringLiteral("changes")).toObject();
        for (auto it = changes.begin(); it != changes.end(); ++it) {
            const QJsonObject c = it.value().toObject();
            parts << tr("%1: %2 → %3")
                         .arg(fieldName(it.key()), valueText(c.value(QStringLiteral("from"))),
                              valueText(c.value(QStringLiteral("to"))));
        }
        const QString head = action == QLatin1String("key.reinstate") ? tr("Reinstated") : tr("Changed");
        return parts.isEmpty() ? head : head + QStringLiteral(": ") + parts.join(QStringLiteral("; "));
    }
    if (action == QLatin1String("key.revoke"))
        return withNote(tr("Revoked (%1)").arg(d.value(QStringLiteral("reason")).toString()), d);
    // Trash, restore and purge are one entry for all the keys they touched (audit_keys).
    const int others = int(d.value(QStringLiteral("count")).toInteger(1) - 1);
    if (action == QLatin1String("key.trash"))
        return others > 0 ? tr("Moved to the trash with %Ln other key(s)", nullptr, others)
                          : tr("Moved to the trash");
    if (action == QLatin1String("key.restore"))
        return others > 0 ? tr("Restored from the trash with %Ln other key(s)", nullptr, others)
                          : tr("Restored from the trash");
    if (action == QLatin1String("key.purge"))
        return others > 0 ? tr("Deleted forever with %Ln other key(s)", nullptr, others)
                          : tr("Deleted forever");
    if (action == QLatin1String("key.activate") || action == QLatin1String("key.deactivate")) {
        const bool bind = action == QLatin1String("key.activate");
        if (d.contains(QStringLiteral("domain")))
            return (bind ? tr("Domain %1 bound") : tr("Domain %1 freed"))
                .arg(d.value(QStringLiteral("domain")).toString());
        return (bind ? tr("Device %1 bound") : tr("Device %1 freed"))
            .arg(d.value(QStringLiteral("uuid")).toString());
    }
    if (action == QLatin1String("key.topup"))
        return withNote(tr("Topped up %1 tokens (balance %2)")
                            .arg(valueText(d.value(QStringLiteral("delta"))),
                                 valueText(d.value(QStringLiteral("balance")))),
                        d);
    if (action == QLatin1String("key.consume"))
        return tr("Spent %1 tokens (balance %2)")
            .arg(valueText(QJsonValue(-d.value(QStringLiteral("delta")).toDouble())),
                 valueText(d.value(QStringLiteral("balance"))));
    if (action == QLatin1String("keys.generate"))
        return tr("Generated %1 keys").arg(valueText(d.value(QStringLiteral("count"))));
    if (action == QLatin1String("keys.import"))
        return tr("Imported keys");
    if (action == QLatin1String("product.create"))
        return tr("Product created");
    if (action == QLatin1String("product.update"))
        return tr("Product changed");
    return action;
}

} // namespace keyward
