#pragma once

#include "Result.h"
#include "ValidationJob.h"

#include <QMetaObject>
#include <QMutex>
#include <QReadWriteLock>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

class QThread;

namespace keyward::server {

struct ServerContext;
class ValidationBatch;
class ValidationWorker;

// How the public API's jobs reach a database connection. A thread with an event loop (an HTTP
// thread) gathers its jobs and deals with them once per pass of its loop, before it waits again:
// under load one statement counts a whole batch toward the daily limit. On SQLite the HTTP thread
// decides its batch itself, on a connection of its own (ValidationBatch): no hand-over to another
// thread and back, and the key reads of two HTTP threads run in parallel (only the counting
// transaction takes turns). On PostgreSQL the batch goes to the queue of the database workers,
// whose connections stay few whatever the number of HTTP threads. The workers also write the
// request log.
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
        QMetaObject::Connection hook;           // to the thread's event dispatcher
        QMetaObject::Connection finished;       // the thread's end: its connection closes there
        std::unique_ptr<ValidationBatch> batch; // SQLite: this thread's own connection
    };

    void enqueue(std::vector<ValidationJob>& jobs);
    // Decides the thread's jobs on its own connection; false when stopping (then enqueue them).
    bool decideHere(Gathered& gathered);

    ServerContext& m_ctx;
    int m_workerCount;
    std::vector<std::unique_ptr<ValidationWorker>> m_workers;
    mutable QMutex m_mutex;
    QWaitCondition m_ready;
    std::deque<ValidationJob> m_queue;
    bool m_stopping = false;
    std::atomic<bool> m_closing{false}; // set by stop(): no more gathering
    bool m_decideInline = false;        // SQLite
    QReadWriteLock m_inlineBusy;        // held (for reading) while an HTTP thread decides a batch
    QMutex m_gatherMutex;               // for the map; each thread only touches its own entry
    std::unordered_map<QThread*, Gathered> m_gathered;
};

} // namespace keyward::server
