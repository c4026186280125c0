#include "Server.h"

#include "AdminApi.h"
#include "DbExecutor.h"
#include "GuardedTcpServer.h"
#include "Housekeeper.h"
#include "HttpFrontend.h"
#include "JobManager.h"
#include "PublicApi.h"
#include "ServerContext.h"
#include "Store.h"
#include "ValidationPipeline.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <unistd.h>

namespace keyward::server {

Q_LOGGING_CATEGORY(lcServer, "keyward.server")

Server::Server(ServerConfig config, std::function<QDateTime()> clock)
    : m_ctx(std::make_unique<ServerContext>())
{
    m_ctx->config = std::move(config);
    if (clock) {
        m_ctx->clock = std::move(clock);
    } else if (m_ctx->config.clockStart) {
        // For tests: a clock that starts at the configured instant and runs at normal speed.
        const QDateTime start = *m_ctx->config.clockStart;
        const qint64 realStart = QDateTime::currentMSecsSinceEpoch();
        m_ctx->clock = [start, realStart] {
            return start.addMSecs(QDateTime::currentMSecsSinceEpoch() - realStart);
        };
    }
    m_ctx->clientAddress = ClientAddress(m_ctx->config.trustedProxies);
    m_ctx->ipGuard.setRules(m_ctx->config.ipRules);
    m_public = std::make_unique<PublicApi>(*m_ctx);
    m_admin = std::make_unique<AdminApi>(*m_ctx);
    m_public->addRoutes(m_ctx->routes);
    m_admin->addRoutes(m_ctx->routes);
}

Server::~Server()
{
    stop();
}

QStringList Server::routeList() const
{
    return m_ctx->routes.describe();
}

QList<int> Server::connectionsPerHttpThread() const
{
    QList<int> counts;
    for (const HttpThread& t : m_http) {
        int n = 0;
        QMetaObject::invokeMethod(
            t.host, [&] { n = t.frontend ? t.frontend->connectionCount() : 0; },
            Qt::BlockingQueuedConnection);
        counts << n;
    }
    return counts;
}

Status Server::start()
{
    auto location = DatabaseLocation::parse(m_ctx->config.database);
    if (!location)
        return location.error();
    m_ctx->location = *location;
    {
        // Opening once here brings the schema up to date before any thread uses it.
        auto store = Store::open(m_ctx->location, {});
        if (!store)
            return store.error();
    }
    const int workers = m_ctx->config.effectiveDbWorkers(m_ctx->location.isSqlite());

    m_housekeeper = std::make_unique<Housekeeper>(*m_ctx);
    if (Status s = m_housekeeper->start(); !s)
        return s;
    m_pipeline = std::make_unique<ValidationPipeline>(*m_ctx, workers);
    if (Status s = m_pipeline->start(); !s)
        return s;
    m_ctx->validation = m_pipeline.get();
    m_executor = std::make_unique<DbExecutor>(m_ctx->location, m_ctx->clock, QStringLiteral("admin"));
    if (Status s = m_executor->start(); !s)
        return s;
    m_ctx->database = m_executor.get();
    m_jobs = std::make_unique<JobManager>(*m_ctx);
    if (Status s = m_jobs->start(); !s)
        return s;
    m_ctx->jobs = m_jobs.get();
    if (Status s = startHttp(); !s)
        return s;
    m_running = true;
    qCInfo(lcServer).noquote() << "keywardd" << KEYWARD_VERSION << "listening on"
                               << (m_ctx->config.listenHost + QLatin1Char(':') + QString::number(m_port))
                               << "database" << m_ctx->location.displayName() << "with" << m_http.size()
                               << "HTTP thread(s) and" << workers << "database worker(s)";
    return {};
}

Status Server::startHttp()
{
    QString error;
    m_listenDescriptor = ListenSocket::open(m_ctx->config.listenHost, m_ctx->config.listenPort, error);
    if (m_listenDescriptor < 0)
        return makeError(ErrorKind::Io,
                         QStringLiteral("Cannot listen on %1: %2").arg(m_ctx->config.listenAddress(), error));
    m_port = ListenSocket::boundPort(m_listenDescriptor);
    const int threads = m_ctx->config.effectiveHttpThreads();
    for (int i = 0; i < threads; ++i) {
        HttpThread t;
        t.thread = std::make_unique<QThread>();
        t.thread->setObjectName(QStringLiteral("http-%1").arg(i));
        t.host = new QObject;
        t.host->moveToThread(t.thread.get());
        t.thread->start();
        const int descriptor = ListenSocket::duplicate(m_listenDescriptor);
        bool ok = false;
        QMetaObject::invokeMethod(
            t.host,
            [&] {
                t.frontend = new HttpFrontend(*m_ctx, descriptor);
                ok = t.frontend->start(error);
            },
            Qt::BlockingQueuedConnection);
        m_http.push_back(std::move(t));
        if (!ok)
            return makeError(ErrorKind::Io, QStringLiteral("The HTTP server did not start: %1").arg(error));
    }
    return {};
}

void Server::stopHttp()
{
    for (HttpThread& t : m_http) {
        QMetaObject::invokeMethod(
            t.host,
            [&t] {
                delete t.frontend; // answers nobody any more; closes its connections
                t.frontend = nullptr;
                delete t.host;
                t.host = nullptr;
            },
            Qt::BlockingQueuedConnection);
        t.thread->quit();
        t.thread->wait();
    }
    m_http.clear();
}

void Server::stop()
{
    if (!m_running && m_http.empty() && !m_pipeline && !m_housekeeper)
        return;
    m_running = false;
    qCInfo(lcServer) << "keywardd stopping";
    // 1. No new connections; requests already received are still answered.
    for (HttpThread& t : m_http)
        QMetaObject::invokeMethod(
            t.host, [&t] { t.frontend->stopListening(); }, Qt::BlockingQueuedConnection);
    if (m_listenDescriptor >= 0) {
        ::close(m_listenDescriptor);
        m_listenDescriptor = -1;
    }
    // 2. Let queued validations finish (bounded), then write the request log and stop the workers.
    QElapsedTimer waited;
    waited.start();
    while (m_pipeline && m_pipeline->queued() > 0 && waited.elapsed() < 5000)
        QThread::msleep(10);
    if (m_jobs)
        m_jobs->stop();
    if (m_pipeline)
        m_pipeline->stop();
    if (m_executor)
        m_executor->stop();
    // 3. Write what is left (answers now go nowhere), then the background chores' last round.
    stopHttp();
    m_ctx->validation = nullptr;
    m_ctx->database = nullptr;
    m_ctx->jobs = nullptr;
    m_pipeline.reset();
    m_executor.reset();
    m_jobs.reset();
    if (m_housekeeper)
        m_housekeeper->stop();
    m_housekeeper.reset();
    qCInfo(lcServer) << "keywardd stopped";
}

void Server::refreshSharedState()
{
    if (m_housekeeper)
        m_housekeeper->refreshNow();
}

} // namespace keyward::server
