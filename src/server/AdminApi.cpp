#include "AdminApi.h"

#include "CatalogAdmin.h"
#include "ConnectionGuard.h"
#include "DbExecutor.h"
#include "JobsAdmin.h"
#include "ReportsAdmin.h"
#include "ServerContext.h"
#include "Store.h"
#include "SupportAdmin.h"

#include <QJsonArray>
#include <QLoggingCategory>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

HttpReply listReply(const QJsonArray& items, qint64 total, qint64 offset, int limit)
{
    return HttpReply::json(200, {{QStringLiteral("items"), items},
                                 {QStringLiteral("total"), total},
                                 {QStringLiteral("offset"), offset},
                                 {QStringLiteral("limit"), limit}});
}

HttpReply deletedReply(const QString& id)
{
    return HttpReply::json(200, {{QStringLiteral("deleted"), true}, {QStringLiteral("id"), id}});
}

HttpReply AdminApi::errorReply(const Error& error)
{
    switch (error.kind) {
    case ErrorKind::None:
    case ErrorKind::Invalid:
        return HttpReply::error(400, QStringLiteral("invalid_request"), error.message, false);
    case ErrorKind::NotFound:
        return HttpReply::error(404, QStringLiteral("not_found"), error.message, false);
    case ErrorKind::Conflict:
    case ErrorKind::Cancelled:
        return HttpReply::error(409, QStringLiteral("conflict"), error.message, false);
    case ErrorKind::LimitReached:
        return HttpReply::error(409, QStringLiteral("limit_reached"), error.message, false);
    case ErrorKind::Locked:
    case ErrorKind::Unreachable:
    case ErrorKind::ReadOnly:
    case ErrorKind::AuthFailed:
        return HttpReply::error(503, QStringLiteral("unavailable"), error.message, false)
            .withHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5"));
    case ErrorKind::NotKeyward:
    case ErrorKind::TooNew:
    case ErrorKind::Io:
    case ErrorKind::Internal:
        break;
    }
    return HttpReply::error(500, QStringLiteral("internal"), error.message, false);
}

void AdminApi::addRoutes(RouteTable& routes)
{
    m_routes = &routes;
    add("GET", "/admin/v1/me", AdminPermission::Read, [](AdminRequest& r) {
        return HttpReply::json(200, {{QStringLiteral("id"), r.token.id},
                                     {QStringLiteral("name"), r.token.name},
                                     {QStringLiteral("role"), adminRoleToString(r.token.role)},
                                     {QStringLiteral("actor"), r.token.actor()}});
    });
    CatalogAdmin::addRoutes(*this);
    JobsAdmin::addRoutes(*this);
    SupportAdmin::addRoutes(*this);
    ReportsAdmin::addRoutes(*this);
}

void AdminApi::add(const char* method, const char* path, AdminPermission permission, AdminHandler handler)
{
    m_routes->add(
        QString::fromLatin1(method), QString::fromLatin1(path),
        [this, permission, handler = std::move(handler)](const HttpCall& call) {
            run(call, permission, handler);
        },
        permission);
}

void AdminApi::run(const HttpCall& call, AdminPermission permission, const AdminHandler& handler)
{
    const QString secret = call.request->bearerToken();
    if (secret.isEmpty()) {
        call.reply.send(
            HttpReply::error(401, QStringLiteral("unauthorized"),
                             QStringLiteral("Send an admin token: \"Authorization: Bearer kwadm_...\" "
                                            "(keyward-cli admin-token create)."),
                             false)
                .withHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer")));
        return;
    }
    ServerContext* ctx = &m_ctx;
    m_ctx.database->post([this, ctx, call, secret, permission, handler](Store& store) {
        auto token = store.adminTokens().authenticate(secret);
        if (!token) {
            call.reply.send(errorReply(token.error()));
            return;
        }
        if (!token->has_value()) {
            call.reply.send(
                HttpReply::error(401, QStringLiteral("unauthorized"),
                                 QStringLiteral("The admin token is unknown or revoked."), false)
                    .withHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer")));
            return;
        }
        const AdminToken& who = **token;
        if (!adminRoleAllows(who.role, permission)) {
            call.reply.send(
                HttpReply::error(403, QStringLiteral("forbidden"),
                                 QStringLiteral("The %1 role may not %2.")
                                     .arg(adminRoleToString(who.role), adminPermissionToString(permission)),
                                 false));
            return;
        }
        {
            // Last use is recorded at most once a minute per token: it is for people, not accounting.
            const qint64 now = ConnectionGuard::monotonicMs();
            QMutexLocker lock(&m_touchMutex);
            if (now - m_touched.value(who.id, -60'000) >= 60'000) {
                m_touched.insert(who.id, now);
                store.adminTokens().touch(who.id, ctx->now());
            }
        }
        store.setActor(who.actor());
        AdminRequest request(*ctx, store, who, *call.request, call.args);
        HttpReply reply = handler(request);
        store.setActor(QStringLiteral("system"));
        call.reply.send(std::move(reply));
    });
}

} // namespace keyward::server
