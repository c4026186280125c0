#include "LiveIndexRebuild.h"

#include "Database.h"

namespace keyward {

// The indexes as the schema has them, so whatever a later migration adds is rebuilt the same way.
Status LiveIndexRebuild::drop(Scope scope)
{
    if (!m_db.isSqlite() || active())
        return {};
    auto q =
        m_db.exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                                 "'license_keys' AND (sql LIKE '%WHERE deleted_at IS NULL' OR name = ?) "
                                 "ORDER BY name = 'license_keys_key_uq' DESC, name"),
                  {scope == WithKeyIndex ? QStringLiteral("license_keys_key_uq") : QString()});
    if (!q)
        return q.error();
    std::vector<Index> indexes;
    while (q->next())
        indexes.push_back({q->value(0).toString(), q->value(1).toString()});
    q->finish(); // no statement may read the table while its indexes are dropped
    for (const Index& index : indexes) {
        if (auto r = m_db.exec(QStringLiteral("DROP INDEX \"%1\"").arg(index.name)); !r)
            return r.error();
    }
    m_indexes = std::move(indexes);
    return {};
}

Status LiveIndexRebuild::rebuild()
{
    for (const Index& index : m_indexes) {
        if (auto r = m_db.exec(index.sql); !r)
            return r.error();
    }
    m_indexes.clear();
    return {};
}

} // namespace keyward
