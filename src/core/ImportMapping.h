#pragma once

#include "Result.h"

#include <QStringList>

#include <array>
#include <optional>

namespace keyward {

// The license-key fields an import file can fill.
enum class ImportField
{
    Key,
    CustomerName,
    CustomerEmail,
    ExpiresAt,
    Notes,
    Status,
    MaxDomains,
    MaxUuids,
    Tokens,
    RevokeReason,
    CreatedAt,
};
constexpr int kImportFieldCount = 11;

QString importFieldName(ImportField field); // "key", "customer_name", ...
std::optional<ImportField> importFieldFromName(const QString& name);

// Which column of the file feeds which field (-1: none). Guessed from the header names, with
// common variants ("license", "e-mail", "expiry date"...), and adjustable by hand.
class ImportMapping
{
public:
    static ImportMapping guess(const QStringList& columns);
    // The guess, then each "field=column" assignment over it (the CLI's --map, the admin API's map=).
    static Result<ImportMapping> guess(const QStringList& columns, const QStringList& assignments);

    int column(ImportField field) const { return m_columns[size_t(field)]; }
    bool isMapped(ImportField field) const { return column(field) >= 0; }
    void set(ImportField field, int column) { m_columns[size_t(field)] = column; }
    // "field=column" with the column by header name or 1-based number, as the CLI's --map takes it.
    Status apply(const QString& assignment, const QStringList& columns);

private:
    std::array<int, kImportFieldCount> m_columns{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
};

} // namespace keyward
