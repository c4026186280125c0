#pragma once

#include "Result.h"
#include "ServerConfig.h"

#include <QDateTime>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

namespace keyward::server {

class AdminApi;
class DbExecutor;
class Housekeeper;
class HttpFrontend;
class JobManager;
class PublicApi;
class ValidationPipeline;
struct ServerContext;

// keywardd: the public validation API and the admin API over one database, on one port.
class Server
{
public:
    // clock: for tests (defaults to the system clock, or [testing] clock_start).
    explicit Server(ServerConfig config, std::function<QDateTime()> clock = {});
    ~Server();

    Status start();
    // Stops accepting, answers what was asked, writes the request log and stops every thread.
    void stop();

    quint16 port() const { return m_port; }
    ServerContext& context() { return *m_ctx; }
    QStringList routeList() const; // "METHOD /path" for every route
    // How many connections each HTTP thread serves now.
    QList<int> connectionsPerHttpThread() const;
    // Re-reads shared state (API keys, products, bans) now, as the periodic refresh would.
    void refreshSharedState();

private:
    struct HttpThread
    {
        std::unique_ptr<QThread> thread;
        QObject* host = nullptr; // lives in the thread
        HttpFrontend* frontend = nullptr;
    };

    Status startHttp();
    void stopHttp();

    std::unique_ptr<ServerContext> m_ctx;
    std::unique_ptr<PublicApi> m_public;
    std::unique_ptr<AdminApi> m_admin;
    std::unique_ptr<ValidationPipeline> m_pipeline;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<JobManager> m_jobs;
    std::unique_ptr<Housekeeper> m_housekeeper;
    std::vector<HttpThread> m_http;
    int m_listenDescriptor = -1;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace keyward::server
