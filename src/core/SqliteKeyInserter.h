#pragma once

#include "LicenseKey.h"
#include "Result.h"

#include <QDateTime>

#include <vector>

namespace keyward {

class Database;

// The bulk path for new keys on SQLite: one prepared single-row INSERT on the connection's own
// sqlite3 handle, re-bound per row, as the raw C API is used at its fastest. QtSql's value binding
// costs about as much as SQLite's own work for these rows. Only built when the sqlite3 headers
// are there (Debian: libsqlite3-dev) and only used when Qt's driver runs on the same library.
class SqliteKeyInserter
{
public:
    explicit SqliteKeyInserter(Database& db);
    ~SqliteKeyInserter();
    SqliteKeyInserter(const SqliteKeyInserter&) = delete;
    SqliteKeyInserter& operator=(const SqliteKeyInserter&) = delete;

    // False when the connection offers no usable sqlite3 handle (then use QtSql).
    static bool available(const Database& db);
    // Inserts keys, leaving out those that already exist; returns how many were inserted.
    Result<int> insert(qint64 productId, const std::vector<NewKey>& keys, const QDateTime& now);

private:
    Database& m_db;
    struct Statement;
    Statement* m_statement = nullptr;
};

} // namespace keyward
