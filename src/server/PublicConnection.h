#pragma once

#include "ConnectionGuard.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QSocketNotifier;

namespace keyward::server {

struct HttpReply;

// One request head as PublicConnection reads it.
struct HttpHead
{
    QByteArray method;
    QByteArray target; // as sent: path and query, still percent-encoded
    QByteArray authorization;
    QByteArray forwardedFor;
    qint64 contentLength = 0;
    bool wantsClose = false;
    bool expectContinue = false;
};

// A client connection served without QtHttpServer for as long as it asks for the public API only.
// QtHttpServer 6.4 answering a fixed body without any work reaches about 0.4 of nginx on the same
// machine (docs/PERFORMANCE.md); validations need more than that. Each request is peeked at before
// it is read: a request for /api/ is read exactly to its end (never into the next one) and handed
// to the route table; anything else, and a request too short to tell yet, makes the connection
// QtHttpServer's from then on, with its bytes still unread in the socket (handOver). The limits
// are those ConnectionGuard enforces for QtHttpServer: 431, 413, 411 and 400 before a body is
// read, 408 and the idle timeout by sweep().
class PublicConnection : public QObject
{
    Q_OBJECT

public:
    // A complete request; the connection answers through reply() in the order they arrived.
    using RequestHandler = std::function<void(PublicConnection&, const HttpHead&, QByteArray body)>;
    // Gives the descriptor to QtHttpServer; the connection object is gone afterwards.
    using HandOver = std::function<void(int descriptor)>;

    PublicConnection(int descriptor, const ConnectionLimits& limits, RequestHandler onRequest,
                     HandOver handOver, QObject* parent = nullptr);
    ~PublicConnection() override;

    quint64 id() const { return m_id; }
    const QString& peerIp() const { return m_peerIp; }
    quint16 peerPort() const { return m_peerPort; }
    bool connected() const { return m_fd >= 0; }

    // Writes the answer of the oldest unanswered request (the caller keeps the order).
    void reply(const HttpReply& reply, bool close);
    // Called about once a second: the request and idle timeouts.
    void sweep(qint64 nowMs);

    // True when `data` starts with a request line for the public API ("POST /api/...").
    // `decided` is false when there are too few bytes to tell.
    static bool isPublicRequest(const char* data, qsizetype size, bool& decided);
    // Parses a complete head (without its final empty line); on failure sets status and message.
    static bool parseHead(const char* data, qsizetype size, HttpHead& head, int& status, QString& message);

private:
    void onReadable();
    bool readStep();
    void beginRequest(const char* peeked, qsizetype size);
    bool consume(qsizetype size);
    void write(const QByteArray& bytes);
    void onWritable();
    void reject(int status, const char* code, const QString& message);
    void writeRefusal();
    void linger();
    void handOverWhenIdle();
    void closeNow();
    bool busy() const { return m_pendingAnswers > 0 || !m_out.isEmpty(); }

    int m_fd;
    quint64 m_id;
    ConnectionLimits m_limits;
    RequestHandler m_onRequest;
    HandOver m_handOver;
    QString m_peerIp;
    quint16 m_peerPort = 0;
    std::unique_ptr<QSocketNotifier> m_readable;
    std::unique_ptr<QSocketNotifier> m_writable;
    QByteArray m_request; // the current request as read so far
    HttpHead m_head;
    qsizetype m_headLength = 0; // 0 while the head is incomplete
    qint64 m_requestStart = 0;
    qint64 m_lastActivity = 0;
    QByteArray m_out; // what the socket did not take yet
    int m_pendingAnswers = 0;
    QByteArray m_refusal;       // a refusal waiting for the answers owed before it
    bool m_stopReading = false; // the last request has been read (refused, or "Connection: close")
    bool m_closeAfterWrite = false;
    qint64 m_lingerSince = 0;
    bool m_handOverPending = false;
    bool m_peerDone = false; // the client sent its last byte
};

} // namespace keyward::server
