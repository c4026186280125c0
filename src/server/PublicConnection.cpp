#include "PublicConnection.h"

#include "ClientAddress.h"
#include "HttpMessage.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace {

constexpr qsizetype kPeekBytes = 32 * 1024;
constexpr int kReadsPerWakeUp = 64; // then the other connections of the thread get their turn
constexpr qint64 kLingerMs = 2000;  // after a refusal, unread input is drained this long
constexpr qsizetype kMaxMethod = 16;

bool isMethodChar(char c)
{
    return c >= 'A' && c <= 'Z';
}

QByteArray trimmed(const char* begin, const char* end)
{
    while (begin < end && (*begin == ' ' || *begin == '\t'))
        ++begin;
    while (end > begin && (end[-1] == ' ' || end[-1] == '\t'))
        --end;
    return QByteArray(begin, end - begin);
}

bool equalsLower(const char* data, qsizetype size, const char* lower)
{
    qsizetype i = 0;
    for (; i < size && lower[i]; ++i) {
        char c = data[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != lower[i])
            return false;
    }
    return i == size && !lower[i];
}

bool hasToken(const QByteArray& value, const char* token)
{
    for (const QByteArray& part : value.split(',')) {
        const QByteArray t = part.trimmed();
        if (equalsLower(t.constData(), t.size(), token))
            return true;
    }
    return false;
}

QString peerOf(int fd, quint16& port)
{
    sockaddr_storage sa{};
    socklen_t length = sizeof sa;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&sa), &length) != 0)
        return {};
    QHostAddress address(reinterpret_cast<const sockaddr*>(&sa));
    port = sa.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&sa)->sin6_port)
                                    : ntohs(reinterpret_cast<sockaddr_in*>(&sa)->sin_port);
    return ClientAddress::normalize(address.toString());
}

} // namespace

bool PublicConnection::isPublicRequest(const char* data, qsizetype size, bool& decided)
{
    decided = true;
    qsizetype i = 0;
    while (i < size && i <= kMaxMethod && isMethodChar(data[i]))
        ++i;
    if (i == size && i <= kMaxMethod) {
        decided = false;
        return false;
    }
    if (i == 0 || i > kMaxMethod || data[i] != ' ')
        return false;
    static const char prefix[] = "/api/";
    for (qsizetype k = 0; prefix[k]; ++k) {
        if (i + 1 + k >= size) {
            decided = false;
            return false;
        }
        if (data[i + 1 + k] != prefix[k])
            return false;
    }
    return true;
}

bool PublicConnection::parseHead(const char* data, qsizetype size, HttpHead& head, int& status,
                                 QString& message)
{
    auto bad = [&](int code, const QString& text) {
        status = code;
        message = text;
        return false;
    };
    const char* const end = data + size;
    const char* lineEnd = static_cast<const char*>(memchr(data, '\n', size_t(size)));
    if (!lineEnd)
        lineEnd = end;
    const char* requestEnd = lineEnd > data && lineEnd[-1] == '\r' ? lineEnd - 1 : lineEnd;
    const char* sp1 = static_cast<const char*>(memchr(data, ' ', size_t(requestEnd - data)));
    const char* sp2 =
        sp1 ? static_cast<const char*>(memchr(sp1 + 1, ' ', size_t(requestEnd - sp1 - 1))) : nullptr;
    const QByteArray version = sp2 ? QByteArray(sp2 + 1, requestEnd - sp2 - 1) : QByteArray();
    if (!sp1 || !sp2 || sp1 == data || sp2 == sp1 + 1 || (version != "HTTP/1.1" && version != "HTTP/1.0"))
        return bad(400, QStringLiteral("The request line is not valid HTTP/1.1."));
    head.method = QByteArray(data, sp1 - data);
    head.target = QByteArray(sp1 + 1, sp2 - sp1 - 1);
    bool keepAlive = false;
    bool haveLength = false;
    QByteArray connection;
    for (const char* line = lineEnd + 1; line < end;) {
        const char* next = static_cast<const char*>(memchr(line, '\n', size_t(end - line)));
        if (!next)
            next = end;
        const char* stop = next > line && next[-1] == '\r' ? next - 1 : next;
        const char* colon = static_cast<const char*>(memchr(line, ':', size_t(stop - line)));
        if (!colon || colon == line || *line == ' ' || *line == '\t' ||
            memchr(line, ' ', size_t(colon - line)) || memchr(line, '\t', size_t(colon - line)))
            return bad(400, QStringLiteral("A request header is not valid HTTP/1.1."));
        const qsizetype nameSize = colon - line;
        const QByteArray value = trimmed(colon + 1, stop);
        if (equalsLower(line, nameSize, "content-length")) {
            bool ok = !value.isEmpty();
            for (char c : value)
                ok = ok && c >= '0' && c <= '9';
            const qint64 n = ok && value.size() <= 15 ? value.toLongLong() : -1;
            if (n < 0 || (haveLength && n != head.contentLength))
                return bad(400, QStringLiteral("The Content-Length header is not valid."));
            head.contentLength = n;
            haveLength = true;
        } else if (equalsLower(line, nameSize, "transfer-encoding")) {
            return bad(411, QStringLiteral(
                                "Send the body with a Content-Length (chunked bodies are not accepted)."));
        } else if (equalsLower(line, nameSize, "authorization")) {
            head.authorization = value;
        } else if (equalsLower(line, nameSize, "x-forwarded-for")) {
            head.forwardedFor = head.forwardedFor.isEmpty() ? value : head.forwardedFor + ", " + value;
        } else if (equalsLower(line, nameSize, "connection")) {
            connection = connection.isEmpty() ? value : connection + ',' + value;
        } else if (equalsLower(line, nameSize, "expect")) {
            head.expectContinue = equalsLower(value.constData(), value.size(), "100-continue");
        }
        line = next + 1;
    }
    if (!connection.isEmpty()) {
        head.wantsClose = hasToken(connection, "close");
        keepAlive = hasToken(connection, "keep-alive");
    }
    if (version == "HTTP/1.0" && !keepAlive)
        head.wantsClose = true;
    return true;
}

PublicConnection::PublicConnection(int descriptor, const ConnectionLimits& limits, RequestHandler onRequest,
                                   HandOver handOver, QObject* parent)
    : QObject(parent), m_fd(descriptor), m_id(ConnectionGuard::nextId()), m_limits(limits),
      m_onRequest(std::move(onRequest)), m_handOver(std::move(handOver)),
      m_lastActivity(ConnectionGuard::monotonicMs())
{
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    m_peerIp = peerOf(m_fd, m_peerPort);
    m_readable = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    m_writable = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Write);
    m_writable->setEnabled(false);
    connect(m_readable.get(), &QSocketNotifier::activated, this, &PublicConnection::onReadable);
    connect(m_writable.get(), &QSocketNotifier::activated, this, &PublicConnection::onWritable);
}

PublicConnection::~PublicConnection()
{
    m_readable.reset();
    m_writable.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

void PublicConnection::onReadable()
{
    for (int i = 0; i < kReadsPerWakeUp && m_fd >= 0; ++i) {
        if (!readStep())
            return;
    }
}

// One peek at what has arrived, and the part of it that belongs to the current request read.
// Returns true when there may be more to do right away.
bool PublicConnection::readStep()
{
    if (m_stopReading)
        return false;
    const qint64 limit = m_headLength == 0 ? m_limits.headerBytes + 4 : m_headLength + m_head.contentLength;
    char buffer[kPeekBytes];
    const qsizetype want = std::clamp<qsizetype>(qsizetype(limit) - m_request.size(), 1, kPeekBytes);
    const ssize_t n = ::recv(m_fd, buffer, size_t(want), MSG_PEEK | MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EINTR)
            return true;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            closeNow();
        return false;
    }
    if (n == 0) {
        m_peerDone = true;
        m_readable->setEnabled(false);
        if (!busy() || !m_request.isEmpty())
            closeNow();
        return false;
    }
    m_lastActivity = ConnectionGuard::monotonicMs();
    if (m_request.isEmpty()) {
        // Between requests: empty lines are allowed (RFC 9112, 2.2); then the lane is chosen.
        qsizetype blank = 0;
        while (blank < n && (buffer[blank] == '\r' || buffer[blank] == '\n'))
            ++blank;
        if (blank > 0)
            return consume(blank);
        bool decided = false;
        if (!isPublicRequest(buffer, n, decided)) {
            handOverWhenIdle(); // undecided too: QtHttpServer waits for the rest as well as we could
            return false;
        }
        m_requestStart = m_lastActivity;
    }
    qsizetype take = n;
    if (m_headLength == 0) {
        QByteArray seen =
            m_request.isEmpty() ? QByteArray::fromRawData(buffer, n) : m_request + QByteArray(buffer, n);
        const qsizetype end = seen.indexOf("\r\n\r\n", std::max<qsizetype>(0, m_request.size() - 3));
        if (end < 0) {
            if (seen.size() > m_limits.headerBytes) {
                reject(431, "headers_too_large",
                       QStringLiteral("The request headers are larger than %1 bytes.")
                           .arg(m_limits.headerBytes));
                return false;
            }
            return consume(n); // all of it is head; wait for the rest
        }
        if (end + 4 > m_limits.headerBytes) {
            reject(431, "headers_too_large",
                   QStringLiteral("The request headers are larger than %1 bytes.").arg(m_limits.headerBytes));
            return false;
        }
        int status = 400;
        QString problem;
        HttpHead head;
        if (!parseHead(seen.constData(), end, head, status, problem)) {
            reject(status, status == 411 ? "length_required" : "bad_request", problem);
            return false;
        }
        if (head.contentLength > m_limits.publicBodyBytes) {
            reject(413, "payload_too_large",
                   QStringLiteral("The request body is larger than %1 bytes, the limit for this route.")
                       .arg(m_limits.publicBodyBytes));
            return false;
        }
        m_head = std::move(head);
        m_headLength = end + 4;
    }
    const qsizetype total = m_headLength + qsizetype(m_head.contentLength);
    take = std::min<qsizetype>(n, total - m_request.size());
    const bool sawMore = take < n;
    if (!consume(take))
        return false;
    if (m_request.size() < total) {
        if (m_head.expectContinue) {
            m_head.expectContinue = false;
            write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        }
        return true;
    }
    HttpHead head = std::move(m_head);
    QByteArray body = m_request.mid(m_headLength);
    m_head = {};
    m_request.clear();
    m_headLength = 0;
    m_requestStart = 0;
    ++m_pendingAnswers;
    if (head.wantsClose) {
        m_stopReading = true;
        m_readable->setEnabled(false);
    }
    m_onRequest(*this, head, std::move(body));
    // Without more bytes seen, the next peek would most likely find nothing: wait for the notifier.
    return sawMore && m_fd >= 0 && !m_closeAfterWrite;
}

bool PublicConnection::consume(qsizetype size)
{
    const qsizetype old = m_request.size();
    m_request.resize(old + size);
    const ssize_t n = ::recv(m_fd, m_request.data() + old, size_t(size), MSG_DONTWAIT);
    if (n < 0) {
        m_request.resize(old);
        closeNow();
        return false;
    }
    m_request.resize(old + n);
    return true;
}

void PublicConnection::reply(const HttpReply& reply, bool close)
{
    m_pendingAnswers = std::max(0, m_pendingAnswers - 1);
    if (m_fd < 0)
        return;
    m_lastActivity = ConnectionGuard::monotonicMs();
    QByteArray out;
    out.reserve(128 + reply.body.size());
    out += "HTTP/1.1 ";
    out += QByteArray::number(reply.status);
    out += ' ';
    out += httpReasonPhrase(reply.status);
    out += "\r\nContent-Type: ";
    out += reply.contentType;
    out += "\r\nContent-Length: ";
    out += QByteArray::number(reply.body.size());
    out += "\r\n";
    for (const auto& [name, value] : reply.headers)
        out += name + ": " + value + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n";
    out += reply.body;
    if (close)
        m_closeAfterWrite = true;
    write(out);
    if (m_pendingAnswers == 0 && !m_refusal.isEmpty())
        writeRefusal();
}

void PublicConnection::write(const QByteArray& bytes)
{
    if (m_fd < 0)
        return;
    if (m_out.isEmpty()) {
        const ssize_t n = ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            closeNow();
            return;
        }
        const qsizetype sent = std::max<ssize_t>(n, 0);
        if (sent < bytes.size())
            m_out = bytes.mid(sent);
    } else {
        m_out += bytes;
    }
    if (!m_out.isEmpty()) {
        m_writable->setEnabled(true);
        return;
    }
    onWritable(); // everything went out: what was waiting for that can happen now
}

void PublicConnection::onWritable()
{
    if (m_fd < 0)
        return;
    if (!m_out.isEmpty()) {
        const ssize_t n = ::send(m_fd, m_out.constData(), size_t(m_out.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                closeNow();
            return;
        }
        m_out.remove(0, n);
        if (!m_out.isEmpty())
            return;
    }
    m_writable->setEnabled(false);
    if (m_closeAfterWrite) {
        linger();
        return;
    }
    if (busy())
        return;
    if (m_peerDone)
        closeNow();
    else if (m_handOverPending)
        handOverWhenIdle();
}

void PublicConnection::linger()
{
    // The last answer is out: stop sending, and drain what the client still sends for a while, so
    // that closing does not turn into a reset that could destroy the answer on its way.
    if (m_lingerSince > 0)
        return;
    ::shutdown(m_fd, SHUT_WR);
    m_lingerSince = ConnectionGuard::monotonicMs();
    disconnect(m_readable.get(), nullptr, this, nullptr);
    connect(m_readable.get(), &QSocketNotifier::activated, this, [this] {
        char discard[4096];
        const ssize_t n = ::recv(m_fd, discard, sizeof discard, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            closeNow();
    });
    m_readable->setEnabled(true);
}

void PublicConnection::reject(int status, const char* code, const QString& message)
{
    qCInfo(lcServer) << "refusing a request from" << m_peerIp << ":" << status << code;
    const QJsonObject body{{QStringLiteral("error"), QString::fromLatin1(code)},
                           {QStringLiteral("message"), message},
                           {QStringLiteral("valid"), false},
                           {QStringLiteral("status"), QString::fromLatin1(code)}};
    m_readable->setEnabled(false);
    m_stopReading = true;
    m_refusal = rawHttpResponse(status, QJsonDocument(body).toJson(QJsonDocument::Compact), true);
    if (m_pendingAnswers == 0)
        writeRefusal(); // else after the answers owed to the requests before this one
}

void PublicConnection::writeRefusal()
{
    m_closeAfterWrite = true;
    const QByteArray refusal = std::move(m_refusal);
    m_refusal.clear();
    write(refusal);
}

void PublicConnection::handOverWhenIdle()
{
    m_handOverPending = true;
    m_readable->setEnabled(false);
    if (busy())
        return; // after the answers still owed (onWritable comes back here)
    // The notifiers go first: QTcpSocket registers its own for this descriptor.
    m_readable.reset();
    m_writable.reset();
    const int fd = m_fd;
    m_fd = -1;
    m_handOver(fd);
    deleteLater();
}

void PublicConnection::closeNow()
{
    if (m_fd < 0)
        return;
    m_readable.reset();
    m_writable.reset();
    ::close(m_fd);
    m_fd = -1;
    deleteLater();
}

void PublicConnection::sweep(qint64 now)
{
    if (m_fd < 0)
        return;
    if (m_lingerSince > 0) {
        if (now - m_lingerSince > kLingerMs)
            closeNow();
        return;
    }
    if (busy() || m_handOverPending || m_stopReading)
        return;
    if (m_requestStart > 0 && now - m_requestStart > m_limits.requestTimeoutMs) {
        reject(408, "request_timeout",
               QStringLiteral("The request did not arrive within %1 seconds.")
                   .arg(m_limits.requestTimeoutMs / 1000));
        return;
    }
    if (m_requestStart == 0 && now - m_lastActivity > m_limits.idleTimeoutMs)
        closeNow();
}

} // namespace keyward::server
