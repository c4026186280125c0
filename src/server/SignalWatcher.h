#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace keyward::server {

// Turns SIGTERM and SIGINT into a Qt signal in the main thread (through a self-pipe: a signal
// handler may do almost nothing, writing one byte is allowed).
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    SignalWatcher();
    ~SignalWatcher() override;

Q_SIGNALS:
    void stopRequested(int signal);

private:
    static void handle(int signal);
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace keyward::server
