#include "ServerProcess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

#include <csignal>

ServerProcess::~ServerProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

QString ServerProcess::binary()
{
    return qEnvironmentVariable("KEYWARDD");
}

bool ServerProcess::start(const QStringList& args, int timeoutMs)
{
    m_process = std::make_unique<QProcess>();
    m_output.clear();
    m_port = 0;
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(binary(), args);
    if (!m_process->waitForStarted(timeoutMs))
        return false;
    static const QRegularExpression listening(QStringLiteral("listening on [^ ]+:(\\d+) "));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->waitForReadyRead(100))
            m_output += QString::fromLocal8Bit(m_process->readAll());
        const QRegularExpressionMatch m = listening.match(m_output);
        if (m.hasMatch()) {
            m_port = quint16(m.captured(1).toUInt());
            return true;
        }
        if (m_process->state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

int ServerProcess::stop(int signal, int timeoutMs)
{
    if (!m_process)
        return -1;
    ::kill(pid_t(m_process->processId()), signal);
    if (!m_process->waitForFinished(timeoutMs))
        return -1;
    m_output += QString::fromLocal8Bit(m_process->readAll());
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

int ServerProcess::run(const QStringList& args, QString* output, int timeoutMs)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(binary(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (output)
        *output = QString::fromLocal8Bit(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}
