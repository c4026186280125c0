#pragma once

#include "DatabaseLocation.h"
#include "Store.h"

#include <QTemporaryDir>

#include <memory>

// A fresh, empty database for one test: an SQLite file in a temporary folder, or a new database
// on the throwaway PostgreSQL server named by KEYWARD_TEST_PG_URL (dropped again afterwards).
class TestDatabase
{
public:
    enum class Backend
    {
        Sqlite,
        Postgres
    };

    // KEYWARD_TEST_BACKEND=sqlite|postgres (default sqlite).
    static Backend backendFromEnvironment();
    static QString backendName(Backend backend);

    // Returns nullptr with `problem` set when it cannot; `skip` says whether that is a reason to
    // skip (no server configured) or to fail (scripts/test.sh started one and it is unusable).
    static std::unique_ptr<TestDatabase> create(Backend backend, QString& problem, bool& skip);
    ~TestDatabase();

    const keyward::DatabaseLocation& location() const { return m_location; }
    // Opens a Store on it (creating the schema); fails the calling test on error.
    std::unique_ptr<keyward::Store> open(const keyward::Database::Options& options = {create()}) const;
    static keyward::Database::Options create()
    {
        keyward::Database::Options o;
        o.create = true;
        return o;
    }
    QString dir() const { return m_dir.path(); }

private:
    TestDatabase() = default;
    QTemporaryDir m_dir;
    keyward::DatabaseLocation m_location;
    QString m_postgresDatabase;
};

// In a test function: a fresh database of the backend under test, or QSKIP/QFAIL.
#define KW_TEST_DATABASE(var)                                                                                \
    QString var##Problem;                                                                                    \
    bool var##Skip = false;                                                                                  \
    auto var = TestDatabase::create(TestDatabase::backendFromEnvironment(), var##Problem, var##Skip);        \
    if (!var) {                                                                                              \
        if (var##Skip)                                                                                       \
            QSKIP(qPrintable(var##Problem));                                                                 \
        QFAIL(qPrintable(var##Problem));                                                                     \
    }

// In a test function: the throwaway PostgreSQL URL, or QSKIP (none configured) / QFAIL (required).
#define KW_REQUIRE_POSTGRES(var)                                                                             \
    const QString var = qEnvironmentVariable("KEYWARD_TEST_PG_URL");                                         \
    if (var.isEmpty()) {                                                                                     \
        if (qEnvironmentVariableIsSet("KEYWARD_TEST_PG_REQUIRED"))                                           \
            QFAIL("KEYWARD_TEST_PG_URL is not set although PostgreSQL is required");                         \
        QSKIP("no PostgreSQL server configured (KEYWARD_TEST_PG_URL)");                                      \
    }
