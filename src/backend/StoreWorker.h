#pragma once

#include "Database.h"
#include "JobControl.h"
#include "Store.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace keyward {

// A thread with its own connection to the database (a QtSql rule: one connection per thread) and
// a queue of tasks that run on it in order. A task posted on a lane replaces a task of that lane
// that is still queued and asks a running one to stop, so a table's newest request wins.
class StoreWorker
{
public:
    struct Task
    {
        std::function<void(Store&, const JobControl&)> run;
        std::function<void()> dropped; // instead of run, when a newer task of the lane replaced it
        int lane = 0;                  // 0: never replaced
        std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
    };

    explicit StoreWorker(QString name);
    ~StoreWorker(); // stops the running task, drops the queue, closes the connection
    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    // Starts the thread and opens the store there; `opened` runs on the worker thread.
    void start(const DatabaseLocation& location, const Database::Options& options, const QString& actor,
               std::function<void(const Status&)> opened);
    void post(Task task);
    // Never starts: queued and later tasks are answered as dropped (the database did not open).
    void abandon();

private:
    void loop(DatabaseLocation location, Database::Options options, QString actor,
              std::function<void(const Status&)> opened);
    bool takeNext(Task& task);

    QString m_name;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Task> m_queue;
    std::shared_ptr<std::atomic<bool>> m_runningCancel;
    int m_runningLane = 0;
    bool m_stopping = false;
};

} // namespace keyward
