#pragma once

#include "Activation.h"
#include "AdminTokenStore.h"
#include "ApiKeyStore.h"
#include "DailyQuota.h"
#include "IpStore.h"
#include "RequestLog.h"
#include "TicketStore.h"

#include <QJsonObject>

namespace keyward {

// The JSON shapes of the license server's objects (API keys, admin tokens, tickets, IP states,
// request log entries...), shared by the admin API and the CLI's --json output. DomainJson has
// the shapes of products, keys and audit entries.
class AdminJson
{
public:
    static QJsonObject apiKey(const ApiKey& key);
    static QJsonObject adminToken(const AdminToken& token);
    static QJsonObject activation(const Activation& activation);
    static QJsonObject ticket(const Ticket& ticket);
    static QJsonObject ticketNote(const TicketNote& note);
    static QJsonObject ipState(const IpState& state, bool whitelisted, const QDateTime& now);
    static QJsonObject ipEvent(const IpEventRecord& event);
    static QJsonObject whitelistEntry(const WhitelistEntry& entry);
    static QJsonObject requestLogEntry(const RequestLogEntry& entry);
    static QJsonObject usageDay(const UsageDay& day);
};

} // namespace keyward
