#pragma once

#include <QString>

namespace keyward {

// What logs and evidence may show of a license key: its last four characters, and only for keys
// long enough that four characters give nothing away. Never the whole key.
inline QString keyHint(const QString& key)
{
    const QString trimmed = key.trimmed();
    if (trimmed.size() < 12)
        return {};
    return QStringLiteral("...") + trimmed.right(4);
}

} // namespace keyward
