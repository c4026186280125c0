#include "KeyQuery.h"

#include "Database.h"
#include "SqlValues.h"

#include <array>
#include <utility>

namespace keyward {
namespace {

constexpr std::array<std::pair<KeyColumn, const char*>, 11> kColumnNames = {{
    {KeyColumn::Id, "id"},
    {KeyColumn::Key, "key"},
    {KeyColumn::Product, "product"},
    {KeyColumn::Status, "status"},
    {KeyColumn::CustomerName, "customer_name"},
    {KeyColumn::CustomerEmail, "customer_email"},
    {KeyColumn::CreatedAt, "created_at"},
    {KeyColumn::UpdatedAt, "updated_at"},
    {KeyColumn::ExpiresAt, "expires_at"},
    {KeyColumn::Tokens, "tokens"},
    {KeyColumn::DeletedAt, "deleted_at"},
}};

// The smallest string greater than every string that starts with prefix.
QString prefixUpperBound(QString prefix)
{
    while (!prefix.isEmpty()) {
        const char16_t last = prefix.back().unicode();
        prefix.chop(1);
        if (last < 0xFFFF) {
            prefix.append(QChar(char16_t(last + 1)));
            return prefix;
        }
    }
    return {};
}

} // namespace

QString keyColumnName(KeyColumn column)
{
    for (const auto& [c, name] : kColumnNames) {
        if (c == column)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<KeyColumn> keyColumnFromName(const QString& name)
{
    for (const auto& [c, n] : kColumnNames) {
        if (name.compare(QLatin1String(n), Qt::CaseInsensitive) == 0)
            return c;
    }
    return std::nullopt;
}

QString KeyQuery::sortExpression(KeyColumn column)
{
    switch (column) {
    case KeyColumn::Id:
        return QStringLiteral("k.id");
    case KeyColumn::Key:
        return QStringLiteral("k.license_key");
    case KeyColumn::Product:
        return QStringLiteral("p.name");
    case KeyColumn::Status:
        return QStringLiteral("k.status");
    case KeyColumn::CustomerName:
        return QStringLiteral("k.customer_name");
    case KeyColumn::CustomerEmail:
        return QStringLiteral("k.customer_email");
    case KeyColumn::CreatedAt:
        return QStringLiteral("k.created_at");
    case KeyColumn::UpdatedAt:
        return QStringLiteral("k.updated_at");
    case KeyColumn::ExpiresAt:
        return QStringLiteral("k.expires_at");
    case KeyColumn::Tokens:
        return QStringLiteral("k.token_balance");
    case KeyColumn::DeletedAt:
        return QStringLiteral("k.deleted_at");
    }
    return QStringLiteral("k.id");
}

bool KeyQuery::nullable(KeyColumn column)
{
    return column == KeyColumn::ExpiresAt || column == KeyColumn::Tokens || column == KeyColumn::DeletedAt;
}

QString KeyQuery::orderByIdOnly(Qt::SortOrder order)
{
    return order == Qt::AscendingOrder ? QStringLiteral(" ORDER BY k.id ASC")
                                       : QStringLiteral(" ORDER BY k.id DESC");
}

QString KeyQuery::orderBy(const KeySort& sort)
{
    const QString direction =
        sort.order == Qt::AscendingOrder ? QStringLiteral("ASC") : QStringLiteral("DESC");
    if (sort.column == KeyColumn::Id)
        return QStringLiteral(" ORDER BY k.id ") + direction;
    // id breaks ties so that paging is stable.
    return QStringLiteral(" ORDER BY ") + sortExpression(sort.column) + QLatin1Char(' ') + direction +
           QStringLiteral(", k.id ") + direction;
}

KeyQuery::Fragment KeyQuery::where(const KeyFilter& filter, SqlDialect dialect, const QDateTime& now)
{
    Fragment f;
    QStringList terms;
    auto add = [&](const QString& term, const QVariantList& values = {}) {
        terms << term;
        f.values << values;
    };

    switch (filter.scope) {
    case KeyFilter::Scope::Live:
        add(QStringLiteral("k.deleted_at IS NULL"));
        break;
    case KeyFilter::Scope::Trash:
        add(QStringLiteral("k.deleted_at IS NOT NULL"));
        break;
    case KeyFilter::Scope::All:
        break;
    }
    if (filter.productId)
        add(QStringLiteral("k.product_id = ?"), {*filter.productId});
    if (filter.status) {
        const QVariant nowMs = sql::time(now);
        switch (*filter.status) {
        case KeyStatus::Active:
            add(QStringLiteral("k.status = 'active' AND (k.expires_at IS NULL OR k.expires_at > ?)"),
                {nowMs});
            break;
        case KeyStatus::Expired:
            add(QStringLiteral("(k.status = 'expired' OR (k.status = 'active' AND k.expires_at <= ?))"),
                {nowMs});
            break;
        default:
            add(QStringLiteral("k.status = ?"), {keyStatusToString(*filter.status)});
            break;
        }
    }
    if (filter.expiresFrom.isValid())
        add(QStringLiteral("k.expires_at >= ?"), {sql::time(filter.expiresFrom)});
    if (filter.expiresTo.isValid())
        add(QStringLiteral("k.expires_at < ?"), {sql::time(filter.expiresTo)});

    const QString text = filter.text.trimmed();
    if (!text.isEmpty()) {
        if (filter.match == KeyFilter::TextMatch::EmailPrefix) {
            add(QStringLiteral("k.customer_email >= ? AND k.customer_email < ?"),
                {text, prefixUpperBound(text)});
        } else if (filter.match == KeyFilter::TextMatch::Prefix) {
            // Keys of case-insensitive formats are stored upper-case; mixed-case input can only
            // mean a case-sensitive alphabet. A range on the unique index finds them fast.
            const bool mixedCase = text != text.toUpper() && text != text.toLower();
            const QString prefix = mixedCase ? text : text.toUpper();
            add(QStringLiteral("k.license_key >= ? AND k.license_key < ?"),
                {prefix, prefixUpperBound(prefix)});
        } else {
            const QString like =
                dialect == SqlDialect::Sqlite ? QStringLiteral("LIKE") : QStringLiteral("ILIKE");
            const QString pattern = QLatin1Char('%') + sql::escapeLike(text) + QLatin1Char('%');
            add(QStringLiteral("(k.license_key %1 ? ESCAPE '\\' OR k.customer_email %1 ? ESCAPE '\\' OR "
                               "k.customer_name %1 ? ESCAPE '\\' OR k.notes %1 ? ESCAPE '\\')")
                    .arg(like),
                {pattern, pattern, pattern, pattern});
        }
    }
    if (!terms.isEmpty())
        f.sql = QStringLiteral(" WHERE ") + terms.join(QLatin1String(" AND "));
    return f;
}

} // namespace keyward
