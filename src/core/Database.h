#pragma once

#include "DatabaseLocation.h"
#include "Result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

class QSqlError;

namespace keyward {

enum class SqlDialect
{
    Sqlite,
    Postgres
};

// One QtSql connection to a Keyward database, with its schema brought up to date. A Database is
// used from the thread that opened it (a QtSql rule); workers open their own.
class Database
{
public:
    struct Options
    {
        bool create = false;   // create the file or schema when it does not exist yet
        bool readOnly = false; // open without writing (no migrations)
        int busyTimeoutMs = 5000;
        int sqliteCacheKiB = 65536; // page cache of this connection (readers of a big table need less)
    };

    static Result<std::unique_ptr<Database>> open(const DatabaseLocation& location, const Options& options);
    // For a process whose threads each keep their own SQLite connection (keywardd): SQLite then
    // needs no lock around every call on a connection and no global one around its allocations.
    // Only takes effect before the first connection opens; false when it did not.
    static bool useSqliteConnectionPerThread();
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    SqlDialect dialect() const { return m_dialect; }
    bool isSqlite() const { return m_dialect == SqlDialect::Sqlite; }
    const DatabaseLocation& location() const { return m_location; }
    bool readOnly() const { return m_options.readOnly; }
    QSqlDatabase connection() const;
    int schemaVersion() const { return m_schemaVersion; }

    // Prepares, binds positional values and runs one statement. Errors carry a clear message.
    Result<QSqlQuery> exec(const QString& sql, const QVariantList& values = {}) const;
    // A SELECT that returns one integer (COUNT, MAX...); 0 when it returns no row or NULL.
    Result<qint64> scalar(const QString& sql, const QVariantList& values = {}) const;

    // While set, statements stop early once *flag becomes true (SQLite only; they fail with
    // ErrorKind::Cancelled). Lets a newer request end a long scan it replaces.
    void setCancelFlag(const std::atomic<bool>* flag);

    // Maps a QtSql error to an Error a person can act on; `doing` says what was attempted.
    Error translate(const QSqlError& error, const QString& doing) const;

    // A subquery listing the elements of one JSON-array parameter, e.g. "x IN (<listSql>)" bound to
    // jsonList(values): one parameter for any number of values (statements with thousands of
    // placeholders are slow to prepare).
    QString listSql(bool integers) const;
    static QString jsonList(const QStringList& values);
    static QString jsonList(const std::vector<qint64>& values, size_t from, size_t to);

    // Case-insensitive LIKE for this dialect.
    QString ilike() const { return isSqlite() ? QStringLiteral("LIKE") : QStringLiteral("ILIKE"); }

private:
    friend class Transaction;
    friend class Migrations;
    Database(DatabaseLocation location, Options options);
    Status connect();
    Status configureSqlite();
    Status enableWriteAheadLog();
    // BEGIN, COMMIT, SAVEPOINT...: on SQLite prepared once per connection and re-run (preparing
    // them costs as much as a small transaction's work); elsewhere run directly.
    Status execControl(const QString& sql);

    DatabaseLocation m_location;
    Options m_options;
    SqlDialect m_dialect = SqlDialect::Sqlite;
    QString m_connectionName;
    int m_schemaVersion = 0;
    int m_transactionDepth = 0;
    std::vector<std::pair<QString, std::unique_ptr<QSqlQuery>>> m_controlStatements;
};

// A scoped transaction: rolled back unless commit() succeeds. Nested scopes use savepoints, so a
// helper can open one without caring whether its caller already did. On SQLite the outermost
// scope takes the write lock at once (BEGIN IMMEDIATE) so concurrent writers wait on the busy
// timeout instead of failing half way.
class Transaction
{
public:
    enum class Kind
    {
        Write, // SQLite: takes the write lock at once
        Read   // SQLite: a consistent view for several reads, without the write lock
    };

    explicit Transaction(Database& db, Kind kind = Kind::Write);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    bool ok() const { return m_status.ok(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_status.error(); }
    Status commit();
    void rollback();

private:
    Database& m_db;
    Status m_status;
    int m_depth = 0;
    bool m_open = false;
};

} // namespace keyward
