#pragma once

#include "Database.h"

#ifdef KEYWARD_HAVE_SQLITE3
#include <QSqlDriver>

#include <sqlite3.h>

namespace keyward::sqlite {

// The connection's own sqlite3 handle, for the few hot paths where QtSql's per-value overhead
// costs as much as SQLite's work; nullptr when there is none or Qt's driver was built against
// another SQLite than we were.
inline sqlite3* handleOf(const Database& db)
{
    if (!db.isSqlite() || sqlite3_libversion_number() != SQLITE_VERSION_NUMBER)
        return nullptr;
    const QVariant handle = db.connection().driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.data());
}

} // namespace keyward::sqlite
#endif
