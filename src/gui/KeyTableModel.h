#pragma once

#include "PagedTableModel.h"

#include <optional>

namespace keyward {

// The keys of one filter (live keys or the trash) in a table of any size; sorting and filtering
// run in the database.
class KeyTableModel : public PagedTableModel<LicenseKey>
{
    Q_OBJECT

public:
    enum Column
    {
        KeyCol,
        ProductCol,
        StatusCol,
        CustomerCol,
        EmailCol,
        ExpiresCol,
        TokensCol,
        CreatedCol,
        ChangedCol,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        KeyRole
    };

    KeyTableModel(Backend* backend, KeyFilter::Scope scope, QObject* parent = nullptr);

    // Shows the keys matching `filter` (its scope is this model's).
    void setFilter(KeyFilter filter);
    const KeyFilter& filter() const { return m_filter; }
    const KeySort& keySort() const { return m_sort; }
    KeyFilter::Scope scope() const { return m_filter.scope; }
    // The store column a table column sorts by; nullopt when it cannot be sorted.
    std::optional<KeyColumn> sortColumn(int column) const;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    void sort(int column, Qt::SortOrder order) override;

    static QString statusText(const LicenseKey& key, const QDateTime& now);
    static QColor statusColor(KeyStatus status);

protected:
    void fetchRows(qint64 offset, int limit, int lane, Reply<std::vector<LicenseKey>> reply) override;
    void fetchCount(int lane, Reply<qint64> reply) override;
    bool fetchIndex(int lane, Reply<qint64> reply) override;
    QVariant rowData(const LicenseKey& key, int column, int role) const override;

private:
    KeyFilter m_filter;
    KeySort m_sort;
};

} // namespace keyward
