#pragma once

#include "Result.h"
#include "ValidationJob.h"

#include <QMutex>
#include <QWaitCondition>

#include <deque>
#include <memory>
#include <vector>

namespace keyward::server {

struct ServerContext;
class ValidationWorker;

// The queue between the HTTP threads and the database workers of the public API. Workers take
// every job waiting at once, so under load one statement counts a whole batch toward the daily
// limit; each worker has its own connection and prepared statements.
class ValidationPipeline
{
public:
    static constexpr int kMaxBatch = 256;

    ValidationPipeline(ServerContext& context, int workers);
    ~ValidationPipeline();

    Status start();
    void submit(ValidationJob job);
    // Answers every queued job, writes the request log, then stops the workers.
    void stop();
    size_t queued() const;

    // For workers: waits up to waitMs (0: not at all) for jobs; false once stopping and nothing is left.
    bool take(std::vector<ValidationJob>& batch, int waitMs);

private:
    ServerContext& m_ctx;
    int m_workerCount;
    std::vector<std::unique_ptr<ValidationWorker>> m_workers;
    mutable QMutex m_mutex;
    QWaitCondition m_ready;
    std::deque<ValidationJob> m_queue;
    bool m_stopping = false;
};

} // namespace keyward::server
