#include "ServerFixture.h"

#include <QTest>

using namespace keyward;
using namespace keyward::server;

std::unique_ptr<ServerFixture> ServerFixture::create(QString& problem, bool& skip)
{
    std::unique_ptr<ServerFixture> f(new ServerFixture);
    f->m_db = TestDatabase::create(TestDatabase::backendFromEnvironment(), problem, skip);
    if (!f->m_db)
        return nullptr;
    auto store = Store::open(f->m_db->location(), TestDatabase::create());
    if (!store) {
        problem = QStringLiteral("cannot open the test database: ") + store.errorMessage();
        skip = false;
        return nullptr;
    }
    f->m_store = std::move(store).value();
    f->m_store->setActor(QStringLiteral("test"));
    f->m_store->setClock(f->clock.function());
    f->config.listenHost = QStringLiteral("127.0.0.1");
    f->config.listenPort = 0;
    f->config.httpThreads = 2;
    f->config.refreshMs = 200;
    f->config.logFlushMs = 50;
    // Tests send many requests from one address; the abuse rules are tested on their own.
    f->config.ipRules.tooFastRequests = 0;
    f->config.ipRules.unknownKeys = 0;
    return f;
}

ServerFixture::~ServerFixture()
{
    stop();
    m_store.reset();
}

bool ServerFixture::start()
{
    ServerConfig c = config;
    c.database = m_db->location().isSqlite()
                     ? m_db->location().path
                     : QStringLiteral("postgresql://%1:%2@%3:%4/%5")
                           .arg(m_db->location().user, m_db->location().password, m_db->location().host)
                           .arg(m_db->location().port)
                           .arg(m_db->location().database);
    if (m_port != 0)
        c.listenPort = m_port; // a restart keeps its port
    m_server = std::make_unique<Server>(c, clock.function());
    if (Status s = m_server->start(); !s) {
        qWarning("server did not start: %s", qPrintable(s.errorMessage()));
        m_server.reset();
        return false;
    }
    m_port = m_server->port();
    return true;
}

void ServerFixture::stop()
{
    if (m_server)
        m_server->stop();
    m_server.reset();
}

bool ServerFixture::restart()
{
    stop();
    return start();
}

void ServerFixture::refresh()
{
    if (m_server)
        m_server->refreshSharedState();
}

Product ServerFixture::product(const QString& name, const std::function<void(Product&)>& shape)
{
    Product p;
    p.name = name;
    p.keyPrefix = QStringLiteral("PE-");
    if (shape)
        shape(p);
    auto created = m_store->products().create(p);
    if (!created)
        qFatal("product: %s", qPrintable(created.errorMessage()));
    refresh();
    return *created;
}

QString ServerFixture::apiKey(qint64 productId)
{
    auto created = m_store->apiKeys().create(productId);
    if (!created)
        qFatal("api key: %s", qPrintable(created.errorMessage()));
    refresh();
    return created->token;
}

QString ServerFixture::adminToken(AdminRole role, const QString& name)
{
    auto created = m_store->adminTokens().create(role, name);
    if (!created)
        qFatal("admin token: %s", qPrintable(created.errorMessage()));
    return created->secret;
}

LicenseKey ServerFixture::key(qint64 productId, const QString& text,
                              const std::function<void(NewKey&)>& shape)
{
    NewKey nk;
    nk.key = text;
    if (shape)
        shape(nk);
    auto created = m_store->keys().create(productId, nk);
    if (!created)
        qFatal("key: %s", qPrintable(created.errorMessage()));
    return *created;
}
