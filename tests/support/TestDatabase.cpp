#include "TestDatabase.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUuid>

using namespace keyward;

namespace {

// Runs one administrative statement on the server's test database (CREATE/DROP DATABASE).
bool adminExec(const DatabaseLocation& admin, const QString& sql, QString& error)
{
    const QString name = QStringLiteral("kw-test-admin-") + QUuid::createUuid().toString(QUuid::Id128);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(admin.host);
        db.setPort(admin.port);
        db.setUserName(admin.user);
        db.setPassword(admin.password);
        db.setDatabaseName(admin.database);
        db.setConnectOptions(QStringLiteral("connect_timeout=5"));
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            ok = q.exec(sql);
            if (!ok)
                error = q.lastError().text();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

TestDatabase::Backend TestDatabase::backendFromEnvironment()
{
    return qEnvironmentVariable("KEYWARD_TEST_BACKEND") == QLatin1String("postgres") ? Backend::Postgres
                                                                                     : Backend::Sqlite;
}

QString TestDatabase::backendName(Backend backend)
{
    return backend == Backend::Postgres ? QStringLiteral("postgres") : QStringLiteral("sqlite");
}

std::unique_ptr<TestDatabase> TestDatabase::create(Backend backend, QString& problem, bool& skip)
{
    std::unique_ptr<TestDatabase> db(new TestDatabase);
    skip = false;
    if (backend == Backend::Sqlite) {
        if (!db->m_dir.isValid()) {
            problem = QStringLiteral("cannot create a temporary folder");
            return nullptr;
        }
        db->m_location = DatabaseLocation::sqlite(db->m_dir.filePath(QStringLiteral("keyward.db")));
        return db;
    }

    const QString url = qEnvironmentVariable("KEYWARD_TEST_PG_URL");
    const bool required = qEnvironmentVariableIsSet("KEYWARD_TEST_PG_REQUIRED");
    if (url.isEmpty()) {
        problem =
            QStringLiteral("KEYWARD_TEST_PG_URL is not set; scripts/test.sh starts a PostgreSQL server");
        skip = !required;
        return nullptr;
    }
    auto admin = DatabaseLocation::parse(url);
    if (!admin) {
        problem = admin.errorMessage();
        return nullptr;
    }
    db->m_postgresDatabase = QStringLiteral("kw_t_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
    QString error;
    if (!adminExec(*admin, QStringLiteral("CREATE DATABASE %1").arg(db->m_postgresDatabase), error)) {
        problem = QStringLiteral("the test PostgreSQL server is unusable: ") + error;
        db->m_postgresDatabase.clear();
        return nullptr;
    }
    db->m_location = *admin;
    db->m_location.database = db->m_postgresDatabase;
    return db;
}

TestDatabase::~TestDatabase()
{
    if (m_postgresDatabase.isEmpty())
        return;
    auto admin = DatabaseLocation::parse(qEnvironmentVariable("KEYWARD_TEST_PG_URL"));
    QString error;
    if (admin &&
        !adminExec(*admin, QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_postgresDatabase),
                   error))
        qWarning("could not drop test database %s: %s", qPrintable(m_postgresDatabase), qPrintable(error));
}

std::unique_ptr<Store> TestDatabase::open(const Database::Options& options) const
{
    auto store = Store::open(m_location, options);
    if (!store) {
        QTest::qFail(qPrintable(QStringLiteral("cannot open the test database: ") + store.errorMessage()),
                     __FILE__, __LINE__);
        return nullptr;
    }
    return std::move(store).value();
}
