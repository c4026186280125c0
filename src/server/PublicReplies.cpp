#include "PublicReplies.h"

#include "DailyQuota.h"
#include "DomainJson.h"
#include "JsonWriter.h"

#include <QJsonArray>

namespace keyward::server {

const char* PublicReplies::tooFastMessage()
{
    return "You're sending keys too fast. Please try again later.";
}

const char* PublicReplies::rateLimitMessage()
{
    return "This license provider or organization owner has reached the daily API request limit for their "
           "current "
           "plan. Please ask them to upgrade to a paid plan for higher limits, or try again after midnight "
           "UTC.";
}

HttpReply PublicReplies::invalidApiKey()
{
    return HttpReply::json(401, {{QStringLiteral("valid"), false},
                                 {QStringLiteral("status"), QStringLiteral("invalid_api_key")}});
}

HttpReply PublicReplies::rateLimitExceeded(const QDateTime& now)
{
    const qint64 retry = DailyQuota::secondsUntilReset(now);
    HttpReply r = HttpReply::json(429, {{QStringLiteral("valid"), false},
                                        {QStringLiteral("status"), QStringLiteral("rate_limit_exceeded")},
                                        {QStringLiteral("message"), QString::fromLatin1(rateLimitMessage())},
                                        {QStringLiteral("retry_after"), retry}});
    r.withHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(retry));
    return r;
}

HttpReply PublicReplies::tooFast(qint64 retryAfterSeconds)
{
    HttpReply r = HttpReply::json(429, {{QStringLiteral("valid"), false},
                                        {QStringLiteral("status"), QStringLiteral("too_fast")},
                                        {QStringLiteral("message"), QString::fromUtf8(tooFastMessage())},
                                        {QStringLiteral("retry_after"), retryAfterSeconds}});
    r.withHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfterSeconds));
    return r;
}

HttpReply PublicReplies::invalidRequest(const QString& message)
{
    return HttpReply::error(400, QStringLiteral("invalid_request"), message, true);
}

HttpReply PublicReplies::unavailable()
{
    HttpReply r =
        HttpReply::error(503, QStringLiteral("unavailable"),
                         QStringLiteral("The license server cannot reach its database right now; try again "
                                        "shortly."),
                         true);
    r.withHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5"));
    return r;
}

QJsonObject PublicReplies::license(const LicenseKey& key, const Product& product, const QDateTime& now)
{
    auto optional = [](const auto& v) { return v ? QJsonValue(qint64(*v)) : QJsonValue(QJsonValue::Null); };
    return {{QStringLiteral("key"), key.key},
            {QStringLiteral("product"), product.name},
            {QStringLiteral("status"), keyStatusToString(key.effectiveStatus(now))},
            {QStringLiteral("expires_at"), DomainJson::time(key.expiresAt)},
            {QStringLiteral("max_domains"), optional(key.maxDomains)},
            {QStringLiteral("max_uuids"), optional(key.maxUuids)},
            {QStringLiteral("domains"), QJsonArray::fromStringList(key.domains)},
            {QStringLiteral("uuids"), QJsonArray::fromStringList(key.uuids)},
            {QStringLiteral("tokens"), optional(key.tokenBalance)}};
}

QJsonObject PublicReplies::decision(const ValidationDecision& d, const Product& product, const QDateTime& now)
{
    QJsonObject o{{QStringLiteral("valid"), d.valid()},
                  {QStringLiteral("status"), validationStatusToString(d.status)}};
    if (!d.message.isEmpty())
        o.insert(QStringLiteral("message"), d.message);
    if (!d.code.isEmpty())
        o.insert(QStringLiteral("code"), d.code);
    if (d.key)
        o.insert(QStringLiteral("license"), license(*d.key, product, now));
    return o;
}

HttpReply PublicReplies::decisionReply(int status, const ValidationDecision& d, const Product& product,
                                       const QDateTime& now)
{
    // Keys in the order QJsonDocument would write them (sorted), so both paths answer the same bytes.
    JsonWriter w;
    w.begin();
    if (!d.code.isEmpty())
        w.value("code", d.code);
    if (d.key) {
        const LicenseKey& k = *d.key;
        auto optional = [&w](const char* name, const auto& v) {
            if (v)
                w.value(name, qint64(*v));
            else
                w.null(name);
        };
        w.begin("license");
        w.list("domains", k.domains);
        if (k.expiresAt.isValid())
            w.value("expires_at", k.expiresAt.toUTC().toString(Qt::ISODate));
        else
            w.null("expires_at");
        w.value("key", k.key);
        optional("max_domains", k.maxDomains);
        optional("max_uuids", k.maxUuids);
        w.value("product", product.name);
        w.value("status", keyStatusToString(k.effectiveStatus(now)));
        optional("tokens", k.tokenBalance);
        w.list("uuids", k.uuids);
        w.end();
    }
    if (!d.message.isEmpty())
        w.value("message", d.message);
    w.value("status", validationStatusToString(d.status));
    w.value("valid", d.valid());
    w.end();
    HttpReply r;
    r.status = status;
    r.body = w.bytes();
    return r;
}

} // namespace keyward::server
