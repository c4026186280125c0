#pragma once

#include "Activation.h"
#include "RouteTable.h"
#include "ServerCaches.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace keyward::server {

// The public endpoints that count toward the daily limit.
enum class PublicEndpoint
{
    Validate,
    Activate,
    Deactivate,
    Consume,
    License
};

QString publicEndpointName(PublicEndpoint endpoint);

// A public request that passed the checks an HTTP thread can make in memory (IP timeouts, the API
// key cache, the shape of the body) and now needs the database: the daily count, the key.
struct ValidationJob
{
    PublicEndpoint endpoint = PublicEndpoint::Validate;
    ReplySink reply;
    std::optional<ApiKeyCache::Entry> apiKey; // nullopt: look tokenHash up in the database
    QString tokenHash;
    QString ip;
    bool ipBlocked = false;
    QString licenseKey;
    QString uuid;
    QString domain;
    std::optional<ActivationKind> activationKind; // activate, deactivate
    QString activationValue;
    qint64 amount = 0;  // consume
    QString badRequest; // a problem with the body: answered 400 after counting
    QDateTime receivedAt;
};

} // namespace keyward::server
