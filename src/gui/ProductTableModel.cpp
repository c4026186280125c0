#include "ProductTableModel.h"

#include <QLocale>

namespace keyward {

ProductTableModel::ProductTableModel(Backend* backend, QObject* parent)
    : PagedTableModel<Product>(backend, parent)
{}

void ProductTableModel::setQuery(ProductQuery query)
{
    m_query = std::move(query);
    reload();
    fetchKeyCounts();
}

void ProductTableModel::refreshAll()
{
    refresh();
    fetchKeyCounts();
}

void ProductTableModel::fetchKeyCounts()
{
    m_backend->productKeyCounts(this, [this](const Result<QHash<qint64, qint64>>& counts) {
        if (!counts)
            return;
        m_keyCounts = *counts;
        m_keyCountsKnown = true;
        if (m_rows > 0)
            Q_EMIT dataChanged(index(0, KeysCol), index(m_rows - 1, KeysCol));
    });
}

int ProductTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProductTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameCol:
        return tr("Name");
    case FormatCol:
        return tr("Key format");
    case PlanCol:
        return tr("Plan");
    case DailyLimitCol:
        return tr("Daily limit");
    case KeysCol:
        return tr("Keys");
    case MaxKeysCol:
        return tr("Max. keys");
    case StateCol:
        return tr("State");
    case CreatedCol:
        return tr("Created");
    default:
        return {};
    }
}

Qt::ItemFlags ProductTableModel::flags(const QModelIndex& index) const
{
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren
                           : Qt::NoItemFlags;
}

void ProductTableModel::sort(int column, Qt::SortOrder order)
{
    ProductQuery::Column key;
    switch (column) {
    case NameCol:
        key = ProductQuery::Column::Name;
        break;
    case PlanCol:
        key = ProductQuery::Column::Plan;
        break;
    case CreatedCol:
        key = ProductQuery::Column::CreatedAt;
        break;
    default:
        return;
    }
    if (key == m_query.sort && order == m_query.order)
        return;
    m_query.sort = key;
    m_query.order = order;
    reorder();
}

QString ProductTableModel::planText(const Product& product)
{
    switch (product.plan) {
    case Plan::Free:
        return tr("Free");
    case Plan::Pro:
        return tr("Pro");
    case Plan::Enterprise:
        return tr("Enterprise");
    }
    return {};
}

QString ProductTableModel::dailyLimitText(const Product& product)
{
    const auto limit = product.dailyLimit();
    return limit ? QLocale().toString(*limit) : tr("Unlimited");
}

QVariant ProductTableModel::rowData(const Product& product, int column, int role) const
{
    if (role == IdRole)
        return product.id;
    if (role == Qt::TextAlignmentRole &&
        (column == DailyLimitCol || column == KeysCol || column == MaxKeysCol))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && product.archived)
        return QColor(Qt::gray);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case NameCol:
        return product.name;
    case FormatCol:
        return QString(product.keyPrefix + product.keyPattern +
                       (product.checkSymbol ? tr(" + check") : QString()));
    case PlanCol:
        return planText(product);
    case DailyLimitCol:
        return dailyLimitText(product);
    case KeysCol:
        return m_keyCountsKnown ? QLocale().toString(m_keyCounts.value(product.id)) : QStringLiteral("…");
    case MaxKeysCol:
        return product.maxKeys ? QLocale().toString(*product.maxKeys) : tr("No limit");
    case StateCol:
        return product.archived ? tr("Archived") : tr("Active");
    case CreatedCol:
        return product.createdAt.toUTC().date().toString(Qt::ISODate);
    default:
        return {};
    }
}

void ProductTableModel::fetchRows(qint64 offset, int limit, int lane, Reply<std::vector<Product>> reply)
{
    m_backend->productPage(m_query, offset, limit, lane, this, std::move(reply));
}

void ProductTableModel::fetchCount(int lane, Reply<qint64> reply)
{
    m_backend->productCount(m_query, lane, this, std::move(reply));
}

} // namespace keyward
