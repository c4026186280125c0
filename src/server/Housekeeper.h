#pragma once

#include "IpGuard.h"
#include "Result.h"

#include <QObject>
#include <QThread>
#include <QTimer>

#include <memory>
#include <vector>

namespace keyward {
class Store;
}

namespace keyward::server {

struct ServerContext;

// The server's background chores, on their own thread and connection: re-reads what other
// instances and people change (API keys, products, bans, lifts, the whitelist), stores the IP
// guard's evidence, records when API keys were used, and applies the request-log retention.
class Housekeeper : public QObject
{
    Q_OBJECT

public:
    explicit Housekeeper(ServerContext& context);
    ~Housekeeper() override;

    // Loads the shared state once (so the server starts with warm caches), then runs.
    Status start();
    // Stores what is still pending and stops.
    void stop();
    // Re-reads the shared state now (from any thread; returns when done).
    void refreshNow();

private:
    void refresh();
    void persistEvents();
    void touchApiKeys();
    void applyRetention();
    void flushRequestLog();

    ServerContext& m_ctx;
    QThread m_thread;
    std::unique_ptr<Store> m_store;
    QTimer* m_refreshTimer = nullptr;
    QTimer* m_eventTimer = nullptr;
    QTimer* m_hourlyTimer = nullptr;
    QTimer* m_touchTimer = nullptr;
    std::vector<IpEvent> m_unsaved;
};

} // namespace keyward::server
