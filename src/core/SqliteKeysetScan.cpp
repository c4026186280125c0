#include "SqliteKeysetScan.h"

#include "SqliteHandle.h"

namespace keyward {

#ifdef KEYWARD_HAVE_SQLITE3

namespace {

void bind(sqlite3_stmt* stmt, int index, const QVariant& value)
{
    if (value.isNull()) {
        sqlite3_bind_null(stmt, index);
        return;
    }
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Bool:
        sqlite3_bind_int64(stmt, index, value.toLongLong());
        break;
    case QMetaType::Double:
        sqlite3_bind_double(stmt, index, value.toDouble());
        break;
    default: {
        const QByteArray utf8 = value.toString().toUtf8();
        sqlite3_bind_text(stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    }
    }
}

QVariant columnValue(sqlite3_stmt* stmt, int column)
{
    switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL:
        return {};
    case SQLITE_INTEGER:
        return QVariant(qint64(sqlite3_column_int64(stmt, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(stmt, column));
    default:
        return QVariant(QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)),
                                          sqlite3_column_bytes(stmt, column)));
    }
}

Error sqliteError(sqlite3* db, const QString& doing)
{
    return makeError(
        ErrorKind::Internal,
        QStringLiteral("The database failed while %1: %2").arg(doing, QString::fromUtf8(sqlite3_errmsg(db))));
}

} // namespace

std::optional<Result<KeysetIndex>> SqliteKeysetScan::run(const Database& database, const QString& sql,
                                                         const QVariantList& values, KeysetIndex index,
                                                         const JobControl& control)
{
    sqlite3* db = sqlite::handleOf(database);
    if (!db)
        return std::nullopt;
    sqlite3_stmt* stmt = nullptr;
    const QByteArray text = sql.toUtf8();
    if (sqlite3_prepare_v2(db, text.constData(), int(text.size()), &stmt, nullptr) != SQLITE_OK)
        return Result<KeysetIndex>(sqliteError(db, QStringLiteral("preparing the key index")));
    for (int i = 0; i < values.size(); ++i)
        bind(stmt, i + 1, values.at(i));
    qint64 row = 0;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if ((row & 0xFFFF) == 0 && control.cancelled()) {
            sqlite3_finalize(stmt);
            return Result<KeysetIndex>(
                makeError(ErrorKind::Cancelled, QStringLiteral("Indexing the keys was cancelled.")));
        }
        if (sqlite3_column_type(stmt, 0) == SQLITE_NULL)
            ++index.nullRows;
        if ((row + 1) % KeysetIndex::kStride == 0) {
            index.values.push_back(columnValue(stmt, 0));
            index.ids.push_back(sqlite3_column_int64(stmt, 1));
        }
        ++row;
    }
    const bool failed = rc != SQLITE_DONE;
    Error error = failed ? sqliteError(db, QStringLiteral("reading the key index")) : Error();
    sqlite3_finalize(stmt);
    if (failed)
        return Result<KeysetIndex>(error);
    index.rowCount = row;
    return Result<KeysetIndex>(std::move(index));
}

#else

std::optional<Result<KeysetIndex>> SqliteKeysetScan::run(const Database&, const QString&, const QVariantList&,
                                                         KeysetIndex, const JobControl&)
{
    return std::nullopt;
}

#endif

} // namespace keyward
