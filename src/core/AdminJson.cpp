#include "AdminJson.h"

#include "DomainJson.h"

namespace keyward {
namespace {

QJsonValue optional(const std::optional<qint64>& v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject AdminJson::apiKey(const ApiKey& k)
{
    return {{QStringLiteral("id"), k.id},
            {QStringLiteral("product_id"), k.productId},
            {QStringLiteral("product"), k.productName},
            {QStringLiteral("name"), k.name},
            {QStringLiteral("prefix"), k.tokenPrefix},
            {QStringLiteral("created_at"), DomainJson::time(k.createdAt)},
            {QStringLiteral("last_used_at"), DomainJson::time(k.lastUsedAt)},
            {QStringLiteral("revoked_at"), DomainJson::time(k.revokedAt)},
            {QStringLiteral("revoked"), k.revoked()}};
}

QJsonObject AdminJson::adminToken(const AdminToken& t)
{
    return {{QStringLiteral("id"), t.id},
            {QStringLiteral("name"), t.name},
            {QStringLiteral("role"), adminRoleToString(t.role)},
            {QStringLiteral("prefix"), t.tokenPrefix},
            {QStringLiteral("created_at"), DomainJson::time(t.createdAt)},
            {QStringLiteral("last_used_at"), DomainJson::time(t.lastUsedAt)},
            {QStringLiteral("revoked_at"), DomainJson::time(t.revokedAt)},
            {QStringLiteral("revoked"), t.revoked()}};
}

QJsonObject AdminJson::activation(const Activation& a)
{
    return {{QStringLiteral("id"), a.id},
            {QStringLiteral("key_id"), a.keyId},
            {QStringLiteral("kind"), activationKindToString(a.kind)},
            {QStringLiteral("value"), a.value},
            {QStringLiteral("first_seen_at"), DomainJson::time(a.firstSeenAt)},
            {QStringLiteral("last_seen_at"), DomainJson::time(a.lastSeenAt)},
            {QStringLiteral("last_ip"), a.lastIp}};
}

QJsonObject AdminJson::ticket(const Ticket& t)
{
    return {{QStringLiteral("id"), t.id},
            {QStringLiteral("product_id"), optional(t.productId)},
            {QStringLiteral("license_key"), t.licenseKey},
            {QStringLiteral("ip"), t.ip},
            {QStringLiteral("details"), t.details},
            {QStringLiteral("requester"), t.requester},
            {QStringLiteral("status"), ticketStatusToString(t.status)},
            {QStringLiteral("identity_proof"), t.identityProof},
            {QStringLiteral("malicious_findings"), t.maliciousFindings},
            {QStringLiteral("resolution"), t.resolution},
            {QStringLiteral("created_at"), DomainJson::time(t.createdAt)},
            {QStringLiteral("updated_at"), DomainJson::time(t.updatedAt)},
            {QStringLiteral("closed_at"), DomainJson::time(t.closedAt)}};
}

QJsonObject AdminJson::ticketNote(const TicketNote& n)
{
    return {{QStringLiteral("id"), n.id},
            {QStringLiteral("ticket_id"), n.ticketId},
            {QStringLiteral("at"), DomainJson::time(n.at)},
            {QStringLiteral("author"), n.author},
            {QStringLiteral("body"), n.body}};
}

QJsonObject AdminJson::ipState(const IpState& s, bool whitelisted, const QDateTime& now)
{
    return {{QStringLiteral("ip"), s.ip},
            {QStringLiteral("strikes"), s.strikes},
            {QStringLiteral("timeouts"), s.timeouts},
            {QStringLiteral("timed_out"), s.timedOut(now)},
            {QStringLiteral("timeout_until"), DomainJson::time(s.timeoutUntil)},
            {QStringLiteral("blacklisted"), s.blacklisted},
            {QStringLiteral("blacklisted_at"), DomainJson::time(s.blacklistedAt)},
            {QStringLiteral("whitelisted"), whitelisted},
            {QStringLiteral("reason"), s.reason},
            {QStringLiteral("last_key_hint"), s.lastKeyHint},
            {QStringLiteral("restores"), s.restores},
            {QStringLiteral("first_seen_at"), DomainJson::time(s.firstSeenAt)},
            {QStringLiteral("last_seen_at"), DomainJson::time(s.lastSeenAt)},
            {QStringLiteral("lifted_at"), DomainJson::time(s.liftedAt)}};
}

QJsonObject AdminJson::ipEvent(const IpEventRecord& e)
{
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("ip"), e.ip},
            {QStringLiteral("at"), DomainJson::time(e.at)},
            {QStringLiteral("kind"), e.kind},
            {QStringLiteral("detail"), e.detail}};
}

QJsonObject AdminJson::whitelistEntry(const WhitelistEntry& w)
{
    return {{QStringLiteral("id"), w.id},
            {QStringLiteral("cidr"), w.cidr},
            {QStringLiteral("note"), w.note},
            {QStringLiteral("created_at"), DomainJson::time(w.createdAt)}};
}

QJsonObject AdminJson::requestLogEntry(const RequestLogEntry& e)
{
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("at"), DomainJson::time(e.at)},
            {QStringLiteral("product_id"), optional(e.productId)},
            {QStringLiteral("key_id"), optional(e.keyId)},
            {QStringLiteral("key_hint"), e.keyHint},
            {QStringLiteral("ip"), e.ip},
            {QStringLiteral("endpoint"), e.endpoint},
            {QStringLiteral("outcome"), e.outcome},
            {QStringLiteral("http_status"), e.httpStatus}};
}

QJsonObject AdminJson::usageDay(const UsageDay& d)
{
    return {{QStringLiteral("product_id"), d.productId},
            {QStringLiteral("day"), d.day},
            {QStringLiteral("count"), d.count}};
}

} // namespace keyward
