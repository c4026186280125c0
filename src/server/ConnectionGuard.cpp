#include "ConnectionGuard.h"

#include "HttpMessage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <atomic>
#include <time.h>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace {

// More than this is not inspected in one go; QtHttpServer's own parser limits are the fallback.
constexpr qint64 kPeekLimit = 256 * 1024;

} // namespace

quint64 ConnectionGuard::nextId()
{
    static std::atomic<quint64> counter{1};
    return counter.fetch_add(1, std::memory_order_relaxed);
}

qint64 ConnectionGuard::monotonicMs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

ConnectionGuard::ConnectionGuard(GuardedSocket* socket, const ConnectionLimits& limits)
    : QObject(socket), m_socket(socket), m_id(nextId()), m_limits(limits), m_lastActivity(monotonicMs())
{
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
}

void ConnectionGuard::onReadyRead()
{
    if (m_rejected)
        return;
    const qint64 now = monotonicMs();
    m_lastActivity = now;
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    const QByteArray data = m_socket->peek(std::min(available, kPeekLimit));
    if (!m_socket->isTransactionStarted()) {
        // At a request boundary: the unread bytes start with a head (perhaps seen before, when
        // QtHttpServer waits for an answer before reading on), so read them from the start.
        const bool wasInProgress = inProgress();
        const qint64 started = m_requestStart;
        m_head.clear();
        m_inBody = false;
        m_bodyRemaining = 0;
        if (!feed(data.constData(), data.size(), now))
            return;
        if (wasInProgress && inProgress())
            m_requestStart = started;
    } else if (!feed(data.constData(), data.size(), now)) {
        return;
    }
    if (available > data.size() && m_inBody)
        m_bodyRemaining = std::max<qint64>(0, m_bodyRemaining - (available - data.size()));
    if (!inProgress())
        m_requestStart = 0;
}

bool ConnectionGuard::feed(const char* data, qsizetype size, qint64 now)
{
    qsizetype pos = 0;
    while (pos < size) {
        if (m_inBody) {
            const qint64 take = std::min<qint64>(size - pos, m_bodyRemaining);
            m_bodyRemaining -= take;
            pos += take;
            m_inBody = m_bodyRemaining > 0;
            continue;
        }
        if (m_head.isEmpty()) {
            // Empty lines between requests are allowed (RFC 9112, 2.2).
            while (pos < size && (data[pos] == '\r' || data[pos] == '\n'))
                ++pos;
            if (pos == size)
                break;
            m_requestStart = now;
        }
        const qsizetype old = m_head.size();
        m_head.append(data + pos, size - pos);
        const qsizetype end = m_head.indexOf("\r\n\r\n", std::max<qsizetype>(0, old - 3));
        if (end < 0) {
            if (m_head.size() > m_limits.headerBytes) {
                reject(431, "headers_too_large",
                       QStringLiteral("The request headers are larger than %1 bytes.")
                           .arg(m_limits.headerBytes));
                return false;
            }
            return true;
        }
        const qsizetype length = end + 4;
        if (length > m_limits.headerBytes) {
            reject(431, "headers_too_large",
                   QStringLiteral("The request headers are larger than %1 bytes.").arg(m_limits.headerBytes));
            return false;
        }
        bool expectContinue = false;
        if (!parseHead(m_head, length, expectContinue))
            return false;
        pos += length - old;
        const QByteArray head = m_head.left(length);
        m_head.clear();
        m_inBody = m_bodyRemaining > 0;
        if (expectContinue && m_inBody && pos == size && head != m_continuedHead) {
            m_continuedHead = head;
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
    }
    return true;
}

bool ConnectionGuard::parseHead(const QByteArray& head, qsizetype length, bool& expectContinue)
{
    const QByteArray text = head.left(length - 4);
    const QList<QByteArray> lines = text.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        reject(400, "bad_request", QStringLiteral("The request line is not valid HTTP/1.1."));
        return false;
    }
    const QByteArray target = requestLine.at(1);
    const bool admin = target.startsWith("/admin/");
    const qint64 limit = admin ? m_limits.adminBodyBytes : m_limits.publicBodyBytes;
    qint64 contentLength = 0;
    bool haveLength = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            if (!ok || n < 0 || (haveLength && n != contentLength)) {
                reject(400, "bad_request", QStringLiteral("The Content-Length header is not valid."));
                return false;
            }
            contentLength = n;
            haveLength = true;
        } else if (name == "transfer-encoding") {
            reject(411, "length_required",
                   QStringLiteral("Send the body with a Content-Length (chunked bodies are not accepted)."));
            return false;
        } else if (name == "expect") {
            expectContinue = value.compare("100-continue", Qt::CaseInsensitive) == 0;
        }
    }
    if (contentLength > limit) {
        reject(
            413, "payload_too_large",
            QStringLiteral("The request body is larger than %1 bytes, the limit for this route.").arg(limit));
        return false;
    }
    m_bodyRemaining = contentLength;
    return true;
}

void ConnectionGuard::reject(int status, const char* code, const QString& message)
{
    m_rejected = true;
    qCInfo(lcServer) << "refusing a request from" << m_socket->peerAddress().toString() << ":" << status
                     << code;
    const QJsonObject body{{QStringLiteral("error"), QString::fromLatin1(code)},
                           {QStringLiteral("message"), message}};
    // QtHttpServer must not see the rest of this connection.
    QObject::disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
    m_socket->write(rawHttpResponse(status, QJsonDocument(body).toJson(QJsonDocument::Compact), true));
    m_socket->disconnectFromHost();
}

void ConnectionGuard::beginResponse()
{
    ++m_pendingResponses;
}

void ConnectionGuard::endResponse()
{
    m_pendingResponses = std::max(0, m_pendingResponses - 1);
    m_lastActivity = monotonicMs();
}

void ConnectionGuard::close()
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->flush();
    m_socket->disconnectFromHost(); // after the buffered answer has been sent
}

void ConnectionGuard::sweep(qint64 now)
{
    if (!m_rejected && m_socket->abandoned()) {
        // QtHttpServer 6.4 drops every connection of a socket it cannot parse and leaves it open:
        // nobody else will close or delete it.
        m_rejected = true;
        m_socket->abort();
        m_socket->deleteLater();
        return;
    }
    if (m_rejected || m_socket->state() != QAbstractSocket::ConnectedState || m_pendingResponses > 0)
        return;
    if (inProgress() && m_requestStart > 0 && now - m_requestStart > m_limits.requestTimeoutMs) {
        reject(408, "request_timeout",
               QStringLiteral("The request did not arrive within %1 seconds.")
                   .arg(m_limits.requestTimeoutMs / 1000));
        return;
    }
    if (!inProgress() && now - m_lastActivity > m_limits.idleTimeoutMs)
        m_socket->disconnectFromHost();
}

} // namespace keyward::server
