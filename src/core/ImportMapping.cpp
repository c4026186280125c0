#include "ImportMapping.h"

#include <utility>

namespace keyward {
namespace {

constexpr std::array<std::pair<ImportField, const char*>, kImportFieldCount> kNames = {{
    {ImportField::Key, "key"},
    {ImportField::CustomerName, "customer_name"},
    {ImportField::CustomerEmail, "customer_email"},
    {ImportField::ExpiresAt, "expires"},
    {ImportField::Notes, "notes"},
    {ImportField::Status, "status"},
    {ImportField::MaxDomains, "max_domains"},
    {ImportField::MaxUuids, "max_uuids"},
    {ImportField::Tokens, "tokens"},
    {ImportField::RevokeReason, "revoke_reason"},
    {ImportField::CreatedAt, "created_at"},
}};

// Header spellings seen in exports of other systems, after simplify() below.
const std::array<std::pair<ImportField, const char*>, 46> kVariants = {{
    {ImportField::Key, "key"},
    {ImportField::Key, "licensekey"},
    {ImportField::Key, "license"},
    {ImportField::Key, "licence"},
    {ImportField::Key, "licencekey"},
    {ImportField::Key, "serial"},
    {ImportField::Key, "serialnumber"},
    {ImportField::Key, "serialkey"},
    {ImportField::Key, "productkey"},
    {ImportField::Key, "code"},
    {ImportField::Key, "activationkey"},
    {ImportField::CustomerName, "customername"},
    {ImportField::CustomerName, "customer"},
    {ImportField::CustomerName, "name"},
    {ImportField::CustomerName, "fullname"},
    {ImportField::CustomerName, "owner"},
    {ImportField::CustomerName, "licensee"},
    {ImportField::CustomerEmail, "customeremail"},
    {ImportField::CustomerEmail, "email"},
    {ImportField::CustomerEmail, "emailaddress"},
    {ImportField::CustomerEmail, "mail"},
    {ImportField::ExpiresAt, "expires"},
    {ImportField::ExpiresAt, "expiresat"},
    {ImportField::ExpiresAt, "expiry"},
    {ImportField::ExpiresAt, "expirydate"},
    {ImportField::ExpiresAt, "expiration"},
    {ImportField::ExpiresAt, "expirationdate"},
    {ImportField::ExpiresAt, "validuntil"},
    {ImportField::Notes, "notes"},
    {ImportField::Notes, "note"},
    {ImportField::Notes, "comment"},
    {ImportField::Notes, "comments"},
    {ImportField::Status, "status"},
    {ImportField::Status, "state"},
    {ImportField::MaxDomains, "maxdomains"},
    {ImportField::MaxDomains, "domains"},
    {ImportField::MaxDomains, "domainlimit"},
    {ImportField::MaxUuids, "maxuuids"},
    {ImportField::MaxUuids, "maxdevices"},
    {ImportField::MaxUuids, "devices"},
    {ImportField::MaxUuids, "uuids"},
    {ImportField::Tokens, "tokens"},
    {ImportField::Tokens, "tokenbalance"},
    {ImportField::Tokens, "credits"},
    {ImportField::RevokeReason, "revokereason"},
    {ImportField::CreatedAt, "createdat"},
}};

// "E-Mail Address" -> "emailaddress": case, spaces, dashes and underscores do not matter.
QString simplify(const QString& header)
{
    QString out;
    for (QChar c : header) {
        if (c.isLetterOrNumber())
            out.append(c.toLower());
    }
    return out;
}

} // namespace

QString importFieldName(ImportField field)
{
    return QString::fromLatin1(kNames[size_t(field)].second);
}

std::optional<ImportField> importFieldFromName(const QString& name)
{
    const QString wanted = simplify(name);
    for (const auto& [field, text] : kVariants) {
        if (wanted == QLatin1String(text))
            return field;
    }
    return std::nullopt;
}

ImportMapping ImportMapping::guess(const QStringList& columns)
{
    ImportMapping mapping;
    for (qsizetype i = 0; i < columns.size(); ++i) {
        const auto field = importFieldFromName(columns.at(i));
        if (field && !mapping.isMapped(*field))
            mapping.set(*field, int(i));
    }
    return mapping;
}

Result<ImportMapping> ImportMapping::guess(const QStringList& columns, const QStringList& assignments)
{
    ImportMapping mapping = guess(columns);
    for (const QString& assignment : assignments) {
        if (Status s = mapping.apply(assignment, columns); !s)
            return s.error();
    }
    return mapping;
}

Status ImportMapping::apply(const QString& assignment, const QStringList& columns)
{
    const qsizetype eq = assignment.indexOf(QLatin1Char('='));
    if (eq <= 0)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("\"%1\" is not a mapping; write field=column, e.g. key=Serial.").arg(assignment));
    const QString fieldName = assignment.left(eq).trimmed();
    const QString columnName = assignment.mid(eq + 1).trimmed();
    const auto field = importFieldFromName(fieldName);
    if (!field)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("Unknown field \"%1\"; use key, customer_name, customer_email, expires, notes, "
                           "status, max_domains, max_uuids, tokens, revoke_reason or created_at.")
                .arg(fieldName));
    if (columnName.isEmpty() || columnName == QLatin1String("-")) {
        set(*field, -1);
        return {};
    }
    qsizetype index = columns.indexOf(columnName);
    if (index < 0) {
        for (qsizetype i = 0; i < columns.size(); ++i) {
            if (columns.at(i).compare(columnName, Qt::CaseInsensitive) == 0) {
                index = i;
                break;
            }
        }
    }
    bool numeric = false;
    const int number = columnName.toInt(&numeric);
    if (index < 0 && numeric && number >= 1 && number <= columns.size())
        index = number - 1;
    if (index < 0)
        return makeError(ErrorKind::Invalid, QStringLiteral("The file has no column \"%1\" (it has: %2).")
                                                 .arg(columnName, columns.join(QLatin1String(", "))));
    set(*field, int(index));
    return {};
}

} // namespace keyward
