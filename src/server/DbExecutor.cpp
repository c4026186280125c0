#include "DbExecutor.h"

#include "Store.h"

namespace keyward::server {

DbExecutor::DbExecutor(DatabaseLocation location, std::function<QDateTime()> clock, QString name)
    : m_location(std::move(location)), m_clock(std::move(clock))
{
    m_thread.setObjectName(name);
}

DbExecutor::~DbExecutor()
{
    stop();
}

Status DbExecutor::start()
{
    m_thread.start();
    m_host = new QObject;
    m_host->moveToThread(&m_thread);
    Status status;
    QMetaObject::invokeMethod(
        m_host,
        [&] {
            auto store = Store::open(m_location, {});
            if (!store) {
                status = store.error();
                return;
            }
            m_store = std::move(store).value();
            m_store->setClock(m_clock);
        },
        Qt::BlockingQueuedConnection);
    {
        QMutexLocker lock(&m_postMutex);
        m_running = status.ok();
    }
    if (!status)
        stop();
    return status;
}

void DbExecutor::post(std::function<void(Store&)> task)
{
    QMutexLocker lock(&m_postMutex);
    if (!m_running)
        return;
    QMetaObject::invokeMethod(
        m_host,
        [this, task = std::move(task)] {
            if (m_store)
                task(*m_store);
        },
        Qt::QueuedConnection);
}

void DbExecutor::stop()
{
    if (!m_thread.isRunning())
        return;
    QMutexLocker lock(&m_postMutex);
    m_running = false;
    // Queued after everything posted so far, so those tasks still run.
    QMetaObject::invokeMethod(
        m_host,
        [this] {
            m_store.reset(); // the connection belongs to this thread
            delete m_host;
            m_host = nullptr;
            m_thread.quit();
        },
        Qt::QueuedConnection);
    lock.unlock();
    m_thread.wait();
}

} // namespace keyward::server
