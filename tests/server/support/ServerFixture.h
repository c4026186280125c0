#pragma once

#include "HttpTestClient.h"
#include "Server.h"
#include "ServerConfig.h"
#include "Store.h"
#include "TestDatabase.h"
#include "UtcTime.h"

#include <QDateTime>

#include <atomic>
#include <functional>
#include <memory>

// A clock a test moves by hand; the server reads it from its threads.
class TestClock
{
public:
    TestClock()
        : m_ms(QDateTime::fromString(QStringLiteral("2026-03-01T10:00:00Z"), Qt::ISODate).toMSecsSinceEpoch())
    {}
    QDateTime now() const { return keyward::utcFromMSecs(m_ms.load()); }
    void set(const QDateTime& t) { m_ms = t.toMSecsSinceEpoch(); }
    void advance(qint64 ms) { m_ms += ms; }
    std::function<QDateTime()> function() const
    {
        return [this] { return now(); };
    }

private:
    std::atomic<qint64> m_ms;
};

// A keywardd in the test's process on a random loopback port, over a fresh test database (SQLite
// or PostgreSQL per KEYWARD_TEST_BACKEND), with a store of its own for setting up and checking.
class ServerFixture
{
public:
    static std::unique_ptr<ServerFixture> create(QString& problem, bool& skip);
    ~ServerFixture();

    // The configuration the server will start with (port 0, fast refresh, lenient abuse rules).
    keyward::server::ServerConfig config;
    TestClock clock;

    bool start();
    void stop();
    bool restart();
    keyward::server::Server& server() { return *m_server; }
    quint16 port() const { return m_port; }
    keyward::Store& store() { return *m_store; }
    const keyward::DatabaseLocation& location() const { return m_db->location(); }
    TestDatabase& database() { return *m_db; }

    // Setup helpers (through the store; the server is told to re-read its shared state).
    keyward::Product product(const QString& name, const std::function<void(keyward::Product&)>& shape = {});
    QString apiKey(qint64 productId);
    QString adminToken(keyward::AdminRole role, const QString& name = {});
    keyward::LicenseKey key(qint64 productId, const QString& key,
                            const std::function<void(keyward::NewKey&)>& shape = {});
    void refresh();

    HttpTestClient client() { return HttpTestClient(m_port); }

private:
    ServerFixture() = default;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<keyward::Store> m_store;
    std::unique_ptr<keyward::server::Server> m_server;
    quint16 m_port = 0;
};

// In a test function: a fixture over a fresh database of the backend under test, or QSKIP/QFAIL.
#define KW_SERVER_FIXTURE(var)                                                                               \
    QString var##Problem;                                                                                    \
    bool var##Skip = false;                                                                                  \
    auto var = ServerFixture::create(var##Problem, var##Skip);                                               \
    if (!var) {                                                                                              \
        if (var##Skip)                                                                                       \
            QSKIP(qPrintable(var##Problem));                                                                 \
        QFAIL(qPrintable(var##Problem));                                                                     \
    }
