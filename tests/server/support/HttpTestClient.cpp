#include "HttpTestClient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>

QJsonObject HttpResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

HttpTestClient::HttpTestClient(quint16 port, const QString& host) : m_host(host), m_port(port) {}

bool HttpTestClient::connect(int timeoutMs)
{
    m_socket = std::make_unique<QTcpSocket>();
    m_buffer.clear();
    m_socket->connectToHost(m_host, m_port);
    return m_socket->waitForConnected(timeoutMs);
}

bool HttpTestClient::connected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool HttpTestClient::sendRaw(const QByteArray& bytes)
{
    if (!connected() && !connect())
        return false;
    if (m_socket->write(bytes) != bytes.size())
        return false;
    return m_socket->waitForBytesWritten(5000) || m_socket->bytesToWrite() == 0;
}

HttpResponse HttpTestClient::readResponse(int timeoutMs)
{
    HttpResponse response;
    QDeadlineTimer deadline(timeoutMs);
    qsizetype headEnd = -1;
    for (;;) {
        headEnd = m_buffer.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            // A 100 Continue is an interim answer: skip it.
            if (m_buffer.startsWith("HTTP/1.1 100")) {
                m_buffer.remove(0, headEnd + 4);
                continue;
            }
            break;
        }
        if (deadline.hasExpired() || !m_socket)
            return response;
        if (m_socket->bytesAvailable() == 0 &&
            !m_socket->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
            if (m_socket->bytesAvailable() == 0)
                return response;
        m_buffer += m_socket->readAll();
    }
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    const int status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            response.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                    lines[i].mid(colon + 1).trimmed());
    }
    const qint64 length = response.headers.value("content-length").toLongLong();
    while (m_buffer.size() < headEnd + 4 + length) {
        if (deadline.hasExpired())
            return {};
        if (m_socket->bytesAvailable() == 0 &&
            !m_socket->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))) &&
            m_socket->bytesAvailable() == 0)
            return {};
        m_buffer += m_socket->readAll();
    }
    response.body = m_buffer.mid(headEnd + 4, length);
    m_buffer.remove(0, headEnd + 4 + length);
    response.status = status;
    return response;
}

HttpResponse HttpTestClient::request(const QByteArray& method, const QByteArray& path, const QByteArray& body,
                                     const QList<QPair<QByteArray, QByteArray>>& headers, int timeoutMs)
{
    if (!connected() && !connect())
        return {};
    QByteArray raw = method + ' ' + path + " HTTP/1.1\r\nHost: " + m_host.toLatin1() + "\r\n";
    for (const auto& [name, value] : headers)
        raw += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PATCH" || method == "PUT")
        raw +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    raw += "\r\n" + body;
    if (!sendRaw(raw))
        return {};
    return readResponse(timeoutMs);
}

namespace {

QList<QPair<QByteArray, QByteArray>> auth(const QString& token)
{
    if (token.isEmpty())
        return {};
    return {{QByteArrayLiteral("Authorization"), "Bearer " + token.toLatin1()}};
}

} // namespace

HttpResponse HttpTestClient::post(const QByteArray& path, const QJsonObject& body, const QString& token)
{
    return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), auth(token));
}

HttpResponse HttpTestClient::patch(const QByteArray& path, const QJsonObject& body, const QString& token)
{
    return request("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact), auth(token));
}

HttpResponse HttpTestClient::get(const QByteArray& path, const QString& token)
{
    return request("GET", path, {}, auth(token));
}

HttpResponse HttpTestClient::del(const QByteArray& path, const QString& token)
{
    return request("DELETE", path, {}, auth(token));
}

bool HttpTestClient::waitForClose(int timeoutMs)
{
    if (!m_socket)
        return true;
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket->state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (m_socket->waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime()))))
            m_buffer += m_socket->readAll();
    }
    return m_socket->state() != QAbstractSocket::ConnectedState;
}
