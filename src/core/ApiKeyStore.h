#pragma once

#include "Result.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace keyward {

struct StoreContext;

// A product's API key: the bearer token its apps send to the license server. Only a hash of the
// token is stored; the token itself exists once, in the answer to create().
struct ApiKey
{
    qint64 id = 0;
    qint64 productId = 0;
    QString productName;
    QString name;
    QString tokenPrefix; // the first characters, to tell keys apart
    QDateTime createdAt;
    QDateTime lastUsedAt;
    QDateTime revokedAt;

    bool revoked() const { return revokedAt.isValid(); }
};

struct CreatedApiKey
{
    ApiKey key;
    QString token; // shown once
};

// What the server keeps in memory to authenticate a request: the hash and whose key it is.
struct ApiKeyIdentity
{
    qint64 id = 0;
    qint64 productId = 0;
    QString tokenHash;
};

class ApiKeyStore
{
public:
    static constexpr const char* kTokenPrefix = "kw_";

    explicit ApiKeyStore(StoreContext& context) : m_ctx(context) {}

    Result<CreatedApiKey> create(qint64 productId, const QString& name = {});
    Result<ApiKey> find(qint64 id) const;
    Result<std::vector<ApiKey>> list(std::optional<qint64> productId = std::nullopt) const;
    Status revoke(qint64 id);

    // The key a token belongs to; nullopt when no active key has that token.
    Result<std::optional<ApiKeyIdentity>> authenticate(const QString& token) const;
    // The same by the token's hash (SecretToken::hash), for callers that never hold the token.
    Result<std::optional<ApiKeyIdentity>> authenticateHash(const QString& tokenHash) const;
    // Every active key, for an in-memory cache of the hashes.
    Result<std::vector<ApiKeyIdentity>> activeIdentities() const;
    // Records when keys were last used (the server calls it in batches, not per request).
    Status touch(const std::vector<qint64>& ids, const QDateTime& at);

private:
    Result<std::vector<ApiKey>> select(const QString& where, const QVariantList& values) const;

    StoreContext& m_ctx;
};

} // namespace keyward
