#pragma once

#include "RouteTable.h"
#include "ValidationJob.h"

#include <QHash>
#include <QMutex>

namespace keyward::server {

struct ServerContext;

// The public API under /api/v1 (DESIGN, "Public validation API"). Everything that can be decided
// in memory is decided here, in the HTTP thread: IP timeouts, the API key, the shape of the body.
// What needs the database goes to the ValidationPipeline (or, for unban requests, DbExecutor).
class PublicApi
{
public:
    explicit PublicApi(ServerContext& context) : m_ctx(context) {}

    void addRoutes(RouteTable& routes);

private:
    void handle(PublicEndpoint endpoint, const HttpCall& call);
    void unbanRequest(const HttpCall& call);
    // Reads the JSON body into the job; returns the first problem ("" when none).
    QString readBody(PublicEndpoint endpoint, const HttpRequestInfo& request, ValidationJob& job) const;
    // Answers in this thread and logs the request (not counted toward the daily limit).
    void answerHere(const HttpCall& call, PublicEndpoint endpoint, const QString& outcome, HttpReply reply,
                    const QString& licenseKey = {});
    bool unbanThrottled(const QString& ip, const QDateTime& now, qint64& retryAfter);

    ServerContext& m_ctx;
    QMutex m_unbanMutex;
    QHash<QString, std::pair<qint64, int>> m_unbanWindows; // ip -> (window start ms, requests)
};

} // namespace keyward::server
