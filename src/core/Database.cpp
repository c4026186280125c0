#include "Database.h"

#include "Migrations.h"
#include "SqliteHandle.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>

#include <fcntl.h>
#include <unistd.h>

namespace keyward {

Q_LOGGING_CATEGORY(lcStore, "keyward.store")

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("keyward-%1").arg(counter.fetchAndAddRelaxed(1));
}

// With the effective ids and capabilities, as the writes will be made (access() would answer
// for root's full permitted set instead).
bool isWritable(const QString& path)
{
    return ::faccessat(AT_FDCWD, QFile::encodeName(path).constData(), W_OK, AT_EACCESS) == 0;
}

// SQLite's primary result codes, as QSQLITE reports them in nativeErrorCode().
enum SqliteCode
{
    Busy = 5,
    Locked = 6,
    ReadOnly = 8,
    Interrupt = 9,
    CantOpen = 14,
    Full = 13,
    NotADb = 26,
    Corrupt = 11
};

} // namespace

Database::Database(DatabaseLocation location, Options options)
    : m_location(std::move(location)), m_options(options),
      m_dialect(m_location.isSqlite() ? SqlDialect::Sqlite : SqlDialect::Postgres),
      m_connectionName(nextConnectionName())
{}

Database::~Database()
{
    m_controlStatements.clear(); // before the connection goes
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase Database::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Result<std::unique_ptr<Database>> Database::open(const DatabaseLocation& location, const Options& options)
{
    std::unique_ptr<Database> db(new Database(location, options));
    if (Status s = db->connect(); !s)
        return s.error();
    if (Status s = Migrations::apply(*db); !s)
        return s.error();
    return db;
}

bool Database::useSqliteConnectionPerThread()
{
#ifdef KEYWARD_HAVE_SQLITE3
    if (sqlite3_libversion_number() != SQLITE_VERSION_NUMBER)
        return false;
    return sqlite3_config(SQLITE_CONFIG_MULTITHREAD) == SQLITE_OK &&
           sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
#else
    return false;
#endif
}

Status Database::connect()
{
    const QString driver = isSqlite() ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
    if (!QSqlDatabase::isDriverAvailable(driver))
        return makeError(ErrorKind::Internal,
                         QStringLiteral("The Qt SQL driver %1 is not installed (Debian package %2).")
                             .arg(driver, isSqlite() ? QStringLiteral("libqt6sql6-sqlite")
                                                     : QStringLiteral("libqt6sql6-psql")));
    QSqlDatabase db = QSqlDatabase::addDatabase(driver, m_connectionName);

    if (isSqlite()) {
        const QString& path = m_location.path;
        const QFileInfo info(path);
        if (info.isDir())
            return makeError(ErrorKind::NotKeyward,
                             QStringLiteral("%1 is a folder, not a Keyward database.").arg(path));
        if (!info.exists()) {
            if (!m_options.create || m_options.readOnly)
                return makeError(ErrorKind::NotFound,
                                 QStringLiteral("There is no Keyward database at %1. Create one with "
                                                "\"keyward-cli --db %1 init\".")
                                     .arg(path));
            if (!QDir().mkpath(info.absolutePath()))
                return makeError(ErrorKind::Io,
                                 QStringLiteral("Cannot create the folder %1.").arg(info.absolutePath()));
        }
        if (!m_options.readOnly) {
            if (info.exists() && !isWritable(path))
                return makeError(
                    ErrorKind::ReadOnly,
                    QStringLiteral("The database %1 is read-only. Fix its permissions or copy it to "
                                   "a writable place.")
                        .arg(path));
            if (!isWritable(info.absolutePath()))
                return makeError(
                    ErrorKind::ReadOnly,
                    QStringLiteral("The folder of %1 is read-only; SQLite needs to write its journal "
                                   "next to the database.")
                        .arg(path));
        }
        db.setDatabaseName(path);
        QString connectOptions = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_options.busyTimeoutMs);
        if (m_options.readOnly)
            connectOptions += QStringLiteral(";QSQLITE_OPEN_READONLY");
        db.setConnectOptions(connectOptions);
    } else {
        db.setHostName(m_location.host);
        db.setPort(m_location.port);
        db.setUserName(m_location.user);
        db.setPassword(m_location.password);
        db.setDatabaseName(m_location.database);
        QString connectOptions = QStringLiteral("connect_timeout=5;application_name=keyward");
        if (!m_location.options.isEmpty())
            connectOptions += QLatin1Char(';') + m_location.options;
        db.setConnectOptions(connectOptions);
    }

    if (!db.open())
        return translate(db.lastError(), QStringLiteral("opening the database"));
    return isSqlite() ? configureSqlite() : Status{};
}

Status Database::configureSqlite()
{
    // The first statement reads the file header, so "not a database" surfaces here.
    if (auto r = exec(QStringLiteral("SELECT count(*) FROM sqlite_master")); !r)
        return r.error();
    // Connection settings only: nothing here changes the file.
    const QString cache = QStringLiteral("PRAGMA cache_size = -%1").arg(qMax(1024, m_options.sqliteCacheKiB));
    for (const QString& pragma :
         {QStringLiteral("PRAGMA foreign_keys = ON"), QStringLiteral("PRAGMA temp_store = MEMORY"), cache}) {
        if (auto r = exec(pragma); !r)
            return r.error();
    }
    return {};
}

Status Database::enableWriteAheadLog()
{
    if (!isSqlite() || m_options.readOnly)
        return {};
    // WAL lets readers (the app's tables, the server) work while one writer writes; NORMAL sync
    // is crash-safe in WAL mode. journal_mode is stored in the file, so this runs only once the
    // file is known to be a Keyward database (or a new one).
    for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"}) {
        if (auto r = exec(QString::fromLatin1(pragma)); !r)
            return r.error();
    }
    return {};
}

void Database::setCancelFlag(const std::atomic<bool>* flag)
{
#ifdef KEYWARD_HAVE_SQLITE3
    if (sqlite3* handle = sqlite::handleOf(*this)) {
        // SQLite calls this every few thousand VM steps; a set flag aborts the statement.
        auto check = [](void* p) -> int { return static_cast<const std::atomic<bool>*>(p)->load() ? 1 : 0; };
        if (flag)
            sqlite3_progress_handler(handle, 10000, check, const_cast<std::atomic<bool>*>(flag));
        else
            sqlite3_progress_handler(handle, 0, nullptr, nullptr);
    }
#else
    Q_UNUSED(flag)
#endif
}

Result<QSqlQuery> Database::exec(const QString& sql, const QVariantList& values) const
{
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    // PostgreSQL cannot prepare BEGIN, SAVEPOINT or DDL; statements without values run directly.
    if (values.isEmpty()) {
        if (!query.exec(sql))
            return translate(query.lastError(), QStringLiteral("running a query"));
        return query;
    }
    if (!query.prepare(sql))
        return translate(query.lastError(), QStringLiteral("preparing a query"));
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    if (!query.exec())
        return translate(query.lastError(), QStringLiteral("running a query"));
    return query;
}

Status Database::execControl(const QString& sql)
{
    if (!isSqlite()) {
        if (auto r = exec(sql); !r)
            return r.error();
        return {};
    }
    QSqlQuery* query = nullptr;
    for (auto& [text, statement] : m_controlStatements) {
        if (text == sql)
            query = statement.get();
    }
    if (!query) {
        auto prepared = std::make_unique<QSqlQuery>(connection());
        if (!prepared->prepare(sql))
            return translate(prepared->lastError(), QStringLiteral("preparing a query"));
        query = prepared.get();
        m_controlStatements.emplace_back(sql, std::move(prepared));
    }
    if (!query->exec()) {
        Error error = translate(query->lastError(), QStringLiteral("running a query"));
        query->finish();
        return error;
    }
    query->finish();
    return {};
}

Result<qint64> Database::scalar(const QString& sql, const QVariantList& values) const
{
    auto r = exec(sql, values);
    if (!r)
        return r.error();
    if (!r->next())
        return qint64(0);
    return r->value(0).toLongLong();
}

QString Database::listSql(bool integers) const
{
    if (isSqlite())
        return QStringLiteral("SELECT value FROM json_each(?)");
    return integers
               ? QStringLiteral("SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(? AS json))")
               : QStringLiteral("SELECT value FROM json_array_elements_text(CAST(? AS json))");
}

QString Database::jsonList(const QStringList& values)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

QString Database::jsonList(const std::vector<qint64>& values, size_t from, size_t to)
{
    QString out;
    out.reserve(qsizetype((to - from) * 8 + 2));
    out += QLatin1Char('[');
    for (size_t i = from; i < to; ++i) {
        if (i > from)
            out += QLatin1Char(',');
        out += QString::number(values[i]);
    }
    out += QLatin1Char(']');
    return out;
}

Error Database::translate(const QSqlError& error, const QString& doing) const
{
    const QString where = m_location.displayName();
    // First line only: PostgreSQL's DETAIL lines can quote row values such as a license key.
    QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    detail = detail.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (isSqlite() && (error.nativeErrorCode().toInt() & 0xFF) == Interrupt)
        return {ErrorKind::Cancelled, QStringLiteral("Stopped while %1.").arg(doing)};
    qCWarning(lcStore) << "database error while" << doing << ":" << detail << "code"
                       << error.nativeErrorCode();

    if (isSqlite()) {
        // Qt reports SQLite's extended codes (e.g. 517 BUSY_SNAPSHOT); the low byte is the primary one.
        switch (error.nativeErrorCode().toInt() & 0xFF) {
        case Busy:
        case Locked:
            return {ErrorKind::Locked,
                    QStringLiteral("The database %1 is locked by another program. Try again when "
                                   "it has finished.")
                        .arg(where)};
        case ReadOnly:
            return {ErrorKind::ReadOnly,
                    QStringLiteral("The database %1 is read-only; nothing was changed.").arg(where)};
        case NotADb:
            return {ErrorKind::NotKeyward,
                    QStringLiteral("%1 is not a Keyward database (it is not an SQLite file).").arg(where)};
        case Corrupt:
            return {ErrorKind::NotKeyward,
                    QStringLiteral("The database %1 is damaged (SQLite reports corruption).").arg(where)};
        case CantOpen:
            return {ErrorKind::Io, QStringLiteral("Cannot open %1: %2").arg(where, detail)};
        case Full:
            return {ErrorKind::Io,
                    QStringLiteral("The disk holding %1 is full; nothing was changed.").arg(where)};
        default:
            break;
        }
        return {ErrorKind::Internal,
                QStringLiteral("Database error while %1 (%2): %3").arg(doing, where, detail)};
    }

    const QString state = error.nativeErrorCode();
    const QString text = detail.toLower();
    if (state.startsWith(QLatin1String("28")) ||
        text.contains(QLatin1String("password authentication failed")) ||
        text.contains(QLatin1String("no password supplied")) ||
        text.contains(QLatin1String("authentication failed")))
        return {ErrorKind::AuthFailed,
                QStringLiteral(
                    "The PostgreSQL server at %1 rejected the login for user \"%2\". Check the user name "
                    "and password.")
                    .arg(m_location.host, m_location.user)};
    if (state == QLatin1String("3D000") ||
        (text.contains(QLatin1String("database")) && text.contains(QLatin1String("does not exist"))))
        return {ErrorKind::NotFound, QStringLiteral("The PostgreSQL database \"%1\" does not exist on %2.")
                                         .arg(m_location.database, m_location.host)};
    if (error.type() == QSqlError::ConnectionError || text.contains(QLatin1String("could not connect")) ||
        text.contains(QLatin1String("connection refused")) || text.contains(QLatin1String("server closed")) ||
        text.contains(QLatin1String("could not translate host")) || text.contains(QLatin1String("timeout")) ||
        text.contains(QLatin1String("no connection")))
        return {ErrorKind::Unreachable,
                QStringLiteral(
                    "Cannot reach the PostgreSQL server at %1:%2 (%3). Is it running, and does it accept "
                    "connections?")
                    .arg(m_location.host)
                    .arg(m_location.port)
                    .arg(detail.trimmed())};
    if (state == QLatin1String("55P03") || state == QLatin1String("40P01"))
        return {ErrorKind::Locked,
                QStringLiteral("The database %1 is busy (a lock could not be taken). Try again.").arg(where)};
    if (state == QLatin1String("25006"))
        return {ErrorKind::ReadOnly,
                QStringLiteral("The database %1 is read-only; nothing was changed.").arg(where)};
    if (state == QLatin1String("23505"))
        return {ErrorKind::Conflict, QStringLiteral("A record with the same unique value already exists.")};
    return {ErrorKind::Internal,
            QStringLiteral("Database error while %1 (%2): %3").arg(doing, where, detail)};
}

Transaction::Transaction(Database& db, Kind kind) : m_db(db), m_depth(db.m_transactionDepth)
{
    QString sql;
    if (m_depth > 0)
        sql = QStringLiteral("SAVEPOINT kw_sp%1").arg(m_depth);
    else
        sql = m_db.isSqlite() && !m_db.readOnly() && kind == Kind::Write ? QStringLiteral("BEGIN IMMEDIATE")
                                                                         : QStringLiteral("BEGIN");
    auto r = m_db.execControl(sql);
    if (!r) {
        m_status = r.error();
        return;
    }
    m_open = true;
    ++m_db.m_transactionDepth;
}

Transaction::~Transaction()
{
    if (m_open)
        rollback();
}

Status Transaction::commit()
{
    if (!m_open)
        return m_status.ok()
                   ? makeError(ErrorKind::Internal, QStringLiteral("The transaction is already closed."))
                   : m_status;
    const QString sql =
        m_depth > 0 ? QStringLiteral("RELEASE SAVEPOINT kw_sp%1").arg(m_depth) : QStringLiteral("COMMIT");
    auto r = m_db.execControl(sql);
    if (!r) {
        rollback();
        return r.error();
    }
    m_open = false;
    --m_db.m_transactionDepth;
    return {};
}

void Transaction::rollback()
{
    if (!m_open)
        return;
    if (m_depth > 0) {
        m_db.execControl(QStringLiteral("ROLLBACK TO SAVEPOINT kw_sp%1").arg(m_depth));
        m_db.execControl(QStringLiteral("RELEASE SAVEPOINT kw_sp%1").arg(m_depth));
    } else {
        m_db.execControl(QStringLiteral("ROLLBACK"));
    }
    m_open = false;
    --m_db.m_transactionDepth;
}

} // namespace keyward
