#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QTcpSocket>

#include <memory>

// What a test got back over HTTP. Header names are lower-cased (Qt 6.8 sends them lower-case).
struct HttpResponse
{
    int status = 0; // 0: no (complete) response
    QMap<QByteArray, QByteArray> headers;
    QByteArray body;

    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    QJsonObject json() const;
    QString text(const char* field) const { return json().value(QLatin1String(field)).toString(); }
};

// A blocking HTTP/1.1 client over one keep-alive TCP connection, for tests: it writes exactly the
// bytes it is given (so malformed requests can be sent) and parses responses by Content-Length.
// The server under test runs in other threads or processes, so blocking here is fine.
class HttpTestClient
{
public:
    explicit HttpTestClient(quint16 port, const QString& host = QStringLiteral("127.0.0.1"));

    HttpResponse request(const QByteArray& method, const QByteArray& path, const QByteArray& body = {},
                         const QList<QPair<QByteArray, QByteArray>>& headers = {}, int timeoutMs = 15000);
    HttpResponse post(const QByteArray& path, const QJsonObject& body, const QString& token = {});
    HttpResponse patch(const QByteArray& path, const QJsonObject& body, const QString& token = {});
    HttpResponse get(const QByteArray& path, const QString& token = {});
    HttpResponse del(const QByteArray& path, const QString& token = {});

    bool connect(int timeoutMs = 5000);
    bool sendRaw(const QByteArray& bytes);
    HttpResponse readResponse(int timeoutMs = 15000);
    // True when the server closed the connection within timeoutMs.
    bool waitForClose(int timeoutMs);
    bool connected() const;
    QTcpSocket& socket() { return *m_socket; }

private:
    QString m_host;
    quint16 m_port;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
};
