#pragma once

#include <QProcess>
#include <QStringList>

#include <memory>

// keywardd as a separate process (the binary named by $KEYWARDD), for what needs real processes:
// several instances on one database, signals, exit codes.
class ServerProcess
{
public:
    ServerProcess() = default;
    ~ServerProcess();

    static QString binary();
    // Starts `keywardd args...` and waits until it listens; false (with output()) when it does not.
    bool start(const QStringList& args, int timeoutMs = 30000);
    // Sends the signal and waits for the exit; returns the exit code (-1 when it crashed or hung).
    int stop(int signal = 15, int timeoutMs = 30000);
    quint16 port() const { return m_port; }
    QString output() const { return m_output; }
    QProcess& process() { return *m_process; }

    // Runs keywardd to completion (for --routes, bad options); returns the exit code.
    static int run(const QStringList& args, QString* output = nullptr, int timeoutMs = 30000);

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_output;
};
