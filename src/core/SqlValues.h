#pragma once

#include "UtcTime.h"

#include <QDateTime>
#include <QString>
#include <QVariant>

#include <optional>

// Conversions between domain values and the portable column types of the schema: times are
// BIGINT milliseconds since the epoch (UTC), flags are 0/1 integers, absent values are NULL.
namespace keyward::sql {

inline QVariant time(const QDateTime& t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qlonglong>());
}

inline QDateTime toTime(const QVariant& v)
{
    return v.isNull() ? QDateTime() : utcFromMSecs(v.toLongLong());
}

template<typename T>
QVariant optional(const std::optional<T>& v)
{
    return v ? QVariant::fromValue(*v) : QVariant(QMetaType::fromType<T>());
}

inline std::optional<int> toOptionalInt(const QVariant& v)
{
    return v.isNull() ? std::nullopt : std::optional<int>(v.toInt());
}

inline std::optional<qint64> toOptionalInt64(const QVariant& v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

// A null QString binds as SQL NULL; text columns are NOT NULL with '' for "nothing".
inline QVariant text(const QString& s)
{
    return s.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(s);
}

// Escapes LIKE's wildcards; use with ESCAPE '\\'.
inline QString escapeLike(QString text)
{
    text.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    text.replace(QLatin1Char('%'), QLatin1String("\\%"));
    text.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return text;
}

inline QVariant flag(bool b)
{
    return b ? 1 : 0;
}

} // namespace keyward::sql
