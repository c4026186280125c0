#pragma once

#include "KeysetIndex.h"

#include <QHash>

#include <memory>
#include <mutex>

namespace keyward {

// The keyset indexes of the orderings the tables show, shared by the worker that builds them and
// the one that reads pages. Any change to the keys makes them all stale.
class KeysetCache
{
public:
    static constexpr int kMaxEntries = 8;

    std::shared_ptr<const KeysetIndex> find(const QString& signature) const
    {
        std::lock_guard lock(m_mutex);
        return m_entries.value(signature);
    }

    void insert(std::shared_ptr<const KeysetIndex> index, quint64 generation)
    {
        std::lock_guard lock(m_mutex);
        if (generation != m_generation)
            return; // built before a change: already stale
        if (m_entries.size() >= kMaxEntries)
            m_entries.clear();
        m_entries.insert(index->signature, std::move(index));
    }

    // The generation an index built from now on belongs to.
    quint64 generation() const
    {
        std::lock_guard lock(m_mutex);
        return m_generation;
    }

    void invalidate()
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
        m_entries.clear();
    }

private:
    mutable std::mutex m_mutex;
    QHash<QString, std::shared_ptr<const KeysetIndex>> m_entries;
    quint64 m_generation = 0;
};

} // namespace keyward
