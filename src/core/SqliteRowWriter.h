#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace keyward {

class Database;

// One prepared statement on an SQLite connection's own sqlite3 handle, for rows written by the
// thousand (the request log): binding through QtSql costs more than SQLite's work for such rows.
// available() is false without the sqlite3 headers, on PostgreSQL, or when Qt's driver uses
// another SQLite library; callers then use QtSql.
class SqliteRowWriter
{
public:
    SqliteRowWriter(Database& db, QByteArray sql);
    ~SqliteRowWriter();
    SqliteRowWriter(const SqliteRowWriter&) = delete;
    SqliteRowWriter& operator=(const SqliteRowWriter&) = delete;

    static bool available(const Database& db);

    // Bind the columns of one row (1-based), then step().
    void bindInt(int index, qint64 value);
    void bindOptional(int index, const std::optional<qint64>& value);
    void bindText(int index, const QString& text);
    Status step();

private:
    Status prepare();

    Database& m_db;
    QByteArray m_sql;
    struct Handle;
    Handle* m_handle = nullptr;
};

} // namespace keyward
