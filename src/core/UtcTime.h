#pragma once

#include <QDateTime>
#include <QTimeZone>

// UTC date-times without the Qt::TimeSpec overloads that Qt 6.8 deprecates. Qt 6.4 has no
// lightweight QTimeZone::UTC (its QTimeZone::utc() is a full time zone, slower in arithmetic and
// with another timeSpec()), so there the spec stays.
namespace keyward {

inline QDateTime utcDateTime(QDate date, QTime time)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    return QDateTime(date, time, QTimeZone::UTC);
#else
    return QDateTime(date, time, Qt::UTC);
#endif
}

inline QDateTime utcFromMSecs(qint64 msecs)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    return QDateTime::fromMSecsSinceEpoch(msecs, QTimeZone::UTC);
#else
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
#endif
}

// The same wall-clock date and time, read as UTC.
inline void setUtc(QDateTime& dt)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    dt.setTimeZone(QTimeZone::UTC);
#else
    dt.setTimeSpec(Qt::UTC);
#endif
}

} // namespace keyward
