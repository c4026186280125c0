#pragma once

#include "KeysetIndex.h"

#include <QHash>

#include <memory>
#include <mutex>
#include <optional>

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

    // Row counts of filters, for reading deep pages from the end before an index exists.
    std::optional<qint64> count(const QString& filterSignature) const
    {
        std::lock_guard lock(m_mutex);
        auto it = m_counts.constFind(filterSignature);
        return it == m_counts.constEnd() ? std::nullopt : std::optional<qint64>(*it);
    }

    void setCount(const QString& filterSignature, qint64 rows, quint64 generation)
    {
        std::lock_guard lock(m_mutex);
        if (generation != m_generation)
            return;
        if (m_counts.size() >= 64)
            m_counts.clear();
        m_counts.insert(filterSignature, rows);
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
        m_counts.clear();
    }

private:
    mutable std::mutex m_mutex;
    QHash<QString, std::shared_ptr<const KeysetIndex>> m_entries;
    QHash<QString, qint64> m_counts;
    quint64 m_generation = 0;
};

} // namespace keyward
