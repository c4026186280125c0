#pragma once

#include "KeyFormat.h"
#include "SecureRandom.h"

#include <QString>

#include <vector>

namespace keyward {

// Produces random keys of one format, one at a time (callers stream them; nothing is kept).
// Uniqueness against the store is the store's job: it refuses duplicates and asks for more.
class KeyGenerator
{
public:
    explicit KeyGenerator(KeyFormat format);

    QString next();
    const KeyFormat& format() const { return m_format; }

private:
    KeyFormat m_format;
    SecureRandom m_random;
    QString m_template;
    std::vector<int> m_values;
};

} // namespace keyward
