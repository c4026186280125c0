#include "ValidationPipeline.h"

#include "ServerContext.h"
#include "ValidationBatch.h"
#include "ValidationWorker.h"

#include <QAbstractEventDispatcher>
#include <QThread>

namespace keyward::server {

QString publicEndpointName(PublicEndpoint endpoint)
{
    switch (endpoint) {
    case PublicEndpoint::Validate:
        return QStringLiteral("validate");
    case PublicEndpoint::Activate:
        return QStringLiteral("activate");
    case PublicEndpoint::Deactivate:
        return QStringLiteral("deactivate");
    case PublicEndpoint::Consume:
        return QStringLiteral("consume");
    case PublicEndpoint::License:
        return QStringLiteral("license");
    }
    return {};
}

ValidationPipeline::ValidationPipeline(ServerContext& context, int workers)
    : m_ctx(context), m_workerCount(std::max(1, workers)), m_decideInline(context.location.isSqlite())
{}

ValidationPipeline::~ValidationPipeline()
{
    stop();
    QMutexLocker lock(&m_gatherMutex);
    for (auto& [thread, gathered] : m_gathered)
        QObject::disconnect(gathered.finished);
}

Status ValidationPipeline::start()
{
    for (int i = 0; i < m_workerCount; ++i) {
        auto worker = std::make_unique<ValidationWorker>(m_ctx, *this, i);
        worker->start();
        if (Status s = worker->waitReady(); !s) {
            stop();
            worker->wait();
            return s;
        }
        m_workers.push_back(std::move(worker));
    }
    return {};
}

void ValidationPipeline::submit(ValidationJob job)
{
    QThread* thread = QThread::currentThread();
    QAbstractEventDispatcher* dispatcher = thread->eventDispatcher();
    if (!dispatcher || m_closing.load()) {
        std::vector<ValidationJob> one;
        one.push_back(std::move(job));
        enqueue(one);
        return;
    }
    Gathered* gathered = nullptr;
    {
        QMutexLocker lock(&m_gatherMutex);
        gathered = &m_gathered[thread];
        if (!gathered->hook) {
            gathered->hook = QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, dispatcher,
                                              [this] { submitGathered(); });
            // The thread's own connection is closed by the thread, as it ends.
            gathered->finished = QObject::connect(
                thread, &QThread::finished, thread, [gathered] { gathered->batch.reset(); },
                Qt::DirectConnection);
        }
    }
    gathered->jobs.push_back(std::move(job));
    if (gathered->jobs.size() >= size_t(kMaxBatch))
        submitGathered();
}

void ValidationPipeline::submitGathered()
{
    Gathered* gathered = nullptr;
    {
        QMutexLocker lock(&m_gatherMutex);
        auto it = m_gathered.find(QThread::currentThread());
        if (it == m_gathered.end())
            return;
        gathered = &it->second;
    }
    if (gathered->jobs.empty())
        return;
    if (!m_decideInline || !decideHere(*gathered))
        enqueue(gathered->jobs);
}

bool ValidationPipeline::decideHere(Gathered& gathered)
{
    QReadLocker busy(&m_inlineBusy);
    if (m_closing.load())
        return false; // the workers answer what is left
    if (!gathered.batch)
        gathered.batch = std::make_unique<ValidationBatch>(
            m_ctx, QStringLiteral("HTTP thread %1").arg(QThread::currentThread()->objectName()));
    std::vector<RequestLogEntry> log;
    gathered.batch->process(gathered.jobs, log);
    gathered.jobs.clear();
    m_ctx.requestLog.add(log); // the workers write it
    return true;
}

void ValidationPipeline::enqueue(std::vector<ValidationJob>& jobs)
{
    QMutexLocker lock(&m_mutex);
    if (m_stopping) {
        lock.unlock();
        for (ValidationJob& job : jobs)
            job.reply.send(HttpReply::error(
                503, QStringLiteral("unavailable"),
                QStringLiteral("The license server is shutting down; try again shortly."), true));
        jobs.clear();
        return;
    }
    for (ValidationJob& job : jobs)
        m_queue.push_back(std::move(job));
    jobs.clear();
    m_ready.wakeOne();
}

bool ValidationPipeline::take(std::vector<ValidationJob>& batch, int waitMs)
{
    QMutexLocker lock(&m_mutex);
    if (m_queue.empty() && !m_stopping && waitMs > 0)
        m_ready.wait(&m_mutex, QDeadlineTimer(waitMs));
    const size_t n = std::min(m_queue.size(), size_t(kMaxBatch));
    for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    if (!m_queue.empty())
        m_ready.wakeOne(); // more than one batch waiting: let another worker help
    return !(m_stopping && batch.empty());
}

void ValidationPipeline::stop()
{
    m_closing.store(true);
    {
        QMutexLocker lock(&m_gatherMutex);
        for (auto& [thread, gathered] : m_gathered)
            QObject::disconnect(gathered.hook);
    }
    {
        // Batches being decided on HTTP threads finish first: their log entries are then in
        // requestLog before the workers' last flush.
        QWriteLocker wait(&m_inlineBusy);
    }
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_ready.wakeAll();
    }
    for (auto& worker : m_workers)
        worker->wait();
    m_workers.clear();
}

size_t ValidationPipeline::queued() const
{
    QMutexLocker lock(&m_mutex);
    return m_queue.size();
}

} // namespace keyward::server
