#include "KeyTableModel.h"

#include <QFont>
#include <QFontDatabase>
#include <QLocale>

namespace keyward {
namespace {

QString dateText(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().date().toString(Qt::ISODate) : QString();
}

QString dateTimeTooltip(const QDateTime& t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::LongFormat) : QString();
}

} // namespace

KeyTableModel::KeyTableModel(Backend* backend, KeyFilter::Scope scope, QObject* parent)
    : PagedTableModel<LicenseKey>(backend, parent)
{
    m_filter.scope = scope;
    if (scope == KeyFilter::Scope::Trash)
        m_sort = {KeyColumn::DeletedAt, Qt::DescendingOrder};
}

void KeyTableModel::setFilter(KeyFilter filter)
{
    filter.scope = m_filter.scope;
    m_filter = std::move(filter);
    reload();
}

std::optional<KeyColumn> KeyTableModel::sortColumn(int column) const
{
    switch (column) {
    case KeyCol:
        return KeyColumn::Key;
    case ProductCol:
        return KeyColumn::Product;
    case StatusCol:
        return KeyColumn::Status;
    case CustomerCol:
        return KeyColumn::CustomerName;
    case EmailCol:
        return KeyColumn::CustomerEmail;
    case ExpiresCol:
        return KeyColumn::ExpiresAt;
    case TokensCol:
        return KeyColumn::Tokens;
    case CreatedCol:
        return KeyColumn::CreatedAt;
    case ChangedCol:
        return m_filter.scope == KeyFilter::Scope::Trash ? KeyColumn::DeletedAt : KeyColumn::UpdatedAt;
    default:
        return std::nullopt;
    }
}

int KeyTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return role == Qt::DisplayRole ? QVariant(QLocale().toString(section + 1)) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyCol:
        return tr("License key");
    case ProductCol:
        return tr("Product");
    case StatusCol:
        return tr("Status");
    case CustomerCol:
        return tr("Customer");
    case EmailCol:
        return tr("Email");
    case ExpiresCol:
        return tr("Expires");
    case TokensCol:
        return tr("Tokens");
    case CreatedCol:
        return tr("Created");
    case ChangedCol:
        return m_filter.scope == KeyFilter::Scope::Trash ? tr("Deleted") : tr("Updated");
    default:
        return {};
    }
}

Qt::ItemFlags KeyTableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

void KeyTableModel::sort(int column, Qt::SortOrder order)
{
    const auto key = sortColumn(column);
    if (!key || (m_sort.column == *key && m_sort.order == order))
        return;
    m_sort = {*key, order};
    reorder();
}

QString KeyTableModel::statusText(const LicenseKey& key, const QDateTime& now)
{
    switch (key.effectiveStatus(now)) {
    case KeyStatus::Active:
        return tr("Active");
    case KeyStatus::Suspended:
        return tr("Suspended");
    case KeyStatus::Expired:
        return tr("Expired");
    case KeyStatus::Revoked:
        switch (key.revokeReason) {
        case RevokeReason::Refund:
            return tr("Revoked (refund)");
        case RevokeReason::Chargeback:
            return tr("Revoked (chargeback)");
        case RevokeReason::Abuse:
            return tr("Revoked (abuse)");
        default:
            return tr("Revoked");
        }
    }
    return {};
}

QColor KeyTableModel::statusColor(KeyStatus status)
{
    // Mid tones that read on light and dark backgrounds alike.
    switch (status) {
    case KeyStatus::Active:
        return QColor(0x2e, 0x9d, 0x4f);
    case KeyStatus::Suspended:
        return QColor(0xd9, 0x82, 0x2b);
    case KeyStatus::Revoked:
        return QColor(0xd6, 0x45, 0x45);
    case KeyStatus::Expired:
        return QColor(0x8a, 0x8a, 0x8a);
    }
    return {};
}

QVariant KeyTableModel::rowData(const LicenseKey& key, int column, int role) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (role == IdRole)
        return key.id;
    if (role == KeyRole)
        return key.key;
    if (role == Qt::DisplayRole) {
        switch (column) {
        case KeyCol:
            return key.key;
        case ProductCol:
            return key.productName;
        case StatusCol:
            return statusText(key, now);
        case CustomerCol:
            return key.customerName;
        case EmailCol:
            return key.customerEmail;
        case ExpiresCol:
            return key.expiresAt.isValid() ? dateText(key.expiresAt) : tr("Never");
        case TokensCol:
            return key.tokenBalance ? QLocale().toString(*key.tokenBalance) : QString();
        case CreatedCol:
            return dateText(key.createdAt);
        case ChangedCol:
            return dateText(m_filter.scope == KeyFilter::Scope::Trash ? key.deletedAt : key.updatedAt);
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && column == StatusCol)
        return statusColor(key.effectiveStatus(now));
    if (role == Qt::FontRole && column == KeyCol)
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (role == Qt::TextAlignmentRole && column == TokensCol)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case ExpiresCol:
            return dateTimeTooltip(key.expiresAt);
        case CreatedCol:
            return dateTimeTooltip(key.createdAt);
        case ChangedCol:
            return dateTimeTooltip(m_filter.scope == KeyFilter::Scope::Trash ? key.deletedAt : key.updatedAt);
        case StatusCol:
            return key.revokedAt.isValid() ? tr("Revoked on %1").arg(dateTimeTooltip(key.revokedAt))
                                           : QString();
        default:
            return {};
        }
    }
    return {};
}

void KeyTableModel::fetchRows(qint64 offset, int limit, int lane, Reply<std::vector<LicenseKey>> reply)
{
    KeyPageRequest request{m_filter, m_sort, offset, limit};
    m_backend->keyPage(request, lane, this, [reply = std::move(reply)](const Result<KeyPage>& page) {
        if (!page)
            reply(page.error());
        else
            reply(page->rows);
    });
}

void KeyTableModel::fetchCount(int lane, Reply<qint64> reply)
{
    m_backend->keyCount(m_filter, lane, this, std::move(reply));
}

bool KeyTableModel::fetchIndex(int lane, Reply<qint64> reply)
{
    m_backend->prepareIndex(m_filter, m_sort, lane, this, std::move(reply));
    return true;
}

} // namespace keyward
