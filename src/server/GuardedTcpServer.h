#pragma once

#include "ConnectionGuard.h"

#include <QAtomicInt>
#include <QHash>
#include <QTcpServer>
#include <QTimer>

namespace keyward::server {

// A listening socket that gives QtHttpServer guarded connections: each new socket gets a
// ConnectionGuard, the number of open connections (across all HTTP threads) is capped, and the
// guards are swept for timeouts once a second.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    GuardedTcpServer(const ConnectionLimits& limits, QAtomicInt& openConnections, int maxConnections,
                     QObject* parent = nullptr);

    // The guard of the connection from this peer; nullptr when it is gone.
    ConnectionGuard* guardFor(const QString& peerIp, quint16 peerPort) const;
    int guardCount() const { return int(m_guards.size()); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    static QString keyOf(const QHostAddress& address, quint16 port);
    void refuse(QTcpSocket* socket);

    ConnectionLimits m_limits;
    QAtomicInt& m_open;
    int m_max;
    QHash<QString, ConnectionGuard*> m_guards;
    QTimer m_sweep;
};

// A listening TCP socket opened by hand, so that several HTTP threads can accept on it: each gets
// its own duplicate of the descriptor for its own QTcpServer (the kernel hands every connection to
// exactly one of them). The port stays exclusively ours (no SO_REUSEPORT).
class ListenSocket
{
public:
    // Returns the descriptor, or -1 with `error` set. Port 0 picks a free port (see boundPort()).
    static int open(const QString& host, quint16 port, QString& error);
    static int duplicate(int descriptor);
    static quint16 boundPort(int descriptor);
};

} // namespace keyward::server
