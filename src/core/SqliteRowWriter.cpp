#include "SqliteRowWriter.h"

#include "Database.h"

#include <QSqlDriver>
#include <QSqlError>

#ifdef KEYWARD_HAVE_SQLITE3
#include <sqlite3.h>
#endif

namespace keyward {

#ifdef KEYWARD_HAVE_SQLITE3

struct SqliteRowWriter::Handle
{
    sqlite3* db = nullptr;
    sqlite3_stmt* stmt = nullptr;
};

namespace {

sqlite3* handleOf(const Database& db)
{
    if (!db.isSqlite())
        return nullptr;
    const QVariant handle = db.connection().driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.data());
}

} // namespace

bool SqliteRowWriter::available(const Database& db)
{
    return sqlite3_libversion_number() == SQLITE_VERSION_NUMBER && handleOf(db) != nullptr;
}

SqliteRowWriter::SqliteRowWriter(Database& db, QByteArray sql) : m_db(db), m_sql(std::move(sql)) {}

SqliteRowWriter::~SqliteRowWriter()
{
    if (m_handle)
        sqlite3_finalize(m_handle->stmt);
    delete m_handle;
}

Status SqliteRowWriter::prepare()
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
    const int code = sqlite3_prepare_v2(db, m_sql.constData(), int(m_sql.size()), &m_handle->stmt, nullptr);
    if (code != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_finalize(m_handle->stmt);
        delete m_handle;
        m_handle = nullptr;
        return m_db.translate(QSqlError(QStringLiteral("preparing a statement"), message,
                                        QSqlError::StatementError, QString::number(code)),
                              QStringLiteral("preparing a statement"));
    }
    return {};
}

void SqliteRowWriter::bindInt(int index, qint64 value)
{
    if (prepare())
        sqlite3_bind_int64(m_handle->stmt, index, value);
}

void SqliteRowWriter::bindOptional(int index, const std::optional<qint64>& value)
{
    if (!prepare())
        return;
    if (value)
        sqlite3_bind_int64(m_handle->stmt, index, *value);
    else
        sqlite3_bind_null(m_handle->stmt, index);
}

void SqliteRowWriter::bindText(int index, const QString& text)
{
    if (!prepare())
        return;
    const QByteArray utf8 = text.toUtf8();
    sqlite3_bind_text(m_handle->stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

Status SqliteRowWriter::step()
{
    if (Status s = prepare(); !s)
        return s;
    const int code = sqlite3_step(m_handle->stmt);
    sqlite3_reset(m_handle->stmt);
    sqlite3_clear_bindings(m_handle->stmt);
    if (code != SQLITE_DONE)
        return m_db.translate(QSqlError(QStringLiteral("writing a row"),
                                        QString::fromUtf8(sqlite3_errmsg(m_handle->db)),
                                        QSqlError::StatementError, QString::number(code)),
                              QStringLiteral("writing a row"));
    return {};
}

#else

struct SqliteRowWriter::Handle
{};

bool SqliteRowWriter::available(const Database&)
{
    return false;
}

SqliteRowWriter::SqliteRowWriter(Database& db, QByteArray sql) : m_db(db), m_sql(std::move(sql)) {}
SqliteRowWriter::~SqliteRowWriter() = default;
Status SqliteRowWriter::prepare()
{
    return makeError(ErrorKind::Internal, QStringLiteral("Built without the sqlite3 headers."));
}
void SqliteRowWriter::bindInt(int, qint64) {}
void SqliteRowWriter::bindOptional(int, const std::optional<qint64>&) {}
void SqliteRowWriter::bindText(int, const QString&) {}
Status SqliteRowWriter::step()
{
    return prepare();
}

#endif

} // namespace keyward
