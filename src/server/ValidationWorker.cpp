#include "ValidationWorker.h"

#include "ConnectionGuard.h"
#include "ServerContext.h"
#include "Store.h"
#include "ValidationBatch.h"
#include "ValidationPipeline.h"

#include <QLoggingCategory>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace {

constexpr size_t kLogBatch = 1000; // entries that make a flush due before its interval
constexpr size_t kLogChunk = 256;  // entries written in one transaction (between two batches)

} // namespace

ValidationWorker::ValidationWorker(ServerContext& context, ValidationPipeline& pipeline, int index)
    : m_ctx(context), m_pipeline(pipeline)
{
    setObjectName(QStringLiteral("validation-%1").arg(index));
}

ValidationWorker::~ValidationWorker()
{
    wait();
}

Status ValidationWorker::waitReady()
{
    m_ready.acquire();
    return m_openStatus;
}

void ValidationWorker::run()
{
    m_batch = std::make_unique<ValidationBatch>(m_ctx, objectName());
    m_openStatus = m_batch->open();
    m_ready.release();
    if (!m_openStatus) {
        m_batch.reset();
        return;
    }
    m_lastFlush = ConnectionGuard::monotonicMs();
    std::vector<ValidationJob> jobs;
    jobs.reserve(ValidationPipeline::kMaxBatch);
    std::vector<RequestLogEntry> decided;
    for (;;) {
        const qint64 sinceFlush = ConnectionGuard::monotonicMs() - m_lastFlush;
        jobs.clear();
        // While the request log is being written in chunks, only look for new jobs between them.
        const int wait = m_flushing ? 0 : int(std::max<qint64>(1, m_ctx.config.logFlushMs - sinceFlush));
        const bool more = m_pipeline.take(jobs, wait);
        if (!jobs.empty()) {
            m_batch->process(jobs, decided);
            m_ctx.requestLog.add(decided); // with the HTTP threads' entries, in arrival order
        }
        flushLog(!more);
        if (!more)
            break;
    }
    // The connection belongs to this thread: close it here, not in the destructor.
    m_batch.reset();
}

std::vector<RequestLogEntry> ValidationWorker::dueLog(bool force)
{
    const qint64 now = ConnectionGuard::monotonicMs();
    if (!m_flushing) {
        if (!force && m_ctx.requestLog.size() + m_log.size() < kLogBatch &&
            now - m_lastFlush < m_ctx.config.logFlushMs)
            return {};
        std::vector<RequestLogEntry> waiting = m_ctx.requestLog.take();
        m_log.insert(m_log.end(), std::make_move_iterator(waiting.begin()),
                     std::make_move_iterator(waiting.end()));
        m_lastFlush = now;
        m_flushing = !m_log.empty();
    }
    if (!m_flushing || !m_batch->store())
        return {};
    // A chunk at a time, so that validations arriving meanwhile wait for one chunk at most.
    const size_t n = force ? m_log.size() : std::min(m_log.size(), kLogChunk);
    std::vector<RequestLogEntry> chunk(std::make_move_iterator(m_log.begin()),
                                       std::make_move_iterator(m_log.begin() + qsizetype(n)));
    m_log.erase(m_log.begin(), m_log.begin() + qsizetype(n));
    m_flushing = !m_log.empty();
    return chunk;
}

void ValidationWorker::keepLog(std::vector<RequestLogEntry> chunk, const Error& error)
{
    qCWarning(lcServer) << "request log not written (" << (m_log.size() + chunk.size())
                        << "entries kept for the next try):" << error.message;
    m_log.insert(m_log.begin(), std::make_move_iterator(chunk.begin()), std::make_move_iterator(chunk.end()));
    if (m_log.size() > 100'000)
        m_log.erase(m_log.begin(), m_log.begin() + 50'000); // bounded memory while the database is down
    m_flushing = false;
}

void ValidationWorker::flushLog(bool force)
{
    std::vector<RequestLogEntry> chunk = dueLog(force);
    if (chunk.empty())
        return;
    Store& store = *m_batch->store();
    // On SQLite the HTTP threads count validations on connections of their own: one writer at a time.
    QMutexLocker writer(store.database().isSqlite() ? &m_ctx.sqliteWriter : nullptr);
    if (Status s = store.requestLog().append(chunk); !s)
        keepLog(std::move(chunk), s.error());
}

} // namespace keyward::server
