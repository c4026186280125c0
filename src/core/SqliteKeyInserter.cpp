#include "SqliteKeyInserter.h"

#include "Database.h"

#include <QSqlDriver>
#include <QSqlError>

#include "SqliteHandle.h"

namespace keyward {

#ifdef KEYWARD_HAVE_SQLITE3

struct SqliteKeyInserter::Statement
{
    sqlite3* db = nullptr;
    sqlite3_stmt* stmt = nullptr;
};

namespace {

using sqlite::handleOf;

void bindText(sqlite3_stmt* stmt, int index, const QByteArray& utf8)
{
    sqlite3_bind_text(stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

void bindOptional(sqlite3_stmt* stmt, int index, const std::optional<qint64>& value)
{
    if (value)
        sqlite3_bind_int64(stmt, index, *value);
    else
        sqlite3_bind_null(stmt, index);
}

} // namespace

bool SqliteKeyInserter::available(const Database& db)
{
    return handleOf(db) != nullptr;
}

SqliteKeyInserter::SqliteKeyInserter(Database& db) : m_db(db) {}

SqliteKeyInserter::~SqliteKeyInserter()
{
    if (m_statement)
        sqlite3_finalize(m_statement->stmt);
    delete m_statement;
}

Result<int> SqliteKeyInserter::insert(qint64 productId, const std::vector<NewKey>& keys, const QDateTime& now)
{
    auto failure = [&](sqlite3* db, int code) -> Error {
        return m_db.translate(QSqlError(QStringLiteral("inserting keys"),
                                        QString::fromUtf8(sqlite3_errmsg(db)), QSqlError::StatementError,
                                        QString::number(code)),
                              QStringLiteral("inserting keys"));
    };
    sqlite3* db = handleOf(m_db);
    if (!db)
        return makeError(ErrorKind::Internal, QStringLiteral("The SQLite connection is not available."));
    if (!m_statement || m_statement->db != db) {
        if (m_statement)
            sqlite3_finalize(m_statement->stmt);
        delete m_statement;
        m_statement = new Statement{db, nullptr};
        const char* sql =
            "INSERT INTO license_keys (product_id, license_key, status, customer_name, customer_email, "
            "notes, created_at, updated_at, expires_at, max_domains, max_uuids, token_balance) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
            "ON CONFLICT DO NOTHING"; // no target: also valid while an import has the key index dropped
        if (const int rc =
                sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement->stmt, nullptr);
            rc != SQLITE_OK)
            return failure(db, rc);
    }
    sqlite3_stmt* stmt = m_statement->stmt;
    const qint64 nowMs = now.toMSecsSinceEpoch();
    int inserted = 0;
    for (const NewKey& k : keys) {
        sqlite3_bind_int64(stmt, 1, productId);
        bindText(stmt, 2, k.key.toUtf8());
        bindText(stmt, 3, keyStatusToString(k.status).toUtf8());
        bindText(stmt, 4, k.customerName.toUtf8());
        bindText(stmt, 5, k.customerEmail.toUtf8());
        bindText(stmt, 6, k.notes.toUtf8());
        sqlite3_bind_int64(stmt, 7, k.createdAt.isValid() ? k.createdAt.toMSecsSinceEpoch() : nowMs);
        sqlite3_bind_int64(stmt, 8, nowMs);
        bindOptional(stmt, 9,
                     k.expiresAt.isValid() ? std::optional<qint64>(k.expiresAt.toMSecsSinceEpoch())
                                           : std::nullopt);
        bindOptional(stmt, 10, k.maxDomains ? std::optional<qint64>(*k.maxDomains) : std::nullopt);
        bindOptional(stmt, 11, k.maxUuids ? std::optional<qint64>(*k.maxUuids) : std::nullopt);
        bindOptional(stmt, 12, k.tokenBalance);
        const int rc = sqlite3_step(stmt);
        sqlite3_reset(stmt);
        if (rc != SQLITE_DONE)
            return failure(db, rc);
        inserted += sqlite3_changes(db);
    }
    sqlite3_clear_bindings(stmt);
    return inserted;
}

#else // no sqlite3 headers: QtSql does all the work

struct SqliteKeyInserter::Statement
{};

bool SqliteKeyInserter::available(const Database&)
{
    return false;
}

SqliteKeyInserter::SqliteKeyInserter(Database& db) : m_db(db) {}
SqliteKeyInserter::~SqliteKeyInserter()
{
    delete m_statement;
}

Result<int> SqliteKeyInserter::insert(qint64, const std::vector<NewKey>&, const QDateTime&)
{
    return makeError(ErrorKind::Internal, QStringLiteral("Built without the direct SQLite path."));
}

#endif

} // namespace keyward
