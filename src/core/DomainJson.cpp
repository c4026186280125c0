#include "DomainJson.h"

#include <QJsonArray>

namespace keyward {
namespace {

template<typename T>
QJsonValue optional(const std::optional<T>& v)
{
    return v ? QJsonValue(qint64(*v)) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonValue DomainJson::time(const QDateTime& t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

QJsonObject DomainJson::product(const Product& p, qint64 liveKeys)
{
    QJsonObject o{{QStringLiteral("id"), p.id},
                  {QStringLiteral("name"), p.name},
                  {QStringLiteral("key_pattern"), p.keyPattern},
                  {QStringLiteral("key_prefix"), p.keyPrefix},
                  {QStringLiteral("alphabet"), p.alphabet},
                  {QStringLiteral("check_symbol"), p.checkSymbol},
                  {QStringLiteral("weak_format_allowed"), p.weakFormatAllowed},
                  {QStringLiteral("default_expiry_days"), optional(p.defaultExpiryDays)},
                  {QStringLiteral("default_max_domains"), optional(p.defaultMaxDomains)},
                  {QStringLiteral("default_max_uuids"), optional(p.defaultMaxUuids)},
                  {QStringLiteral("token_keys"), p.tokenKeys},
                  {QStringLiteral("default_tokens"), p.defaultTokens},
                  {QStringLiteral("plan"), planToString(p.plan)},
                  {QStringLiteral("daily_limit_override"), optional(p.dailyLimitOverride)},
                  {QStringLiteral("daily_limit"), optional(p.dailyLimit())},
                  {QStringLiteral("max_keys"), optional(p.maxKeys)},
                  {QStringLiteral("archived"), p.archived},
                  {QStringLiteral("created_at"), time(p.createdAt)},
                  {QStringLiteral("updated_at"), time(p.updatedAt)}};
    if (auto format = p.format())
        o.insert(QStringLiteral("entropy_bits"), format->entropyBits());
    if (liveKeys >= 0)
        o.insert(QStringLiteral("keys"), liveKeys);
    return o;
}

QJsonObject DomainJson::key(const LicenseKey& k)
{
    return {{QStringLiteral("id"), k.id},
            {QStringLiteral("key"), k.key},
            {QStringLiteral("product_id"), k.productId},
            {QStringLiteral("product"), k.productName},
            {QStringLiteral("status"), keyStatusToString(k.status)},
            {QStringLiteral("effective_status"),
             keyStatusToString(k.effectiveStatus(QDateTime::currentDateTimeUtc()))},
            {QStringLiteral("customer_name"), k.customerName},
            {QStringLiteral("customer_email"), k.customerEmail},
            {QStringLiteral("notes"), k.notes},
            {QStringLiteral("created_at"), time(k.createdAt)},
            {QStringLiteral("updated_at"), time(k.updatedAt)},
            {QStringLiteral("expires_at"), time(k.expiresAt)},
            {QStringLiteral("max_domains"), optional(k.maxDomains)},
            {QStringLiteral("max_uuids"), optional(k.maxUuids)},
            {QStringLiteral("tokens"), optional(k.tokenBalance)},
            {QStringLiteral("revoke_reason"), k.revokeReason == RevokeReason::None
                                                  ? QJsonValue(QJsonValue::Null)
                                                  : QJsonValue(revokeReasonToString(k.revokeReason))},
            {QStringLiteral("revoked_at"), time(k.revokedAt)},
            {QStringLiteral("deleted_at"), time(k.deletedAt)},
            {QStringLiteral("domains"), QJsonArray::fromStringList(k.domains)},
            {QStringLiteral("uuids"), QJsonArray::fromStringList(k.uuids)}};
}

QJsonObject DomainJson::audit(const AuditEntry& e)
{
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("at"), time(e.at)},
            {QStringLiteral("actor"), e.actor},
            {QStringLiteral("action"), e.action},
            {QStringLiteral("object_type"), e.objectType},
            {QStringLiteral("object_id"), e.objectId},
            {QStringLiteral("detail"), e.detail}};
}

} // namespace keyward
