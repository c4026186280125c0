#pragma once

#include "Result.h"
#include "ValidationJob.h"

#include <QMetaObject>
#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

class QThread;

namespace keyward::server {

struct ServerContext;
class ValidationWorker;

// The queue between the HTTP threads and the database workers of the public API. Workers take
// every job waiting at once, so under load one statement counts a whole batch toward the daily
// limit; each worker has its own connection and prepared statements. A thread with an event loop
// hands its jobs over once per pass of its loop (before it waits again), not one by one: one
// wake-up of a worker per batch instead of per request.
class ValidationPipeline
{
public:
    static constexpr int kMaxBatch = 256;

    ValidationPipeline(ServerContext& context, int workers);
    ~ValidationPipeline();

    Status start();
    void submit(ValidationJob job);
    // Hands over what the calling thread has gathered (also done when its event loop waits).
    void submitGathered();
    // Answers every queued job, writes the request log, then stops the workers.
    void stop();
    size_t queued() const;

    // For workers: waits up to waitMs (0: not at all) for jobs; false once stopping and nothing is left.
    bool take(std::vector<ValidationJob>& batch, int waitMs);

private:
    struct Gathered
    {
        std::vector<ValidationJob> jobs;
        QMetaObject::Connection hook; // to the thread's event dispatcher
    };

    void enqueue(std::vector<ValidationJob>& jobs);

    ServerContext& m_ctx;
    int m_workerCount;
    std::vector<std::unique_ptr<ValidationWorker>> m_workers;
    mutable QMutex m_mutex;
    QWaitCondition m_ready;
    std::deque<ValidationJob> m_queue;
    bool m_stopping = false;
    std::atomic<bool> m_closing{false}; // set by stop(): no more gathering
    QMutex m_gatherMutex;               // for the map; each thread only touches its own entry
    std::unordered_map<QThread*, Gathered> m_gathered;
};

} // namespace keyward::server
