#include "ApiKeyStore.h"

#include "AuditLog.h"
#include "Database.h"
#include "SecretToken.h"
#include "SqlValues.h"
#include "StoreContext.h"

#include <QJsonObject>

namespace keyward {
namespace {

const QString kSelect = QStringLiteral(
    "SELECT a.id, a.product_id, p.name, a.name, a.token_prefix, a.created_at, a.last_used_at, a.revoked_at "
    "FROM api_keys a JOIN products p ON p.id = a.product_id ");

ApiKey readKey(const QSqlQuery& q)
{
    ApiKey k;
    k.id = q.value(0).toLongLong();
    k.productId = q.value(1).toLongLong();
    k.productName = q.value(2).toString();
    k.name = q.value(3).toString();
    k.tokenPrefix = q.value(4).toString();
    k.createdAt = sql::toTime(q.value(5));
    k.lastUsedAt = sql::toTime(q.value(6));
    k.revokedAt = sql::toTime(q.value(7));
    return k;
}

} // namespace

Result<std::vector<ApiKey>> ApiKeyStore::select(const QString& where, const QVariantList& values) const
{
    auto q = m_ctx.db.exec(kSelect + where, values);
    if (!q)
        return q.error();
    std::vector<ApiKey> out;
    while (q->next())
        out.push_back(readKey(*q));
    return out;
}

Result<CreatedApiKey> ApiKeyStore::create(qint64 productId, const QString& name)
{
    if (name.trimmed().size() > 100)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("The API key name is longer than 100 characters."));
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto product =
        m_ctx.db.exec(QStringLiteral("SELECT name, archived FROM products WHERE id = ?"), {productId});
    if (!product)
        return product.error();
    if (!product->next())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("There is no product with id %1.").arg(productId));
    const QString productName = product->value(0).toString();
    product->finish();

    CreatedApiKey created;
    created.token = SecretToken::generate(QString::fromLatin1(kTokenPrefix));
    const QDateTime now = m_ctx.now();
    ApiKey& key = created.key;
    key.productId = productId;
    key.productName = productName;
    key.name = name.trimmed();
    key.tokenPrefix = SecretToken::displayPrefix(created.token);
    key.createdAt = now;
    auto q = m_ctx.db.exec(
        QStringLiteral("INSERT INTO api_keys (product_id, name, token_prefix, token_hash, created_at) "
                       "VALUES (?, ?, ?, ?, ?) RETURNING id"),
        {productId, sql::text(key.name), key.tokenPrefix, SecretToken::hash(created.token), sql::time(now)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorKind::Internal, QStringLiteral("The new API key's id was not returned."));
    key.id = q->value(0).toLongLong();
    q->finish();
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("apikey.create"),
                                      QStringLiteral("api_key"), QString::number(key.id),
                                      {{QStringLiteral("product"), productName},
                                       {QStringLiteral("name"), key.name},
                                       {QStringLiteral("prefix"), key.tokenPrefix}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return created;
}

Result<ApiKey> ApiKeyStore::find(qint64 id) const
{
    auto r = select(QStringLiteral("WHERE a.id = ?"), {id});
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorKind::NotFound, QStringLiteral("There is no API key with id %1.").arg(id));
    return r->front();
}

Result<std::vector<ApiKey>> ApiKeyStore::list(std::optional<qint64> productId) const
{
    if (productId)
        return select(QStringLiteral("WHERE a.product_id = ? ORDER BY a.id"), {*productId});
    return select(QStringLiteral("ORDER BY a.id"), {});
}

Status ApiKeyStore::revoke(qint64 id)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto key = find(id);
    if (!key)
        return key.error();
    if (key->revoked())
        return makeError(ErrorKind::Conflict, QStringLiteral("The API key %1 is already revoked.").arg(id));
    const QDateTime now = m_ctx.now();
    auto q = m_ctx.db.exec(QStringLiteral("UPDATE api_keys SET revoked_at = ? WHERE id = ?"),
                           {sql::time(now), id});
    if (!q)
        return q.error();
    if (Status s = m_ctx.audit.record(
            now, m_ctx.actor, QStringLiteral("apikey.revoke"), QStringLiteral("api_key"), QString::number(id),
            {{QStringLiteral("product"), key->productName}, {QStringLiteral("prefix"), key->tokenPrefix}});
        !s)
        return s;
    return tx.commit();
}

Result<std::optional<ApiKeyIdentity>> ApiKeyStore::authenticate(const QString& token) const
{
    if (token.isEmpty())
        return std::optional<ApiKeyIdentity>();
    return authenticateHash(SecretToken::hash(token));
}

Result<std::optional<ApiKeyIdentity>> ApiKeyStore::authenticateHash(const QString& hash) const
{
    if (hash.size() != 64)
        return std::optional<ApiKeyIdentity>();
    auto q = m_ctx.db.exec(
        QStringLiteral("SELECT id, product_id, token_hash FROM api_keys WHERE token_hash = ? AND "
                       "revoked_at IS NULL"),
        {hash});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<ApiKeyIdentity>();
    ApiKeyIdentity identity{q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toString()};
    if (!SecretToken::sameHash(identity.tokenHash, hash))
        return std::optional<ApiKeyIdentity>();
    return std::optional<ApiKeyIdentity>(identity);
}

Result<std::vector<ApiKeyIdentity>> ApiKeyStore::activeIdentities() const
{
    auto q = m_ctx.db.exec(
        QStringLiteral("SELECT id, product_id, token_hash FROM api_keys WHERE revoked_at IS NULL"));
    if (!q)
        return q.error();
    std::vector<ApiKeyIdentity> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toString()});
    return out;
}

Status ApiKeyStore::touch(const std::vector<qint64>& ids, const QDateTime& at)
{
    if (ids.empty())
        return {};
    auto q = m_ctx.db.exec(
        QStringLiteral("UPDATE api_keys SET last_used_at = ? WHERE id IN (%1)").arg(m_ctx.db.listSql(true)),
        {sql::time(at), Database::jsonList(ids, 0, ids.size())});
    if (!q)
        return q.error();
    return {};
}

} // namespace keyward
