#pragma once

#include <QByteArray>
#include <QMetaMethod>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

namespace keyward::server {

// A client socket that can tell whether anyone still reads it (QtHttpServer 6.4 disconnects
// every signal of a socket it failed to parse and forgets it).
class GuardedSocket : public QTcpSocket
{
    Q_OBJECT

public:
    using QTcpSocket::QTcpSocket;
    bool abandoned() const { return !isSignalConnected(QMetaMethod::fromSignal(&QTcpSocket::readyRead)); }
};

struct ConnectionLimits
{
    qint64 headerBytes = 16 * 1024;
    qint64 publicBodyBytes = 16 * 1024;
    qint64 adminBodyBytes = 8 * 1024 * 1024;
    int requestTimeoutMs = 10'000;
    int idleTimeoutMs = 60'000;
};

// Watches one client connection for what QtHttpServer 6.4 does not bound: it reads each request
// head before QtHttpServer does (its readyRead slot is connected first) and refuses oversized heads
// (431), bodies over the limit of their route (413, before the body is read), bodies without a
// length (411) and unparsable heads (400); answers "Expect: 100-continue"; closes connections that
// idle or send a request too slowly (408). QtHttpServer reads everything available whenever it is
// between requests or inside one, so "unread bytes" are new bytes, and at a request boundary (no
// read transaction open) they start with a request head.
class ConnectionGuard : public QObject
{
    Q_OBJECT

public:
    ConnectionGuard(GuardedSocket* socket, const ConnectionLimits& limits);

    QTcpSocket* socket() const { return m_socket; }
    quint64 id() const { return m_id; } // unique for the life of the process
    bool connected() const { return !m_rejected && m_socket->state() == QAbstractSocket::ConnectedState; }

    // An exchange on this connection started or finished.
    void beginResponse();
    void endResponse();
    // Closes the connection once what was written has been sent (the client asked for it).
    void close();
    // Called about once a second: enforces the request and idle timeouts.
    void sweep(qint64 nowMs);

    static qint64 monotonicMs();
    // Connection ids, shared with PublicConnection: unique for the life of the process.
    static quint64 nextId();

private:
    void onReadyRead();
    bool feed(const char* data, qsizetype size, qint64 now);
    bool parseHead(const QByteArray& head, qsizetype length, bool& expectContinue);
    bool inProgress() const { return m_inBody || !m_head.isEmpty(); }
    void reject(int status, const char* code, const QString& message);

    GuardedSocket* m_socket;
    quint64 m_id;
    ConnectionLimits m_limits;
    QByteArray m_head;          // the current request's head so far
    QByteArray m_continuedHead; // the last head answered with 100 Continue (boundary re-reads)
    bool m_inBody = false;
    qint64 m_bodyRemaining = 0;
    qint64 m_requestStart = 0;
    qint64 m_lastActivity = 0;
    int m_pendingResponses = 0;
    bool m_rejected = false;
};

} // namespace keyward::server
