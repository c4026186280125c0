#include "ReportsAdmin.h"

#include "AdminApi.h"
#include "AdminJson.h"
#include "DomainJson.h"
#include "ServerContext.h"
#include "Store.h"

#include <QJsonArray>

namespace keyward::server {
namespace {

using P = AdminPermission;

QString dayParameter(AdminRequest& r, const char* name, const QDate& fallback)
{
    const QString text = r.query(name);
    if (text.isEmpty())
        return fallback.toString(Qt::ISODate);
    const QDate day = QDate::fromString(text, Qt::ISODate);
    if (!day.isValid()) {
        r.fail(QStringLiteral("The query parameter \"%1\" must be a day (YYYY-MM-DD).")
                   .arg(QLatin1String(name)));
        return {};
    }
    return day.toString(Qt::ISODate);
}

HttpReply usage(AdminRequest& r)
{
    const QDate today = r.ctx.now().toUTC().date();
    const std::optional<qint64> product = r.queryInteger("product_id", 1, qint64(1) << 50);
    const QString from = dayParameter(r, "from", today.addDays(-29));
    const QString to = dayParameter(r, "to", today);
    if (r.failed())
        return r.badRequest();
    auto days = r.store.quota().usage(product, from, to);
    if (!days)
        return AdminApi::errorReply(days.error());
    auto products = r.store.products().list();
    if (!products)
        return AdminApi::errorReply(products.error());
    QJsonArray items;
    for (const UsageDay& d : *days) {
        QJsonObject o = AdminJson::usageDay(d);
        for (const Product& p : *products) {
            if (p.id != d.productId)
                continue;
            o.insert(QStringLiteral("product"), p.name);
            const auto limit = p.dailyLimit();
            o.insert(QStringLiteral("daily_limit"),
                     limit ? QJsonValue(*limit) : QJsonValue(QJsonValue::Null));
        }
        items.append(o);
    }
    return HttpReply::json(200, {{QStringLiteral("items"), items},
                                 {QStringLiteral("from"), from},
                                 {QStringLiteral("to"), to},
                                 {QStringLiteral("total"), items.size()}});
}

HttpReply requests(AdminRequest& r)
{
    qint64 offset = 0;
    int limit = 50;
    r.paging(offset, limit);
    RequestLogFilter f;
    f.productId = r.queryInteger("product_id", 1, qint64(1) << 50);
    f.keyId = r.queryInteger("key_id", 1, qint64(1) << 50);
    f.ip = r.query("ip").left(60);
    f.outcome = r.query("outcome").left(40);
    f.from = r.queryTime("from", false);
    f.to = r.queryTime("to", false);
    if (r.failed())
        return r.badRequest();
    auto entries = r.store.requestLog().list(f, offset, limit);
    if (!entries)
        return AdminApi::errorReply(entries.error());
    auto total = r.store.requestLog().count(f);
    if (!total)
        return AdminApi::errorReply(total.error());
    QJsonArray items;
    for (const RequestLogEntry& e : *entries)
        items.append(AdminJson::requestLogEntry(e));
    return listReply(items, *total, offset, limit);
}

HttpReply audit(AdminRequest& r)
{
    qint64 offset = 0;
    int limit = 50;
    r.paging(offset, limit);
    AuditFilter f;
    f.objectType = r.query("object_type").left(40);
    f.objectId = r.query("object_id").left(60);
    f.actor = r.query("actor").left(200);
    f.actionPrefix = r.query("action").left(60);
    f.from = r.queryTime("from", false);
    f.to = r.queryTime("to", false);
    if (r.failed())
        return r.badRequest();
    auto entries = r.store.audit().list(f, offset, limit);
    if (!entries)
        return AdminApi::errorReply(entries.error());
    auto total = r.store.audit().count(f);
    if (!total)
        return AdminApi::errorReply(total.error());
    QJsonArray items;
    for (const AuditEntry& e : *entries)
        items.append(DomainJson::audit(e));
    return listReply(items, *total, offset, limit);
}

HttpReply listTokens(AdminRequest& r)
{
    auto tokens = r.store.adminTokens().list();
    if (!tokens)
        return AdminApi::errorReply(tokens.error());
    QJsonArray items;
    for (const AdminToken& t : *tokens)
        items.append(AdminJson::adminToken(t));
    return listReply(items, items.size(), 0, int(items.size()));
}

HttpReply createToken(AdminRequest& r)
{
    JsonFields in = r.fields();
    const QString roleText = in.string("role", true, 20);
    const QString name = in.string("name", false, 100);
    if (r.failed())
        return r.badRequest();
    auto role = adminRoleFromString(roleText);
    if (!role)
        return HttpReply::error(400, QStringLiteral("invalid_request"),
                                QStringLiteral("\"role\" is owner, manager, support or viewer."), false);
    auto created = r.store.adminTokens().create(*role, name);
    if (!created)
        return AdminApi::errorReply(created.error());
    return HttpReply::json(201, {{QStringLiteral("admin_token"), AdminJson::adminToken(created->token)},
                                 {QStringLiteral("token"), created->secret}});
}

HttpReply revokeToken(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    if (id == r.token.id)
        return HttpReply::error(409, QStringLiteral("conflict"),
                                QStringLiteral("A token cannot revoke itself; use another owner token."),
                                false);
    if (Status s = r.store.adminTokens().revoke(id); !s)
        return AdminApi::errorReply(s.error());
    auto t = r.store.adminTokens().find(id);
    if (!t)
        return AdminApi::errorReply(t.error());
    return HttpReply::json(200, AdminJson::adminToken(*t));
}

} // namespace

void ReportsAdmin::addRoutes(AdminApi& api)
{
    api.add("GET", "/admin/v1/usage", P::Read, usage);
    api.add("GET", "/admin/v1/requests", P::Read, requests);
    api.add("GET", "/admin/v1/audit", P::Read, audit);
    api.add("GET", "/admin/v1/admin-tokens", P::ManageTokens, listTokens);
    api.add("POST", "/admin/v1/admin-tokens", P::ManageTokens, createToken);
    api.add("POST", "/admin/v1/admin-tokens/{id}/revoke", P::ManageTokens, revokeToken);
}

} // namespace keyward::server
