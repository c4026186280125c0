#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace keyward {

// ISO 8601 input as people and files give it: "2027-01-31" (a whole day: with endOfDay it means
// 23:59:59 UTC of that day, otherwise 00:00 UTC) or a date-time with an offset or Z (UTC if none).
std::optional<QDateTime> parseIsoDateTime(const QString& text, bool endOfDay = true);

} // namespace keyward
