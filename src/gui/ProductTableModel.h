#pragma once

#include "PagedTableModel.h"

namespace keyward {

// The products, with their live key counts (counted in the background, since a product can have
// millions of keys).
class ProductTableModel : public PagedTableModel<Product>
{
    Q_OBJECT

public:
    enum Column
    {
        NameCol,
        FormatCol,
        PlanCol,
        DailyLimitCol,
        KeysCol,
        MaxKeysCol,
        StateCol,
        CreatedCol,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1
    };

    explicit ProductTableModel(Backend* backend, QObject* parent = nullptr);

    void setQuery(ProductQuery query);
    const ProductQuery& query() const { return m_query; }
    // Re-reads the products and their key counts.
    void refreshAll();

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    void sort(int column, Qt::SortOrder order) override;

    static QString planText(const Product& product);
    static QString dailyLimitText(const Product& product);

protected:
    void fetchRows(qint64 offset, int limit, int lane, Reply<std::vector<Product>> reply) override;
    void fetchCount(int lane, Reply<qint64> reply) override;
    QVariant rowData(const Product& product, int column, int role) const override;

private:
    void fetchKeyCounts();

    ProductQuery m_query;
    QHash<qint64, qint64> m_keyCounts;
    bool m_keyCountsKnown = false;
};

} // namespace keyward
