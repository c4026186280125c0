#pragma once

#include "LicenseKey.h"

#include <QDateTime>
#include <QString>
#include <QVariantList>

#include <optional>

namespace keyward {

enum class SqlDialect;

// Columns a key list can be sorted by. Only these map to SQL, so a sort can never inject SQL.
enum class KeyColumn
{
    Id,
    Key,
    Product,
    Status,
    CustomerName,
    CustomerEmail,
    CreatedAt,
    UpdatedAt,
    ExpiresAt,
    Tokens,
    DeletedAt
};

QString keyColumnName(KeyColumn column); // "key", "product", ... as used by the CLI and API
std::optional<KeyColumn> keyColumnFromName(const QString& name);

struct KeyFilter
{
    // Substring scans; the prefixes seek an index and are instant on any number of keys.
    enum class TextMatch
    {
        Substring,
        Prefix,
        EmailPrefix
    };
    enum class Scope
    {
        Live,
        Trash,
        All
    };

    std::optional<qint64> productId;
    std::optional<KeyStatus> status; // effective status: an active key past expiry counts as expired
    QDateTime expiresFrom;           // inclusive
    QDateTime expiresTo;             // exclusive
    QString text;
    TextMatch match = TextMatch::Substring; // Prefix: the key starts with text; EmailPrefix: the email does
    Scope scope = Scope::Live;
};

struct KeySort
{
    KeyColumn column = KeyColumn::Id;
    Qt::SortOrder order = Qt::AscendingOrder;
};

// Turns a filter and a sort into SQL over "license_keys k" (joined with "products p").
class KeyQuery
{
public:
    struct Fragment
    {
        QString sql; // " WHERE ..." or empty
        QVariantList values;
    };

    static Fragment where(const KeyFilter& filter, SqlDialect dialect, const QDateTime& now);
    static QString orderBy(const KeySort& sort);
    static QString sortExpression(KeyColumn column);
    // Whether the column can hold NULL (such rows sort as one block: first or last, by dialect).
    static bool nullable(KeyColumn column);
    // The order of one column without the id tie-breaker, e.g. " ORDER BY k.id DESC".
    static QString orderByIdOnly(Qt::SortOrder order);
};

} // namespace keyward
