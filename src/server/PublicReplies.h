#pragma once

#include "HttpMessage.h"
#include "LicenseKey.h"
#include "Product.h"
#include "Validator.h"

#include <QJsonObject>

namespace keyward::server {

// The answers of the public API, shaped once (see docs/openapi.yaml).
class PublicReplies
{
public:
    static HttpReply invalidApiKey();
    // 429 once the product's daily limit is reached: retry after midnight UTC.
    static HttpReply rateLimitExceeded(const QDateTime& now);
    // 429 while the IP is timed out.
    static HttpReply tooFast(qint64 retryAfterSeconds);
    static HttpReply invalidRequest(const QString& message);
    static HttpReply unavailable();
    static QJsonObject decision(const ValidationDecision& d, const Product& product, const QDateTime& now);
    static QJsonObject license(const LicenseKey& key, const Product& product, const QDateTime& now);
    // The same decision as bytes, written directly (the hot path).
    static HttpReply decisionReply(int status, const ValidationDecision& d, const Product& product,
                                   const QDateTime& now);

    static const char* tooFastMessage();
    static const char* rateLimitMessage();
};

} // namespace keyward::server
