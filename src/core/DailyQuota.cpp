#include "DailyQuota.h"

#include "Database.h"
#include "UtcTime.h"

namespace keyward {
namespace {

// One upsert: a new day's row starts with what fits; an existing row grows by what still fits,
// and only while it is below the limit. All SET expressions read the row as it was, so last_grant
// records exactly what this statement added. The casts give PostgreSQL the parameter types.
// Values: product, day, then (wanted, limit) three times, then limit.
QString limitedSql(bool sqlite)
{
    const QString least = sqlite ? QStringLiteral("MIN") : QStringLiteral("LEAST");
    const QString fits =
        QStringLiteral("%1(CAST(? AS BIGINT), CAST(? AS BIGINT) - usage_counters.count)").arg(least);
    return QStringLiteral("INSERT INTO usage_counters (product_id, day, count, last_grant) "
                          "VALUES (?, ?, %1(CAST(? AS BIGINT), CAST(? AS BIGINT)), %1(CAST(? AS BIGINT), "
                          "CAST(? AS BIGINT))) "
                          "ON CONFLICT (product_id, day) DO UPDATE SET last_grant = %2, count = "
                          "usage_counters.count + %2 "
                          "WHERE usage_counters.count < CAST(? AS BIGINT) RETURNING last_grant")
        .arg(least, fits);
}

// Values: product, day, then wanted four times.
QString unlimitedSql()
{
    return QStringLiteral("INSERT INTO usage_counters (product_id, day, count, last_grant) "
                          "VALUES (?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT)) "
                          "ON CONFLICT (product_id, day) DO UPDATE SET last_grant = CAST(? AS BIGINT), "
                          "count = usage_counters.count + CAST(? AS BIGINT) RETURNING last_grant");
}

} // namespace

DailyQuota::DailyQuota(Database& db)
    : m_db(db), m_limited(db, limitedSql(db.isSqlite())), m_unlimited(db, unlimitedSql())
{}

QString DailyQuota::dayOf(const QDateTime& utc)
{
    return utc.toUTC().date().toString(Qt::ISODate);
}

qint64 DailyQuota::secondsUntilReset(const QDateTime& now)
{
    const QDateTime utc = now.toUTC();
    const QDateTime midnight = utcDateTime(utc.date().addDays(1), QTime(0, 0));
    const qint64 ms = utc.msecsTo(midnight);
    return std::max<qint64>(1, (ms + 999) / 1000);
}

Result<qint64> DailyQuota::grant(qint64 productId, std::optional<qint64> limit, qint64 wanted,
                                 const QDateTime& now)
{
    if (wanted <= 0)
        return qint64(0);
    if (limit && *limit <= 0)
        return qint64(0);
    const QString day = dayOf(now);
    const qint64 l = limit.value_or(0);
    auto q = limit ? m_limited.run({productId, day, wanted, l, wanted, l, wanted, l, wanted, l, l})
                   : m_unlimited.run({productId, day, wanted, wanted, wanted, wanted});
    if (!q)
        return q.error();
    QSqlQuery* query = *q;
    const qint64 granted = query->next() ? query->value(0).toLongLong() : 0; // no row: the limit was reached
    query->finish();
    return std::max<qint64>(0, granted);
}

Result<qint64> DailyQuota::count(qint64 productId, const QDateTime& now) const
{
    return m_db.scalar(QStringLiteral("SELECT count FROM usage_counters WHERE product_id = ? AND day = ?"),
                       {productId, dayOf(now)});
}

Result<std::vector<UsageDay>> DailyQuota::usage(std::optional<qint64> productId, const QString& fromDay,
                                                const QString& toDay) const
{
    QString sql =
        QStringLiteral("SELECT product_id, day, count FROM usage_counters WHERE day >= ? AND day <= ?");
    QVariantList values{fromDay, toDay};
    if (productId) {
        sql += QStringLiteral(" AND product_id = ?");
        values << *productId;
    }
    auto q = m_db.exec(sql + QStringLiteral(" ORDER BY day, product_id"), values);
    if (!q)
        return q.error();
    std::vector<UsageDay> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toLongLong()});
    return out;
}

} // namespace keyward
