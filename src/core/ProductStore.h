#pragma once

#include "Product.h"
#include "Result.h"

#include <vector>

namespace keyward {

struct StoreContext;

class ProductStore
{
public:
    explicit ProductStore(StoreContext& context) : m_ctx(context) {}

    Result<Product> create(Product product);
    Status update(const Product& product);
    Result<Product> find(qint64 id) const;
    Result<Product> findByName(const QString& name) const;
    Result<std::vector<Product>> list(bool includeArchived = true) const;
    // Keys of the product that are not in the trash.
    Result<qint64> liveKeyCount(qint64 productId) const;
    // Deletes a product that has no keys (not even in the trash), with its API keys and usage.
    Status remove(qint64 id);

private:
    Result<std::vector<Product>> select(const QString& where, const QVariantList& values) const;
    Status checkNameFree(const QString& name, qint64 exceptId) const;

    StoreContext& m_ctx;
};

} // namespace keyward
