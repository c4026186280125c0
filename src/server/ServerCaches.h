#pragma once

#include "ApiKeyStore.h"
#include "KeyFormat.h"
#include "Product.h"

#include <QHash>
#include <QMutex>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace keyward::server {

// Product API keys by token hash, so that a validation authenticates without the database.
// Refreshed from the database every few seconds (keys created or revoked elsewhere); unknown
// hashes are remembered briefly so that a flood of wrong tokens does not reach the database.
class ApiKeyCache
{
public:
    struct Entry
    {
        qint64 apiKeyId = 0;
        qint64 productId = 0;
    };

    std::optional<Entry> find(const QString& tokenHash) const;
    bool knownBad(const QString& tokenHash, qint64 nowMs) const;
    void remember(const QString& tokenHash, const Entry& entry);
    void rememberBad(const QString& tokenHash, qint64 nowMs);
    void replaceAll(const std::vector<ApiKeyIdentity>& identities);
    void noteUsed(qint64 apiKeyId);
    std::vector<qint64> takeUsed();

private:
    static constexpr int kBadEntries = 10000;
    static constexpr qint64 kBadMs = 10'000;

    mutable QMutex m_mutex;
    QHash<QString, Entry> m_keys;
    QHash<QString, qint64> m_bad; // hash -> remembered until
    QSet<qint64> m_used;
};

// What a validation needs of a product, with its key format built once.
struct ProductInfo
{
    Product product;
    KeyFormat format;
};

class ProductCache
{
public:
    std::shared_ptr<const ProductInfo> find(qint64 id) const;
    std::shared_ptr<const ProductInfo> put(const Product& product);
    void replaceAll(const std::vector<Product>& products);
    void invalidate(qint64 id);

private:
    static std::shared_ptr<const ProductInfo> make(const Product& product);

    mutable QMutex m_mutex;
    QHash<qint64, std::shared_ptr<const ProductInfo>> m_products;
};

} // namespace keyward::server
