#pragma once

#include "DatabaseLocation.h"
#include "Result.h"

#include <QDateTime>
#include <QMutex>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace keyward {
class Store;
}

namespace keyward::server {

// A thread with its own database connection that runs tasks one after another: the admin API and
// unban requests, which are rare, may be slow (a page of a 10-million-key table) and must never
// hold up validations.
class DbExecutor
{
public:
    DbExecutor(DatabaseLocation location, std::function<QDateTime()> clock, QString name);
    ~DbExecutor();

    Status start();
    // Runs task in the executor's thread with its store; tasks posted after stop() are dropped.
    void post(std::function<void(Store&)> task);
    // Runs what was posted so far, then stops.
    void stop();

private:
    DatabaseLocation m_location;
    std::function<QDateTime()> m_clock;
    QThread m_thread;
    QObject* m_host = nullptr; // lives in m_thread
    std::unique_ptr<Store> m_store;
    QMutex m_postMutex; // post() may race with stop()
    bool m_running = false;
};

} // namespace keyward::server
