#pragma once

#include <QHash>
#include <QString>

#include <algorithm>
#include <vector>

namespace keyward {

// A set of license keys, each stored as two independent 64-bit hashes (a 128-bit fingerprint) with
// a value: 24 bytes per key instead of the key itself, in one open-addressing table (no allocation
// per key; an import runs this for every row of a million-row file). Two different keys share a
// fingerprint with a probability of about 2^-128; callers that must be exact confirm a hit.
class KeyFingerprints
{
public:
    // The value already stored for this key; or 0, and `value` (not 0) is stored for it.
    qint64 claim(const QString& key, qint64 value)
    {
        if (2 * (m_used + 1) > m_slots.size())
            grow();
        const Fingerprint f = fingerprint(key);
        Slot& slot = m_slots[indexOf(f)];
        if (slot.value)
            return slot.value;
        slot = Slot{f.first, f.second, value};
        ++m_used;
        return 0;
    }

    // The value stored for this key, or 0.
    qint64 value(const QString& key) const
    {
        if (m_slots.empty())
            return 0;
        return m_slots[indexOf(fingerprint(key))].value;
    }

    size_t size() const { return m_used; }

private:
    struct Fingerprint
    {
        quint64 first;
        quint64 second;
    };
    struct Slot
    {
        quint64 first = 0;
        quint64 second = 0;
        qint64 value = 0; // 0: empty
    };

    static Fingerprint fingerprint(const QString& key)
    {
        return {qHash(key, size_t(0x9E3779B97F4A7C15ull)), qHash(key, size_t(0xC2B2AE3D27D4EB4Full))};
    }

    // The slot holding this fingerprint, or the empty one where it belongs (linear probing).
    size_t indexOf(Fingerprint f) const
    {
        const size_t mask = m_slots.size() - 1;
        for (size_t i = size_t(f.first) & mask;; i = (i + 1) & mask) {
            const Slot& slot = m_slots[i];
            if (!slot.value || (slot.first == f.first && slot.second == f.second))
                return i;
        }
    }

    void grow()
    {
        std::vector<Slot> old(std::max<size_t>(1024, 2 * m_slots.size()));
        old.swap(m_slots);
        for (const Slot& slot : old) {
            if (slot.value)
                m_slots[indexOf({slot.first, slot.second})] = slot;
        }
    }

    std::vector<Slot> m_slots;
    size_t m_used = 0;
};

} // namespace keyward
