#include "DatabaseLocation.h"

#include <QDir>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

namespace keyward {

DatabaseLocation DatabaseLocation::sqlite(const QString& path)
{
    DatabaseLocation location;
    location.kind = Kind::Sqlite;
    location.path = path;
    return location;
}

QString DatabaseLocation::defaultSqlitePath()
{
    // GenericDataLocation does not depend on the executable's name, so keyward, keywardd and
    // keyward-cli all find the same file.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(QStringLiteral("Keyward/keyward.db"));
}

Result<DatabaseLocation> DatabaseLocation::parse(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("No database given."));

    const bool postgres = trimmed.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive) ||
                          trimmed.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
    if (!postgres) {
        QString path = trimmed;
        if (path.startsWith(QLatin1String("sqlite:"), Qt::CaseInsensitive))
            path = path.mid(7);
        if (path.startsWith(QLatin1String("//")))
            path = path.mid(2);
        if (path.isEmpty())
            return makeError(ErrorKind::Invalid, QStringLiteral("The SQLite database path is empty."));
        return sqlite(QDir::cleanPath(QDir::current().absoluteFilePath(path)));
    }

    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("Cannot read the PostgreSQL address; use "
                                        "postgresql://user:password@host:port/database."));
    DatabaseLocation location;
    location.kind = Kind::Postgres;
    location.host = url.host();
    location.port = url.port(5432);
    location.user = url.userName(QUrl::FullyDecoded);
    location.password = url.password(QUrl::FullyDecoded);
    location.database = url.path(QUrl::FullyDecoded).mid(1);
    if (location.database.isEmpty())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("The PostgreSQL address names no database (…/database at the end)."));
    QStringList options;
    const QUrlQuery query(url);
    for (const auto& item : query.queryItems(QUrl::FullyDecoded))
        options << item.first + QLatin1Char('=') + item.second;
    location.options = options.join(QLatin1Char(';'));
    return location;
}

QString DatabaseLocation::displayName() const
{
    if (kind == Kind::Sqlite)
        return path;
    QString who = user.isEmpty() ? QString() : user + QLatin1Char('@');
    return QStringLiteral("postgresql://%1%2:%3/%4").arg(who, host).arg(port).arg(database);
}

} // namespace keyward
