#include "CatalogAdmin.h"

#include "AdminApi.h"
#include "AdminJson.h"
#include "DomainJson.h"
#include "RequestLog.h"
#include "SecretToken.h"
#include "ServerContext.h"
#include "Store.h"

#include <QJsonArray>

namespace keyward::server {
namespace {

using P = AdminPermission;

std::optional<int> toLimit(const std::optional<qint64>& v)
{
    return v && *v > 0 ? std::optional<int>(int(*v)) : std::nullopt; // 0 or null: no limit
}

// Applies the product fields present in the body (all of them for a new product).
void readProduct(AdminRequest& r, Product& p)
{
    JsonFields in = r.fields();
    if (in.has("name"))
        p.name = in.string("name", true, 100);
    if (in.has("key_pattern"))
        p.keyPattern = in.string("key_pattern", true, 200);
    if (in.has("key_prefix"))
        p.keyPrefix = in.string("key_prefix", false, 50);
    if (in.has("alphabet"))
        p.alphabet = in.string("alphabet", true, 200);
    if (in.has("check_symbol"))
        p.checkSymbol = in.boolean("check_symbol").value_or(p.checkSymbol);
    if (in.has("weak_format_allowed"))
        p.weakFormatAllowed = in.boolean("weak_format_allowed").value_or(p.weakFormatAllowed);
    if (in.has("default_expiry_days"))
        p.defaultExpiryDays = toLimit(in.integer("default_expiry_days", 0, 36500));
    if (in.has("default_max_domains"))
        p.defaultMaxDomains = toLimit(in.integer("default_max_domains", 0, 1'000'000));
    if (in.has("default_max_uuids"))
        p.defaultMaxUuids = toLimit(in.integer("default_max_uuids", 0, 1'000'000));
    if (in.has("token_keys"))
        p.tokenKeys = in.boolean("token_keys").value_or(p.tokenKeys);
    if (in.has("default_tokens"))
        p.defaultTokens = in.integer("default_tokens", 0, qint64(1) << 50).value_or(0);
    if (in.has("plan")) {
        const QString plan = in.string("plan", true, 20);
        if (auto parsed = planFromString(plan))
            p.plan = *parsed;
        else if (!r.failed())
            r.fail(QStringLiteral("\"plan\" is free, pro or enterprise."));
    }
    if (in.has("daily_limit_override"))
        p.dailyLimitOverride = in.integer("daily_limit_override", 0, qint64(1) << 50);
    if (in.has("max_keys"))
        p.maxKeys = in.integer("max_keys", 0, qint64(1) << 50);
}

HttpReply productReply(AdminRequest& r, const Product& p, int status = 200)
{
    auto live = r.store.products().liveKeyCount(p.id);
    return HttpReply::json(status, DomainJson::product(p, live ? *live : -1));
}

HttpReply listProducts(AdminRequest& r)
{
    const QString archived = r.query("archived");
    auto products = r.store.products().list(archived != QLatin1String("false"));
    if (!products)
        return AdminApi::errorReply(products.error());
    QJsonArray items;
    for (const Product& p : *products) {
        if (archived == QLatin1String("true") && !p.archived)
            continue;
        auto live = r.store.products().liveKeyCount(p.id);
        items.append(DomainJson::product(p, live ? *live : -1));
    }
    return listReply(items, items.size(), 0, int(items.size()));
}

HttpReply createProduct(AdminRequest& r)
{
    Product p;
    if (!r.fields().has("name"))
        r.fail(QStringLiteral("\"name\" is required."));
    readProduct(r, p);
    if (r.failed())
        return r.badRequest();
    auto created = r.store.products().create(p);
    if (!created)
        return AdminApi::errorReply(created.error());
    r.ctx.products.put(*created);
    return productReply(r, *created, 201);
}

HttpReply getProduct(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    auto p = r.store.products().find(id);
    if (!p)
        return AdminApi::errorReply(p.error());
    return productReply(r, *p);
}

HttpReply updateProduct(AdminRequest& r, std::optional<bool> archive)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    auto p = r.store.products().find(id);
    if (!p)
        return AdminApi::errorReply(p.error());
    Product changed = *p;
    if (archive)
        changed.archived = *archive;
    else
        readProduct(r, changed);
    if (r.failed())
        return r.badRequest();
    if (Status s = r.store.products().update(changed); !s)
        return AdminApi::errorReply(s.error());
    auto saved = r.store.products().find(id);
    if (!saved)
        return AdminApi::errorReply(saved.error());
    r.ctx.products.put(*saved); // validations see the change at once
    return productReply(r, *saved);
}

HttpReply deleteProduct(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    if (Status s = r.store.products().remove(id); !s)
        return AdminApi::errorReply(s.error());
    r.ctx.products.invalidate(id);
    if (auto keys = r.store.apiKeys().activeIdentities())
        r.ctx.apiKeys.replaceAll(*keys);
    return deletedReply(QString::number(id));
}

HttpReply listApiKeys(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    if (auto p = r.store.products().find(id); !p)
        return AdminApi::errorReply(p.error());
    auto keys = r.store.apiKeys().list(id);
    if (!keys)
        return AdminApi::errorReply(keys.error());
    QJsonArray items;
    for (const ApiKey& k : *keys)
        items.append(AdminJson::apiKey(k));
    return listReply(items, items.size(), 0, int(items.size()));
}

HttpReply createApiKey(AdminRequest& r)
{
    const qint64 id = r.id();
    const QString name = r.fields().string("name", false, 100);
    if (r.failed())
        return r.badRequest();
    auto created = r.store.apiKeys().create(id, name);
    if (!created)
        return AdminApi::errorReply(created.error());
    r.ctx.apiKeys.remember(SecretToken::hash(created->token), {created->key.id, created->key.productId});
    return HttpReply::json(201, {{QStringLiteral("api_key"), AdminJson::apiKey(created->key)},
                                 {QStringLiteral("token"), created->token}});
}

HttpReply revokeApiKey(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    if (Status s = r.store.apiKeys().revoke(id); !s)
        return AdminApi::errorReply(s.error());
    // This instance stops accepting it at once; the others at their next refresh.
    if (auto keys = r.store.apiKeys().activeIdentities())
        r.ctx.apiKeys.replaceAll(*keys);
    auto key = r.store.apiKeys().find(id);
    if (!key)
        return AdminApi::errorReply(key.error());
    return HttpReply::json(200, AdminJson::apiKey(*key));
}

HttpReply listKeys(AdminRequest& r)
{
    qint64 offset = 0;
    int limit = 50;
    r.paging(offset, limit);
    KeyFilter filter = r.keyFilter();
    KeySort sort;
    if (const QString column = r.query("sort"); !column.isEmpty()) {
        auto parsed = keyColumnFromName(column);
        if (!parsed)
            r.fail(
                QStringLiteral(
                    "\"%1\" is not a sort column (id, key, product, status, customer_name, customer_email, "
                    "created_at, updated_at, expires_at, tokens).")
                    .arg(column.left(50)));
        else
            sort.column = *parsed;
    }
    const QString order = r.query("order");
    if (order == QLatin1String("desc"))
        sort.order = Qt::DescendingOrder;
    else if (!order.isEmpty() && order != QLatin1String("asc"))
        r.fail(QStringLiteral("order is \"asc\" or \"desc\"."));
    if (r.failed())
        return r.badRequest();
    auto keys = r.store.keys().page(filter, sort, offset, limit);
    if (!keys)
        return AdminApi::errorReply(keys.error());
    auto total = r.store.keys().count(filter);
    if (!total)
        return AdminApi::errorReply(total.error());
    QJsonArray items;
    for (const LicenseKey& k : *keys)
        items.append(DomainJson::key(k));
    return listReply(items, *total, offset, limit);
}

// The editable key fields present in the body.
void readKeyFields(AdminRequest& r, JsonFields& in, QString& customerName, QString& customerEmail,
                   QString& notes, std::optional<KeyStatus>& status, std::optional<QDateTime>& expires,
                   std::optional<std::optional<int>>& maxDomains, std::optional<std::optional<int>>& maxUuids,
                   std::optional<std::optional<qint64>>& tokens)
{
    if (in.has("customer_name"))
        customerName = in.string("customer_name", false, 200);
    if (in.has("customer_email"))
        customerEmail = in.string("customer_email", false, 320);
    if (in.has("notes"))
        notes = in.string("notes", false, 20000);
    if (in.has("status")) {
        const QString text = in.string("status", true, 20);
        status = keyStatusFromString(text);
        if (!status)
            r.fail(QStringLiteral(
                "\"status\" is active, suspended or expired (revoke a key with POST .../revoke)."));
    }
    if (in.has("expires_at"))
        expires = in.time("expires_at");
    if (in.has("max_domains"))
        maxDomains = toLimit(in.integer("max_domains", 0, 1'000'000));
    if (in.has("max_uuids"))
        maxUuids = toLimit(in.integer("max_uuids", 0, 1'000'000));
    if (in.has("tokens"))
        tokens = in.integer("tokens", 0, qint64(1) << 50);
}

HttpReply keyReply(AdminRequest& r, qint64 id, int status = 200)
{
    auto key = r.store.keys().findById(id);
    if (!key)
        return AdminApi::errorReply(key.error());
    return HttpReply::json(status, DomainJson::key(*key));
}

HttpReply createKey(AdminRequest& r)
{
    JsonFields in = r.fields();
    const qint64 productId = in.integer("product_id", 1, qint64(1) << 50, true).value_or(0);
    const QString keyText = in.string("key", true, 200);
    const bool anyFormat = in.boolean("any_format").value_or(false);
    NewKey nk;
    std::optional<KeyStatus> status;
    std::optional<QDateTime> expires;
    std::optional<std::optional<int>> maxDomains, maxUuids;
    std::optional<std::optional<qint64>> tokens;
    readKeyFields(r, in, nk.customerName, nk.customerEmail, nk.notes, status, expires, maxDomains, maxUuids,
                  tokens);
    if (r.failed())
        return r.badRequest();
    auto product = r.store.products().find(productId);
    if (!product)
        return AdminApi::errorReply(product.error());
    auto format = product->format();
    if (!format)
        return AdminApi::errorReply(format.error());
    const KeyCheck check = format->check(keyText);
    if (!check.valid() && !anyFormat)
        return HttpReply::error(
            400, QStringLiteral("invalid_format"),
            QStringLiteral("The key does not match the product's format (%1, code %2); send "
                           "\"any_format\": true to store it anyway.")
                .arg(check.message, check.codeString()),
            false);
    nk.key = check.valid() ? check.normalized : keyText.trimmed();
    nk.status = status.value_or(KeyStatus::Active);
    if (nk.status == KeyStatus::Revoked)
        return HttpReply::error(400, QStringLiteral("invalid_request"),
                                QStringLiteral("A new key cannot be revoked."), false);
    nk.expiresAt = expires ? *expires
                           : (product->defaultExpiryDays ? r.ctx.now().addDays(*product->defaultExpiryDays)
                                                         : QDateTime());
    nk.maxDomains = maxDomains ? *maxDomains : product->defaultMaxDomains;
    nk.maxUuids = maxUuids ? *maxUuids : product->defaultMaxUuids;
    nk.tokenBalance =
        tokens ? *tokens
               : (product->tokenKeys ? std::optional<qint64>(product->defaultTokens) : std::nullopt);
    if (product->maxKeys) {
        auto live = r.store.products().liveKeyCount(product->id);
        if (live && *live >= *product->maxKeys)
            return AdminApi::errorReply(Error(
                ErrorKind::LimitReached,
                QStringLiteral("\"%1\" allows at most %2 keys.").arg(product->name).arg(*product->maxKeys)));
    }
    auto created = r.store.keys().create(product->id, nk);
    if (!created)
        return AdminApi::errorReply(created.error());
    return keyReply(r, created->id, 201);
}

HttpReply updateKey(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    auto key = r.store.keys().findById(id);
    if (!key)
        return AdminApi::errorReply(key.error());
    LicenseKey changed = *key;
    JsonFields in = r.fields();
    std::optional<KeyStatus> status;
    std::optional<QDateTime> expires;
    std::optional<std::optional<int>> maxDomains, maxUuids;
    std::optional<std::optional<qint64>> tokens;
    readKeyFields(r, in, changed.customerName, changed.customerEmail, changed.notes, status, expires,
                  maxDomains, maxUuids, tokens);
    if (r.failed())
        return r.badRequest();
    if (status)
        changed.status = *status;
    if (expires)
        changed.expiresAt = *expires;
    if (maxDomains)
        changed.maxDomains = *maxDomains;
    if (maxUuids)
        changed.maxUuids = *maxUuids;
    if (tokens)
        changed.tokenBalance = *tokens;
    if (Status s = r.store.keys().update(changed); !s)
        return AdminApi::errorReply(s.error());
    return keyReply(r, id);
}

HttpReply getKey(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    return keyReply(r, id);
}

HttpReply revokeKey(AdminRequest& r)
{
    const qint64 id = r.id();
    JsonFields in = r.fields();
    const QString reasonText = in.string("reason", true, 20);
    const QString note = in.string("note", false, 2000);
    if (r.failed())
        return r.badRequest();
    auto reason = revokeReasonFromString(reasonText);
    if (!reason)
        return HttpReply::error(400, QStringLiteral("invalid_request"),
                                QStringLiteral("\"reason\" is refund, chargeback, abuse or other."), false);
    if (Status s = r.store.keys().revoke(id, *reason, note); !s)
        return AdminApi::errorReply(s.error());
    return keyReply(r, id);
}

HttpReply changeOne(AdminRequest& r, const char* change)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    if (auto key = r.store.keys().findById(id); !key)
        return AdminApi::errorReply(key.error());
    const QByteArray what(change);
    Result<qint64> changed = what == "trash"     ? r.store.keys().moveToTrash(std::vector<qint64>{id})
                             : what == "restore" ? r.store.keys().restore({id})
                                                 : r.store.keys().purge({id});
    if (!changed)
        return AdminApi::errorReply(changed.error());
    if (*changed == 0)
        return HttpReply::error(409, QStringLiteral("conflict"),
                                what == "trash" ? QStringLiteral("The key is already in the trash.")
                                                : QStringLiteral("The key is not in the trash."),
                                false);
    if (what == "purge")
        return deletedReply(QString::number(id));
    return keyReply(r, id);
}

HttpReply bulk(AdminRequest& r, const char* change)
{
    JsonFields in = r.fields();
    const QByteArray what(change);
    const bool byFilter = what == "trash" && in.has("filter");
    std::vector<qint64> ids;
    KeyFilter filter;
    if (byFilter) {
        const QJsonObject f = in.object("filter");
        filter = r.keyFilter(f);
        if (f.isEmpty())
            r.fail(QStringLiteral(
                "\"filter\" needs at least one condition (bulk delete of every key is refused)."));
    } else {
        ids = in.ids("ids", true);
        if (ids.size() > 1'000'000)
            r.fail(QStringLiteral("At most 1,000,000 ids at once."));
    }
    if (r.failed())
        return r.badRequest();
    Result<qint64> changed = byFilter            ? r.store.keys().moveToTrash(filter)
                             : what == "trash"   ? r.store.keys().moveToTrash(ids)
                             : what == "restore" ? r.store.keys().restore(ids)
                                                 : r.store.keys().purge(ids);
    if (!changed)
        return AdminApi::errorReply(changed.error());
    return HttpReply::json(200, {{QStringLiteral("changed"), *changed}});
}

HttpReply listActivations(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    if (auto key = r.store.keys().findById(id); !key)
        return AdminApi::errorReply(key.error());
    auto activations = r.store.keys().activations(id);
    if (!activations)
        return AdminApi::errorReply(activations.error());
    QJsonArray items;
    for (const Activation& a : *activations)
        items.append(AdminJson::activation(a));
    return listReply(items, items.size(), 0, int(items.size()));
}

HttpReply addActivation(AdminRequest& r)
{
    const qint64 id = r.id();
    JsonFields in = r.fields();
    const QString kindText = in.string("kind", true, 20);
    const QString value = in.string("value", true, 300);
    if (r.failed())
        return r.badRequest();
    auto kind = activationKindFromString(kindText);
    if (!kind)
        return HttpReply::error(400, QStringLiteral("invalid_request"),
                                QStringLiteral("\"kind\" is domain or uuid."), false);
    auto bound = r.store.keys().activate(id, *kind, value);
    if (!bound)
        return AdminApi::errorReply(bound.error());
    return HttpReply::json(201, AdminJson::activation(*bound));
}

HttpReply removeActivation(AdminRequest& r)
{
    const qint64 id = r.id(0);
    const qint64 activationId = r.id(1);
    if (r.failed())
        return r.badRequest();
    auto activations = r.store.keys().activations(id);
    if (!activations)
        return AdminApi::errorReply(activations.error());
    for (const Activation& a : *activations) {
        if (a.id != activationId)
            continue;
        if (Status s = r.store.keys().deactivate(id, a.kind, a.value); !s)
            return AdminApi::errorReply(s.error());
        return deletedReply(QString::number(activationId));
    }
    return HttpReply::error(404, QStringLiteral("not_found"),
                            QStringLiteral("The key has no activation %1.").arg(activationId), false);
}

HttpReply adjustTokens(AdminRequest& r)
{
    const qint64 id = r.id();
    JsonFields in = r.fields();
    const qint64 amount = in.integer("amount", -(qint64(1) << 50), qint64(1) << 50, true).value_or(0);
    const QString note = in.string("note", false, 2000);
    if (!r.failed() && amount == 0)
        r.fail(QStringLiteral("\"amount\" must not be zero (positive tops up, negative takes away)."));
    if (r.failed())
        return r.badRequest();
    auto balance = r.store.keys().adjustTokens(id, amount, KeyStore::Audit::Yes, note);
    if (!balance)
        return AdminApi::errorReply(balance.error());
    return keyReply(r, id);
}

HttpReply keyRequests(AdminRequest& r)
{
    const qint64 id = r.id();
    qint64 offset = 0;
    int limit = 50;
    r.paging(offset, limit);
    if (r.failed())
        return r.badRequest();
    RequestLogFilter filter;
    filter.keyId = id;
    auto entries = r.store.requestLog().list(filter, offset, limit);
    if (!entries)
        return AdminApi::errorReply(entries.error());
    auto total = r.store.requestLog().count(filter);
    if (!total)
        return AdminApi::errorReply(total.error());
    QJsonArray items;
    for (const RequestLogEntry& e : *entries)
        items.append(AdminJson::requestLogEntry(e));
    return listReply(items, *total, offset, limit);
}

} // namespace

void CatalogAdmin::addRoutes(AdminApi& api)
{
    api.add("GET", "/admin/v1/products", P::Read, listProducts);
    api.add("POST", "/admin/v1/products", P::ManageCatalog, createProduct);
    api.add("GET", "/admin/v1/products/{id}", P::Read, getProduct);
    api.add("PATCH", "/admin/v1/products/{id}", P::ManageCatalog,
            [](AdminRequest& r) { return updateProduct(r, {}); });
    api.add("DELETE", "/admin/v1/products/{id}", P::ManageCatalog, deleteProduct);
    api.add("POST", "/admin/v1/products/{id}/archive", P::ManageCatalog,
            [](AdminRequest& r) { return updateProduct(r, true); });
    api.add("POST", "/admin/v1/products/{id}/unarchive", P::ManageCatalog,
            [](AdminRequest& r) { return updateProduct(r, false); });
    api.add("GET", "/admin/v1/products/{id}/api-keys", P::Read, listApiKeys);
    api.add("POST", "/admin/v1/products/{id}/api-keys", P::ManageCatalog, createApiKey);
    api.add("POST", "/admin/v1/api-keys/{id}/revoke", P::ManageCatalog, revokeApiKey);

    api.add("GET", "/admin/v1/keys", P::Read, listKeys);
    api.add("POST", "/admin/v1/keys", P::ManageCatalog, createKey);
    api.add("POST", "/admin/v1/keys/bulk-trash", P::ManageCatalog,
            [](AdminRequest& r) { return bulk(r, "trash"); });
    api.add("POST", "/admin/v1/keys/bulk-restore", P::ManageCatalog,
            [](AdminRequest& r) { return bulk(r, "restore"); });
    api.add("POST", "/admin/v1/keys/bulk-purge", P::ManageCatalog,
            [](AdminRequest& r) { return bulk(r, "purge"); });
    api.add("GET", "/admin/v1/keys/{id}", P::Read, getKey);
    api.add("PATCH", "/admin/v1/keys/{id}", P::ManageCatalog, updateKey);
    api.add("DELETE", "/admin/v1/keys/{id}", P::ManageCatalog,
            [](AdminRequest& r) { return changeOne(r, "purge"); });
    api.add("POST", "/admin/v1/keys/{id}/revoke", P::ManageCatalog, revokeKey);
    api.add("POST", "/admin/v1/keys/{id}/trash", P::ManageCatalog,
            [](AdminRequest& r) { return changeOne(r, "trash"); });
    api.add("POST", "/admin/v1/keys/{id}/restore", P::ManageCatalog,
            [](AdminRequest& r) { return changeOne(r, "restore"); });
    api.add("GET", "/admin/v1/keys/{id}/activations", P::Read, listActivations);
    api.add("POST", "/admin/v1/keys/{id}/activations", P::ManageCatalog, addActivation);
    api.add("DELETE", "/admin/v1/keys/{id}/activations/{activationId}", P::ManageCatalog, removeActivation);
    api.add("POST", "/admin/v1/keys/{id}/tokens", P::ManageCatalog, adjustTokens);
    api.add("GET", "/admin/v1/keys/{id}/requests", P::Read, keyRequests);
}

} // namespace keyward::server
