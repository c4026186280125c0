#pragma once

#include "Result.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <any>
#include <atomic>
#include <memory>

namespace keyward {

// A long operation (generation, export...) running off the GUI thread. Progress is sampled a few
// times a second rather than signalled per row, so a million rows cost the GUI nothing.
class BackendJob : public QObject
{
    Q_OBJECT

public:
    // What the worker thread writes while the job runs; shared so the worker never outlives it.
    struct State
    {
        std::atomic<bool> cancel{false};
        std::atomic<qint64> done{0};
        std::atomic<qint64> total{0};
    };

    explicit BackendJob(QString title, QObject* parent = nullptr);

    QString title() const { return m_title; }
    std::shared_ptr<State> state() const { return m_state; }
    bool isFinished() const { return m_finished; }
    qint64 done() const { return m_state->done.load(); }
    qint64 total() const { return m_state->total.load(); }

    // The outcome, once finished: the status, how many rows it handled, and for generation the new
    // keys (unless there were too many to keep, see Backend::kRetainedKeys).
    const Status& status() const { return m_status; }
    qint64 count() const { return m_count; }
    const QStringList& keys() const { return m_keys; }
    // What a job hands back beyond the count (an import's ImportJobResult, a BulkTrashResult),
    // or nullptr when it failed or hands back nothing of that type.
    template<typename T>
    const T* result() const
    {
        return std::any_cast<T>(&m_result);
    }

    // Called on the GUI thread by the backend when the work is over.
    void finish(Status status, qint64 count, QStringList keys = {}, std::any result = {});

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void finished();

private:
    void sample();

    QString m_title;
    std::shared_ptr<State> m_state = std::make_shared<State>();
    QTimer m_sampler;
    bool m_finished = false;
    Status m_status;
    qint64 m_count = 0;
    QStringList m_keys;
    std::any m_result;
};

} // namespace keyward
