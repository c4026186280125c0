#pragma once

#include "PreparedQuery.h"
#include "Result.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace keyward {

class Database;

struct UsageDay
{
    qint64 productId = 0;
    QString day; // YYYY-MM-DD, UTC
    qint64 count = 0;
};

// Requests counted per product per UTC day against the product's daily limit. The check and the
// count are one conditional statement in the database, so any number of threads and server
// processes sharing the database together never grant more than the limit. One per connection.
class DailyQuota
{
public:
    explicit DailyQuota(Database& db);

    static QString dayOf(const QDateTime& utc);
    // Whole seconds from now until the next midnight UTC, at least 1 (for Retry-After).
    static qint64 secondsUntilReset(const QDateTime& now);

    // Counts up to `wanted` requests of the product on the UTC day of `now`, never beyond `limit`
    // (nullopt: unlimited), and returns how many it counted: the requests that may be answered.
    Result<qint64> grant(qint64 productId, std::optional<qint64> limit, qint64 wanted, const QDateTime& now);
    Result<qint64> count(qint64 productId, const QDateTime& now) const;
    // Counts per product and day, oldest first; empty days are not listed.
    Result<std::vector<UsageDay>> usage(std::optional<qint64> productId, const QString& fromDay,
                                        const QString& toDay) const;

private:
    Database& m_db;
    PreparedQuery m_limited;
    PreparedQuery m_unlimited;
};

} // namespace keyward
