#pragma once

#include <QtGlobal>

#include <atomic>
#include <functional>

namespace keyward {

// How a long operation reports progress and learns that it should stop. Both are optional.
struct JobControl
{
    std::function<void(qint64 done, qint64 total)> progress;
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    void report(qint64 done, qint64 total) const
    {
        if (progress)
            progress(done, total);
    }
};

} // namespace keyward
