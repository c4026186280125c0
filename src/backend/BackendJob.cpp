#include "BackendJob.h"

namespace keyward {

BackendJob::BackendJob(QString title, QObject* parent) : QObject(parent), m_title(std::move(title))
{
    m_sampler.setInterval(100);
    connect(&m_sampler, &QTimer::timeout, this, &BackendJob::sample);
    m_sampler.start();
}

void BackendJob::sample()
{
    Q_EMIT progress(done(), total());
}

void BackendJob::cancel()
{
    m_state->cancel.store(true);
}

void BackendJob::finish(Status status, qint64 count, QStringList keys, std::any result)
{
    m_sampler.stop();
    m_status = std::move(status);
    m_count = count;
    m_keys = std::move(keys);
    m_result = std::move(result);
    m_finished = true;
    sample();
    Q_EMIT finished();
}

} // namespace keyward
