#include "DateParsing.h"

#include "UtcTime.h"

namespace keyward {

std::optional<QDateTime> parseIsoDateTime(const QString& text, bool endOfDay)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    if (t.size() == 10) {
        const QDate date = QDate::fromString(t, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        return utcDateTime(date, endOfDay ? QTime(23, 59, 59) : QTime(0, 0));
    }
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(t, Qt::ISODate);
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime)
        setUtc(dt); // no offset given: the file means UTC
    return dt.toUTC();
}

} // namespace keyward
