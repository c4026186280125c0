#include "StoreWorker.h"

#include <QLoggingCategory>

namespace keyward {

Q_LOGGING_CATEGORY(lcWorker, "keyward.backend")

StoreWorker::StoreWorker(QString name) : m_name(std::move(name)) {}

void StoreWorker::abandon()
{
    std::deque<Task> dropped;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        dropped.swap(m_queue);
    }
    for (Task& task : dropped) {
        if (task.dropped)
            task.dropped();
    }
}

StoreWorker::~StoreWorker()
{
    std::deque<Task> dropped;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        if (m_runningCancel)
            m_runningCancel->store(true);
        dropped.swap(m_queue);
    }
    m_wake.notify_all();
    for (Task& task : dropped) {
        if (task.dropped)
            task.dropped();
    }
    if (m_thread.joinable())
        m_thread.join();
}

void StoreWorker::start(const DatabaseLocation& location, const Database::Options& options,
                        const QString& actor, std::function<void(const Status&)> opened)
{
    m_thread = std::thread(&StoreWorker::loop, this, location, options, actor, std::move(opened));
}

void StoreWorker::post(Task task)
{
    std::function<void()> dropped;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            dropped = task.dropped;
        } else {
            if (task.lane != 0) {
                if (m_runningLane == task.lane && m_runningCancel)
                    m_runningCancel->store(true);
                for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
                    if (it->lane == task.lane) {
                        dropped = std::move(it->dropped);
                        m_queue.erase(it);
                        break;
                    }
                }
            }
            m_queue.push_back(std::move(task));
        }
    }
    m_wake.notify_one();
    if (dropped)
        dropped();
}

bool StoreWorker::takeNext(Task& task)
{
    std::unique_lock lock(m_mutex);
    m_runningCancel.reset();
    m_runningLane = 0;
    m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
    if (m_stopping)
        return false;
    task = std::move(m_queue.front());
    m_queue.pop_front();
    m_runningCancel = task.cancel;
    m_runningLane = task.lane;
    return true;
}

void StoreWorker::loop(DatabaseLocation location, Database::Options options, QString actor,
                       std::function<void(const Status&)> opened)
{
    auto store = Store::open(location, options);
    if (!store) {
        qCWarning(lcWorker) << m_name << "cannot open" << location.displayName() << ":"
                            << store.errorMessage();
        opened(store.error());
        // Keep draining so that every posted task is answered (as dropped).
        Task task;
        while (takeNext(task)) {
            if (task.dropped)
                task.dropped();
        }
        return;
    }
    (*store)->setActor(actor);
    opened(Status{});
    Task task;
    while (takeNext(task)) {
        JobControl control;
        control.cancel = task.cancel.get();
        (*store)->database().setCancelFlag(task.cancel.get());
        task.run(**store, control);
        (*store)->database().setCancelFlag(nullptr);
        task = Task{};
    }
}

} // namespace keyward
