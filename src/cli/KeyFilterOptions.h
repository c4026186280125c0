#pragma once

#include "KeyQuery.h"
#include "Result.h"

#include <QCommandLineParser>

namespace keyward {
class Store;
}

namespace keyward::cli {

// The filter options shared by "keys list", "export" and "keys delete --filter".
class KeyFilterOptions
{
public:
    void addTo(QCommandLineParser& parser);
    // Builds the filter; resolves --product by name in the store.
    Result<KeyFilter> read(const QCommandLineParser& parser, Store& store) const;
    bool anySet(const QCommandLineParser& parser) const;

private:
    QCommandLineOption m_product{QStringLiteral("product"), QStringLiteral("Only keys of this product."),
                                 QStringLiteral("NAME")};
    QCommandLineOption m_status{
        QStringLiteral("status"),
        QStringLiteral("Only keys with this status: active, suspended, revoked, expired."),
        QStringLiteral("S")};
    QCommandLineOption m_search{QStringLiteral("search"),
                                QStringLiteral("Keys whose key, customer name, email or notes contain TEXT."),
                                QStringLiteral("TEXT")};
    QCommandLineOption m_startsWith{QStringLiteral("starts-with"),
                                    QStringLiteral("Keys that start with PREFIX."), QStringLiteral("PREFIX")};
    QCommandLineOption m_expiresAfter{QStringLiteral("expires-after"),
                                      QStringLiteral("Keys expiring on or after this date (YYYY-MM-DD)."),
                                      QStringLiteral("DATE")};
    QCommandLineOption m_expiresBefore{QStringLiteral("expires-before"),
                                       QStringLiteral("Keys expiring before this date (YYYY-MM-DD)."),
                                       QStringLiteral("DATE")};
    QCommandLineOption m_trash{QStringLiteral("trash"),
                               QStringLiteral("Keys in the trash instead of live keys.")};
};

} // namespace keyward::cli
