#pragma once

#include "JobControl.h"
#include "KeysetIndex.h"
#include "Result.h"

#include <QVariantList>

#include <optional>

namespace keyward {

class Database;

// Builds a KeysetIndex by stepping the ordering's SELECT (sort value, id) on the connection's own
// sqlite3 handle: a scan of ten million index entries takes about as long as SQLite needs for it,
// where reading each row through QtSql would cost several times more. nullopt when the
// connection has no usable handle (then the caller scans through QtSql).
class SqliteKeysetScan
{
public:
    static std::optional<Result<KeysetIndex>> run(const Database& db, const QString& sql,
                                                  const QVariantList& values, KeysetIndex index,
                                                  const JobControl& control);
};

} // namespace keyward
