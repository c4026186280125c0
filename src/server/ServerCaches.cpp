#include "ServerCaches.h"

#include "SecretToken.h"

namespace keyward::server {

std::optional<ApiKeyCache::Entry> ApiKeyCache::find(const QString& tokenHash) const
{
    QMutexLocker lock(&m_mutex);
    auto it = m_keys.constFind(tokenHash);
    // The hash table found the entry by its hash; compare once more in constant time anyway.
    if (it == m_keys.constEnd() || !SecretToken::sameHash(it.key(), tokenHash))
        return std::nullopt;
    return it.value();
}

bool ApiKeyCache::knownBad(const QString& tokenHash, qint64 nowMs) const
{
    QMutexLocker lock(&m_mutex);
    auto it = m_bad.constFind(tokenHash);
    return it != m_bad.constEnd() && it.value() > nowMs;
}

void ApiKeyCache::remember(const QString& tokenHash, const Entry& entry)
{
    QMutexLocker lock(&m_mutex);
    m_keys.insert(tokenHash, entry);
    m_bad.remove(tokenHash);
}

void ApiKeyCache::rememberBad(const QString& tokenHash, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    if (m_bad.size() >= kBadEntries)
        m_bad.clear();
    m_bad.insert(tokenHash, nowMs + kBadMs);
}

void ApiKeyCache::replaceAll(const std::vector<ApiKeyIdentity>& identities)
{
    QHash<QString, Entry> keys;
    keys.reserve(qsizetype(identities.size()));
    for (const ApiKeyIdentity& i : identities)
        keys.insert(i.tokenHash, {i.id, i.productId});
    QMutexLocker lock(&m_mutex);
    m_keys.swap(keys);
    m_bad.clear();
}

void ApiKeyCache::noteUsed(qint64 apiKeyId)
{
    QMutexLocker lock(&m_mutex);
    m_used.insert(apiKeyId);
}

std::vector<qint64> ApiKeyCache::takeUsed()
{
    QMutexLocker lock(&m_mutex);
    std::vector<qint64> out(m_used.cbegin(), m_used.cend());
    m_used.clear();
    return out;
}

std::shared_ptr<const ProductInfo> ProductCache::make(const Product& product)
{
    auto format = product.format();
    auto info = std::make_shared<ProductInfo>();
    info->product = product;
    info->format = format ? *format : KeyFormat();
    return info;
}

std::shared_ptr<const ProductInfo> ProductCache::find(qint64 id) const
{
    QMutexLocker lock(&m_mutex);
    return m_products.value(id);
}

std::shared_ptr<const ProductInfo> ProductCache::put(const Product& product)
{
    auto info = make(product);
    QMutexLocker lock(&m_mutex);
    m_products.insert(product.id, info);
    return info;
}

void ProductCache::replaceAll(const std::vector<Product>& products)
{
    QHash<qint64, std::shared_ptr<const ProductInfo>> all;
    for (const Product& p : products)
        all.insert(p.id, make(p));
    QMutexLocker lock(&m_mutex);
    m_products.swap(all);
}

void ProductCache::invalidate(qint64 id)
{
    QMutexLocker lock(&m_mutex);
    m_products.remove(id);
}

} // namespace keyward::server
