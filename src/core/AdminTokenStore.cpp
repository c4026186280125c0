#include "AdminTokenStore.h"

#include "AuditLog.h"
#include "Database.h"
#include "SecretToken.h"
#include "SqlValues.h"
#include "StoreContext.h"

#include <QJsonObject>

namespace keyward {
namespace {

const QString kSelect = QStringLiteral("SELECT id, name, role, token_prefix, created_at, last_used_at, "
                                       "revoked_at, token_hash FROM admin_tokens ");

AdminToken readToken(const QSqlQuery& q)
{
    AdminToken t;
    t.id = q.value(0).toLongLong();
    t.name = q.value(1).toString();
    t.role = adminRoleFromString(q.value(2).toString()).value_or(AdminRole::Viewer);
    t.tokenPrefix = q.value(3).toString();
    t.createdAt = sql::toTime(q.value(4));
    t.lastUsedAt = sql::toTime(q.value(5));
    t.revokedAt = sql::toTime(q.value(6));
    return t;
}

} // namespace

QString AdminToken::actor() const
{
    return name.isEmpty() ? QStringLiteral("token:%1").arg(id)
                          : QStringLiteral("token:%1:%2").arg(id).arg(name);
}

Result<std::vector<AdminToken>> AdminTokenStore::select(const QString& where,
                                                        const QVariantList& values) const
{
    auto q = m_ctx.db.exec(kSelect + where, values);
    if (!q)
        return q.error();
    std::vector<AdminToken> out;
    while (q->next())
        out.push_back(readToken(*q));
    return out;
}

Result<CreatedAdminToken> AdminTokenStore::create(AdminRole role, const QString& name)
{
    if (name.trimmed().size() > 100)
        return makeError(ErrorKind::Invalid, QStringLiteral("The token name is longer than 100 characters."));
    CreatedAdminToken created;
    created.secret = SecretToken::generate(QString::fromLatin1(kTokenPrefix));
    AdminToken& t = created.token;
    t.name = name.trimmed();
    t.role = role;
    t.tokenPrefix = SecretToken::displayPrefix(created.secret);
    t.createdAt = m_ctx.now();

    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto q = m_ctx.db.exec(
        QStringLiteral("INSERT INTO admin_tokens (name, role, token_prefix, token_hash, created_at) "
                       "VALUES (?, ?, ?, ?, ?) RETURNING id"),
        {sql::text(t.name), adminRoleToString(role), t.tokenPrefix, SecretToken::hash(created.secret),
         sql::time(t.createdAt)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorKind::Internal, QStringLiteral("The new token's id was not returned."));
    t.id = q->value(0).toLongLong();
    q->finish();
    if (Status s = m_ctx.audit.record(t.createdAt, m_ctx.actor, QStringLiteral("admintoken.create"),
                                      QStringLiteral("admin_token"), QString::number(t.id),
                                      {{QStringLiteral("role"), adminRoleToString(role)},
                                       {QStringLiteral("name"), t.name},
                                       {QStringLiteral("prefix"), t.tokenPrefix}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return created;
}

Result<AdminToken> AdminTokenStore::find(qint64 id) const
{
    auto r = select(QStringLiteral("WHERE id = ?"), {id});
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorKind::NotFound, QStringLiteral("There is no admin token with id %1.").arg(id));
    return r->front();
}

Result<std::vector<AdminToken>> AdminTokenStore::list() const
{
    return select(QStringLiteral("ORDER BY id"), {});
}

Status AdminTokenStore::revoke(qint64 id)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto token = find(id);
    if (!token)
        return token.error();
    if (token->revoked())
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("The admin token %1 is already revoked.").arg(id));
    const QDateTime now = m_ctx.now();
    if (auto q = m_ctx.db.exec(QStringLiteral("UPDATE admin_tokens SET revoked_at = ? WHERE id = ?"),
                               {sql::time(now), id});
        !q)
        return q.error();
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("admintoken.revoke"),
                                      QStringLiteral("admin_token"), QString::number(id),
                                      {{QStringLiteral("role"), adminRoleToString(token->role)},
                                       {QStringLiteral("prefix"), token->tokenPrefix}});
        !s)
        return s;
    return tx.commit();
}

Result<std::optional<AdminToken>> AdminTokenStore::authenticate(const QString& secret) const
{
    if (secret.isEmpty())
        return std::optional<AdminToken>();
    const QString hash = SecretToken::hash(secret);
    auto q = m_ctx.db.exec(kSelect + QStringLiteral("WHERE token_hash = ? AND revoked_at IS NULL"), {hash});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<AdminToken>();
    if (!SecretToken::sameHash(q->value(7).toString(), hash))
        return std::optional<AdminToken>();
    return std::optional<AdminToken>(readToken(*q));
}

Status AdminTokenStore::touch(qint64 id, const QDateTime& at)
{
    if (auto q = m_ctx.db.exec(QStringLiteral("UPDATE admin_tokens SET last_used_at = ? WHERE id = ?"),
                               {sql::time(at), id});
        !q)
        return q.error();
    return {};
}

} // namespace keyward
