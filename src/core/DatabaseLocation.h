#pragma once

#include "Result.h"

#include <QString>

namespace keyward {

// Where a Keyward database lives: an SQLite file path, or a PostgreSQL server given as
// postgresql://user:password@host:port/database[?option=value&...].
struct DatabaseLocation
{
    enum class Kind
    {
        Sqlite,
        Postgres
    };

    Kind kind = Kind::Sqlite;
    QString path; // SQLite
    QString host = QStringLiteral("localhost");
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString options; // libpq connection options, "key=value;key=value"

    static Result<DatabaseLocation> parse(const QString& text);
    static DatabaseLocation sqlite(const QString& path);
    // The default local database, in the platform's app-data folder (shared by CLI and app).
    static QString defaultSqlitePath();

    bool isSqlite() const { return kind == Kind::Sqlite; }
    // For messages and logs: never shows the password.
    QString displayName() const;
};

} // namespace keyward
