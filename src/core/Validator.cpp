#include "Validator.h"

#include "Database.h"
#include "SqlValues.h"
#include "Validation.h"

namespace keyward {
namespace {

ValidationDecision decision(ValidationStatus status, const QString& message,
                            const std::optional<LicenseKey>& key = {})
{
    ValidationDecision d;
    d.status = status;
    d.message = message;
    d.key = key;
    return d;
}

} // namespace

QString validationStatusToString(ValidationStatus status)
{
    switch (status) {
    case ValidationStatus::Active:
        return QStringLiteral("active");
    case ValidationStatus::LicenseNotFound:
        return QStringLiteral("license_not_found");
    case ValidationStatus::InvalidFormat:
        return QStringLiteral("invalid_format");
    case ValidationStatus::Revoked:
        return QStringLiteral("revoked");
    case ValidationStatus::Suspended:
        return QStringLiteral("suspended");
    case ValidationStatus::Expired:
        return QStringLiteral("expired");
    case ValidationStatus::DomainMismatch:
        return QStringLiteral("domain_mismatch");
    case ValidationStatus::UuidMismatch:
        return QStringLiteral("uuid_mismatch");
    case ValidationStatus::IpBlocked:
        return QStringLiteral("ip_blocked");
    case ValidationStatus::ProductArchived:
        return QStringLiteral("product_archived");
    }
    return {};
}

std::optional<ValidationDecision> Validator::precheck(const Product& product, const KeyFormat& format,
                                                      const QString& licenseKey, QString& normalized)
{
    if (product.archived)
        return decision(ValidationStatus::ProductArchived,
                        QStringLiteral("This product is no longer available."));
    const KeyCheck check = format.check(licenseKey);
    if (!check.valid()) {
        // The reference service's wording, so existing integrations keep matching on it.
        ValidationDecision d =
            decision(ValidationStatus::InvalidFormat,
                     QStringLiteral("Invalid license key (CODE: %1)").arg(check.codeString()));
        d.code = check.codeString();
        return d;
    }
    normalized = check.normalized;
    return std::nullopt;
}

ValidationDecision Validator::decide(const std::optional<LicenseKey>& key, const ValidationRequest& request,
                                     const QDateTime& now, bool checkBindings)
{
    if (!key || key->inTrash())
        return decision(ValidationStatus::LicenseNotFound, QStringLiteral("No license key matches."));
    switch (key->effectiveStatus(now)) {
    case KeyStatus::Revoked:
        return decision(ValidationStatus::Revoked, QStringLiteral("This license key has been revoked."), key);
    case KeyStatus::Suspended:
        return decision(ValidationStatus::Suspended, QStringLiteral("This license key is suspended."), key);
    case KeyStatus::Expired:
        return decision(ValidationStatus::Expired, QStringLiteral("This license key has expired."), key);
    case KeyStatus::Active:
        break;
    }
    if (checkBindings) {
        // A key bound to domains (or devices) answers only for one of them, and the app must say which.
        if (!key->domains.isEmpty() && !key->domains.contains(validation::normalizeDomain(request.domain)))
            return decision(ValidationStatus::DomainMismatch,
                            request.domain.trimmed().isEmpty()
                                ? QStringLiteral("This license key is bound to a domain; send the domain.")
                                : QStringLiteral("This license key is not valid on this domain."),
                            key);
        if (!key->uuids.isEmpty() && !key->uuids.contains(validation::normalizeUuid(request.uuid)))
            return decision(
                ValidationStatus::UuidMismatch,
                request.uuid.trimmed().isEmpty()
                    ? QStringLiteral("This license key is bound to a device; send the device UUID.")
                    : QStringLiteral("This license key is bound to another device."),
                key);
    }
    return decision(ValidationStatus::Active, QString(), key);
}

ValidationDecision Validator::ipBlocked()
{
    return decision(
        ValidationStatus::IpBlocked,
        QStringLiteral("Your IP address is blocked because of repeated abuse. Open an unban request to "
                       "have it reviewed."));
}

namespace {

const char* const kLookupSql =
    "SELECT k.id, k.status, k.expires_at, k.max_domains, k.max_uuids, k.token_balance, "
    "k.deleted_at, a.kind, a.value FROM license_keys k LEFT JOIN activations a ON "
    "a.key_id = k.id WHERE k.license_key = ? AND k.product_id = ?";

std::optional<int> optionalInt(const SqliteStatement& row, int column)
{
    return row.isNull(column) ? std::nullopt : std::optional<int>(int(row.integer(column)));
}

QDateTime optionalTime(const SqliteStatement& row, int column)
{
    return row.isNull(column) ? QDateTime() : utcFromMSecs(row.integer(column));
}

} // namespace

LicenseLookup::LicenseLookup(Database& db)
    : m_db(db), m_key(db, QString::fromLatin1(kLookupSql)), m_direct(db, QByteArray(kLookupSql))
{}

Result<std::optional<LicenseKey>> LicenseLookup::findDirect(qint64 productId, const QString& normalizedKey)
{
    if (Status s = m_direct.prepare(); !s)
        return s.error();
    m_direct.bindText(1, normalizedKey);
    m_direct.bindInt(2, productId);
    auto row = m_direct.next();
    if (!row || !*row) {
        m_direct.reset();
        return row ? Result<std::optional<LicenseKey>>(std::optional<LicenseKey>()) : row.error();
    }
    LicenseKey k;
    k.id = m_direct.integer(0);
    k.productId = productId;
    k.key = normalizedKey;
    k.status = keyStatusFromString(m_direct.text(1)).value_or(KeyStatus::Active);
    k.expiresAt = optionalTime(m_direct, 2);
    k.maxDomains = optionalInt(m_direct, 3);
    k.maxUuids = optionalInt(m_direct, 4);
    k.tokenBalance = m_direct.isNull(5) ? std::nullopt : std::optional<qint64>(m_direct.integer(5));
    k.deletedAt = optionalTime(m_direct, 6);
    for (;;) {
        if (!m_direct.isNull(7))
            (m_direct.text(7) == QLatin1String("domain") ? k.domains : k.uuids) << m_direct.text(8);
        row = m_direct.next();
        if (!row) {
            m_direct.reset();
            return row.error();
        }
        if (!*row)
            break;
    }
    m_direct.reset();
    return std::optional<LicenseKey>(std::move(k));
}

Result<std::optional<LicenseKey>> LicenseLookup::find(qint64 productId, const QString& normalizedKey)
{
    if (SqliteStatement::available(m_db))
        return findDirect(productId, normalizedKey);
    auto q = m_key.run({normalizedKey, productId});
    if (!q)
        return q.error();
    QSqlQuery& row = **q;
    if (!row.next())
        return std::optional<LicenseKey>();
    // What a decision and the end user's answer need, nothing more (this runs for every request).
    LicenseKey k;
    k.id = row.value(0).toLongLong();
    k.productId = productId;
    k.key = normalizedKey;
    k.status = keyStatusFromString(row.value(1).toString()).value_or(KeyStatus::Active);
    k.expiresAt = sql::toTime(row.value(2));
    k.maxDomains = sql::toOptionalInt(row.value(3));
    k.maxUuids = sql::toOptionalInt(row.value(4));
    k.tokenBalance = sql::toOptionalInt64(row.value(5));
    k.deletedAt = sql::toTime(row.value(6));
    do {
        if (row.value(7).isNull())
            continue; // the key has no activations
        (row.value(7).toString() == QLatin1String("domain") ? k.domains : k.uuids) << row.value(8).toString();
    } while (row.next());
    row.finish();
    return std::optional<LicenseKey>(std::move(k));
}

} // namespace keyward
