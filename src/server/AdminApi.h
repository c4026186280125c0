#pragma once

#include "AdminRequest.h"
#include "AdminRole.h"
#include "RouteTable.h"

#include <QHash>
#include <QMutex>

#include <functional>

namespace keyward::server {

struct ServerContext;

using AdminHandler = std::function<HttpReply(AdminRequest&)>;

// The admin API under /admin/v1 (DESIGN, "Admin API"). Deny by default: every route names the
// permission it needs; a request without a valid admin token gets 401, a role without the
// permission 403. Handlers run on the DbExecutor thread with the token's name as the audit actor.
class AdminApi
{
public:
    explicit AdminApi(ServerContext& context) : m_ctx(context) {}

    void addRoutes(RouteTable& routes);
    // What a core error means over HTTP.
    static HttpReply errorReply(const Error& error);

    // For the route groups (CatalogAdmin, SupportAdmin, ...).
    void add(const char* method, const char* path, AdminPermission permission, AdminHandler handler);

private:
    void run(const HttpCall& call, AdminPermission permission, const AdminHandler& handler);

    ServerContext& m_ctx;
    RouteTable* m_routes = nullptr;
    QMutex m_touchMutex;
    QHash<qint64, qint64> m_touched; // token id -> last recorded use (ms)
};

// Shared helpers of the admin route groups.
HttpReply listReply(const QJsonArray& items, qint64 total, qint64 offset, int limit);
HttpReply deletedReply(const QString& id);

} // namespace keyward::server
