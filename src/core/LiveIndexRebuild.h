#pragma once

#include "Result.h"

#include <QString>

#include <vector>

namespace keyward {

class Database;

// Bulk changes to license keys on SQLite: the partial indexes over live keys ("... WHERE
// deleted_at IS NULL", one per sortable column) are dropped for the change and built again after
// it, because building an index by sorting is far cheaper than a million random entries added to
// or taken out of each (measured: a 1M-row import or trash about twice as fast). Used inside the
// caller's transaction, so a rollback brings the indexes back as they were. Other dialects: no-op.
class LiveIndexRebuild
{
public:
    // Worth it when the change touches at least this many keys and at least as many as are live
    // (deleting: half of them; the break-even measured near 40%).
    static constexpr qint64 kMinimumKeys = 20000;
    static bool worthIt(qint64 changedKeys, qint64 liveKeys, double share)
    {
        return changedKeys >= kMinimumKeys && double(changedKeys) >= share * double(liveKeys);
    }

    // An import of at least as many keys as the store has at all may drop the unique index on the
    // key too (it then has to find the keys already stored another way: KeyImport remembers them).
    enum Scope
    {
        LiveOnly,
        WithKeyIndex,
    };

    explicit LiveIndexRebuild(Database& db) : m_db(db) {}
    Status drop(Scope scope = LiveOnly);
    Status rebuild(); // builds what drop() removed, once (the unique index first: a duplicate fails fast)
    bool active() const { return !m_indexes.empty(); }

private:
    struct Index
    {
        QString name;
        QString sql;
    };
    Database& m_db;
    std::vector<Index> m_indexes;
};

} // namespace keyward
