#pragma once

#include "Product.h"
#include "Result.h"

#include <vector>

namespace keyward {

struct StoreContext;

// A view of the products for a table: which ones and in what order (columns from a fixed list).
struct ProductQuery
{
    enum class Column
    {
        Name,
        Plan,
        CreatedAt,
        UpdatedAt
    };

    bool includeArchived = true;
    QString text; // part of the name
    Column sort = Column::Name;
    Qt::SortOrder order = Qt::AscendingOrder;
};

class ProductStore
{
public:
    explicit ProductStore(StoreContext& context) : m_ctx(context) {}

    Result<Product> create(Product product);
    Status update(const Product& product);
    Result<Product> find(qint64 id) const;
    Result<Product> findByName(const QString& name) const;
    Result<std::vector<Product>> list(bool includeArchived = true) const;
    Result<std::vector<Product>> page(const ProductQuery& query, qint64 offset, int limit) const;
    Result<qint64> count(const ProductQuery& query) const;
    // Keys of the product that are not in the trash.
    Result<qint64> liveKeyCount(qint64 productId) const;
    // Deletes a product that has no keys (not even in the trash), with its API keys and usage.
    Status remove(qint64 id);

private:
    Result<std::vector<Product>> select(const QString& where, const QVariantList& values) const;
    Status checkNameFree(const QString& name, qint64 exceptId) const;
    QString where(const ProductQuery& query, QVariantList& values) const;

    StoreContext& m_ctx;
};

} // namespace keyward
