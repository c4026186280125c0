#pragma once

#include "RequestLog.h"
#include "Result.h"
#include "ValidationJob.h"

#include <QSemaphore>
#include <QThread>

#include <deque>
#include <memory>
#include <vector>

namespace keyward::server {

struct ServerContext;
class ValidationBatch;
class ValidationPipeline;

// A database thread of the public API: decides the batches the pipeline hands it (PostgreSQL, or
// jobs from a thread without an event loop) and writes the request log: every entry waiting in
// ServerContext::requestLog (its own batches' and the HTTP threads'), in chunks. Owns its connection.
class ValidationWorker : public QThread
{
public:
    ValidationWorker(ServerContext& context, ValidationPipeline& pipeline, int index);
    ~ValidationWorker() override;

    Status waitReady();

protected:
    void run() override;

private:
    // The request log entries due to be written now (a chunk while a flush is under way).
    std::vector<RequestLogEntry> dueLog(bool force);
    // Puts a chunk that could not be written back, for the next flush.
    void keepLog(std::vector<RequestLogEntry> chunk, const Error& error);
    void flushLog(bool force);

    ServerContext& m_ctx;
    ValidationPipeline& m_pipeline;
    std::unique_ptr<ValidationBatch> m_batch;
    QSemaphore m_ready;
    Status m_openStatus;
    std::deque<RequestLogEntry> m_log; // waiting to be written, from the front in chunks
    qint64 m_lastFlush = 0;
    bool m_flushing = false; // a flush is under way, a chunk per loop
};

} // namespace keyward::server
