#include "SqliteStatement.h"

#include "Database.h"

#include <QSqlError>

#include "SqliteHandle.h"

namespace keyward {

#ifdef KEYWARD_HAVE_SQLITE3

struct SqliteStatement::Handle
{
    sqlite3* db = nullptr;
    sqlite3_stmt* stmt = nullptr;
};

using sqlite::handleOf;

bool SqliteStatement::available(const Database& db)
{
    return handleOf(db) != nullptr;
}

SqliteStatement::SqliteStatement(Database& db, QByteArray sql) : m_db(db), m_sql(std::move(sql)) {}

SqliteStatement::~SqliteStatement()
{
    if (m_handle)
        sqlite3_finalize(m_handle->stmt);
    delete m_handle;
}

Status SqliteStatement::failure(int code, const QString& during) const
{
    const QString message = m_handle ? QString::fromUtf8(sqlite3_errmsg(m_handle->db)) : QString();
    return m_db.translate(QSqlError(during, message, QSqlError::StatementError, QString::number(code)),
                          during);
}

Status SqliteStatement::prepare()
{
    sqlite3* db = handleOf(m_db);
    if (!db)
        return makeError(ErrorKind::Internal, QStringLiteral("The SQLite connection is not available."));
    if (m_handle && m_handle->db == db)
        return {};
    if (m_handle)
        sqlite3_finalize(m_handle->stmt);
    delete m_handle;
    m_handle = new Handle;
    m_handle->db = db;
    const int code = sqlite3_prepare_v3(db, m_sql.constData(), int(m_sql.size()), SQLITE_PREPARE_PERSISTENT,
                                        &m_handle->stmt, nullptr);
    if (code != SQLITE_OK) {
        const Status s = failure(code, QStringLiteral("preparing a statement"));
        sqlite3_finalize(m_handle->stmt);
        delete m_handle;
        m_handle = nullptr;
        return s;
    }
    return {};
}

void SqliteStatement::bindInt(int index, qint64 value)
{
    if (m_handle)
        sqlite3_bind_int64(m_handle->stmt, index, value);
}

void SqliteStatement::bindOptional(int index, const std::optional<qint64>& value)
{
    if (!m_handle)
        return;
    if (value)
        sqlite3_bind_int64(m_handle->stmt, index, *value);
    else
        sqlite3_bind_null(m_handle->stmt, index);
}

void SqliteStatement::bindText(int index, const QString& text)
{
    if (!m_handle)
        return;
    if (text.isEmpty()) {
        sqlite3_bind_text(m_handle->stmt, index, "", 0, SQLITE_STATIC); // '', never NULL
        return;
    }
    // Nearly every bound text is short ASCII (outcomes, IP addresses, key hints): narrowed here it
    // is copied once, where UTF-16 would be copied and then converted to the database's UTF-8.
    char ascii[256];
    const qsizetype n = text.size();
    if (n <= qsizetype(sizeof ascii)) {
        const QChar* in = text.constData();
        qsizetype i = 0;
        for (; i < n && in[i].unicode() < 0x80; ++i)
            ascii[i] = char(in[i].unicode());
        if (i == n) {
            sqlite3_bind_text(m_handle->stmt, index, ascii, int(n), SQLITE_TRANSIENT);
            return;
        }
    }
    sqlite3_bind_text16(m_handle->stmt, index, text.utf16(), int(n * 2), SQLITE_TRANSIENT);
}

Status SqliteStatement::step()
{
    if (!m_handle)
        return prepare();
    const int code = sqlite3_step(m_handle->stmt);
    reset();
    if (code != SQLITE_DONE)
        return failure(code, QStringLiteral("writing a row"));
    return {};
}

Result<bool> SqliteStatement::next()
{
    if (!m_handle) {
        if (Status s = prepare(); !s)
            return s.error();
        return makeError(ErrorKind::Internal, QStringLiteral("A query ran before its values were bound."));
    }
    const int code = sqlite3_step(m_handle->stmt);
    if (code == SQLITE_ROW)
        return true;
    if (code == SQLITE_DONE)
        return false;
    const Status s = failure(code, QStringLiteral("running a query"));
    reset();
    return s.error();
}

void SqliteStatement::reset()
{
    if (!m_handle)
        return;
    sqlite3_reset(m_handle->stmt);
    sqlite3_clear_bindings(m_handle->stmt);
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_handle->stmt, column) == SQLITE_NULL;
}

qint64 SqliteStatement::integer(int column) const
{
    return sqlite3_column_int64(m_handle->stmt, column);
}

QString SqliteStatement::text(int column) const
{
    // The database's own UTF-8: SQLite would otherwise convert into a buffer of its own first.
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_handle->stmt, column));
    const int bytes = sqlite3_column_bytes(m_handle->stmt, column);
    return data ? QString::fromUtf8(data, bytes) : QString();
}

#else

struct SqliteStatement::Handle
{};

bool SqliteStatement::available(const Database&)
{
    return false;
}

SqliteStatement::SqliteStatement(Database& db, QByteArray sql) : m_db(db), m_sql(std::move(sql)) {}
SqliteStatement::~SqliteStatement() = default;
Status SqliteStatement::prepare()
{
    return makeError(ErrorKind::Internal, QStringLiteral("Built without the sqlite3 headers."));
}
Status SqliteStatement::failure(int, const QString&) const
{
    return makeError(ErrorKind::Internal, QStringLiteral("Built without the sqlite3 headers."));
}
void SqliteStatement::bindInt(int, qint64) {}
void SqliteStatement::bindOptional(int, const std::optional<qint64>&) {}
void SqliteStatement::bindText(int, const QString&) {}
Status SqliteStatement::step()
{
    return prepare();
}
Result<bool> SqliteStatement::next()
{
    return prepare().error();
}
void SqliteStatement::reset() {}
bool SqliteStatement::isNull(int) const
{
    return true;
}
qint64 SqliteStatement::integer(int) const
{
    return 0;
}
QString SqliteStatement::text(int) const
{
    return {};
}

#endif

} // namespace keyward
