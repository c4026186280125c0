#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace keyward {

class Database;

// One prepared statement on an SQLite connection's own sqlite3 handle, for statements run by the
// thousand (the request log, the key lookup of every validation): going through QtSql costs more
// than SQLite's own work for them. available() is false without the sqlite3 headers, on
// PostgreSQL, or when Qt's driver uses another SQLite library; callers then use QtSql.
class SqliteStatement
{
public:
    SqliteStatement(Database& db, QByteArray sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    static bool available(const Database& db);

    // Once before a run of binds and steps: (re)prepares when the connection changed.
    Status prepare();
    // Bind the values of one execution (1-based).
    void bindInt(int index, qint64 value);
    void bindOptional(int index, const std::optional<qint64>& value);
    void bindText(int index, const QString& text);
    // Runs a statement without result rows, then makes it ready for the next binds.
    Status step();
    // Runs a query: each call brings the next row (true) or the end (false); then reset().
    Result<bool> next();
    void reset();
    // Columns of the current row (0-based).
    bool isNull(int column) const;
    qint64 integer(int column) const;
    QString text(int column) const;

private:
    Status failure(int code, const QString& during) const;

    Database& m_db;
    QByteArray m_sql;
    struct Handle;
    Handle* m_handle = nullptr;
};

} // namespace keyward
