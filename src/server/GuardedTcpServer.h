#pragma once

#include "ConnectionBalancer.h"
#include "ConnectionGuard.h"
#include "PublicConnection.h"

#include <QAtomicInt>
#include <QHash>
#include <QSet>
#include <QTcpServer>
#include <QTimer>

namespace keyward::server {

// A listening socket whose connections start as PublicConnections (when a handler for them is
// set) and become QtHttpServer's guarded connections at their first request for anything else:
// such a socket gets a ConnectionGuard. The number of open connections (across all HTTP threads)
// is capped, and every connection is swept for timeouts once a second.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    GuardedTcpServer(const ConnectionLimits& limits, QAtomicInt& openConnections, int maxConnections,
                     QObject* parent = nullptr);
    ~GuardedTcpServer() override;

    // New connections then take turns among the servers of the balancer (one per HTTP thread).
    void setBalancer(ConnectionBalancer* balancer);
    // No more connections, neither accepted here nor from the balancer.
    void stopAccepting();

    // Public API requests on connections not (yet) given to QtHttpServer go here.
    void setPublicHandler(PublicConnection::RequestHandler handler) { m_publicHandler = std::move(handler); }
    // The guard of the connection from this peer; nullptr when it is gone.
    ConnectionGuard* guardFor(const QString& peerIp, quint16 peerPort) const;
    int connectionCount() const { return int(m_guards.size() + m_lanes.size()); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    // A new connection, in this server's thread.
    void serve(qintptr descriptor);
    static QString keyOf(const QHostAddress& address, quint16 port);
    void refuse(QTcpSocket* socket);
    // Makes the descriptor a socket of QtHttpServer's; a new connection over the cap is refused.
    void adopt(qintptr descriptor, bool isNew);

    ConnectionLimits m_limits;
    QAtomicInt& m_open;
    int m_max;
    QHash<QString, ConnectionGuard*> m_guards;
    QSet<PublicConnection*> m_lanes;
    PublicConnection::RequestHandler m_publicHandler;
    ConnectionBalancer* m_balancer = nullptr;
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
