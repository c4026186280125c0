#pragma once

// The one place where the QtHttpServer API differences between Qt 6.4 (Debian 12) and Qt 6.8
// (Debian 13) are handled. Everything else in the server uses these helpers only.
//   6.4: handlers take QHttpServerResponder&&, headers are std::initializer_list pairs, the
//        responder exposes its socket, setMissingHandler takes a plain function.
//   6.8: handlers take QHttpServerResponder&, headers are QHttpHeaders, setMissingHandler needs a
//        context object, the request knows its peer port, header names are sent in lower case.

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>
#include <utility>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#define KEYWARD_QT68_HTTP 1
#endif

namespace keyward::server::compat {

#ifdef KEYWARD_QT68_HTTP
using ResponderArg = QHttpServerResponder&;
#else
using ResponderArg = QHttpServerResponder&&;
#endif

using HeaderPairs = QList<std::pair<QByteArray, QByteArray>>;
// A route callback: the path's <arg> values, the request and its responder.
using RouteCallback =
    std::function<void(const QStringList& args, const QHttpServerRequest&, QHttpServerResponder&)>;
using MissingCallback = std::function<void(const QHttpServerRequest&, QHttpServerResponder&)>;

inline QHttpServerResponder::StatusCode statusCode(int status)
{
    return static_cast<QHttpServerResponder::StatusCode>(status);
}

// Writes a complete response with any number of headers (Content-Length is added here).
inline void writeResponse(QHttpServerResponder& responder, int status, const HeaderPairs& headers,
                          const QByteArray& body)
{
#ifdef KEYWARD_QT68_HTTP
    QHttpHeaders all;
    for (const auto& [name, value] : headers)
        all.append(name, value);
    responder.write(body, all, statusCode(status));
#else
    responder.writeStatusLine(statusCode(status));
    for (const auto& [name, value] : headers)
        responder.writeHeader(name, value);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(body.size()));
    responder.writeBody(body);
#endif
}

// Streams a file (the responder takes ownership of the device).
inline void writeDevice(QHttpServerResponder& responder, QIODevice* device, const QByteArray& contentType,
                        const QByteArray& disposition)
{
#ifdef KEYWARD_QT68_HTTP
    QHttpHeaders headers;
    headers.append(QHttpHeaders::WellKnownHeader::ContentType, contentType);
    headers.append(QHttpHeaders::WellKnownHeader::ContentDisposition, disposition);
    responder.write(device, headers, QHttpServerResponder::StatusCode::Ok);
#else
    responder.write(device,
                    {{QByteArrayLiteral("Content-Type"), contentType},
                     {QByteArrayLiteral("Content-Disposition"), disposition}},
                    QHttpServerResponder::StatusCode::Ok);
#endif
}

// A request header by name, case-insensitively; empty when absent.
inline QByteArray header(const QHttpServerRequest& request, const QByteArray& name)
{
#ifdef KEYWARD_QT68_HTTP
    return request.headers().value(QLatin1StringView(name)).toByteArray();
#else
    const auto all = request.headers();
    for (const auto& [key, value] : all) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
#endif
}

// The TCP port of the client connection (to find our per-connection state).
inline quint16 peerPort(const QHttpServerRequest& request, QHttpServerResponder& responder)
{
#ifdef KEYWARD_QT68_HTTP
    Q_UNUSED(responder)
    return request.remotePort();
#else
    Q_UNUSED(request)
    return responder.socket() ? responder.socket()->peerPort() : 0;
#endif
}

// Registers callback for pattern (with 0 to 2 "<arg>" placeholders) and every HTTP method.
inline bool addRoute(QHttpServer& server, const QString& pattern, int argCount, RouteCallback callback)
{
    constexpr auto any = QHttpServerRequest::Method::AnyKnown;
    switch (argCount) {
    case 0:
        return static_cast<bool>(
            server.route(pattern, any, [callback](const QHttpServerRequest& request, ResponderArg r) {
                callback({}, request, r);
            }));
    case 1:
        return static_cast<bool>(server.route(pattern, any,
                                              [callback](const QString& a, const QHttpServerRequest& request,
                                                         ResponderArg r) { callback({a}, request, r); }));
    case 2:
        return static_cast<bool>(server.route(pattern, any,
                                              [callback](const QString& a, const QString& b,
                                                         const QHttpServerRequest& request, ResponderArg r) {
                                                  callback({a, b}, request, r);
                                              }));
    default:
        return false;
    }
}

inline void setMissingHandler(QHttpServer& server, QObject* context, MissingCallback callback)
{
#ifdef KEYWARD_QT68_HTTP
    server.setMissingHandler(context, [callback](const QHttpServerRequest& request, QHttpServerResponder& r) {
        callback(request, r);
    });
#else
    Q_UNUSED(context)
    server.setMissingHandler(
        [callback](const QHttpServerRequest& request, QHttpServerResponder&& r) { callback(request, r); });
#endif
}

inline bool bind(QHttpServer& server, QTcpServer* tcpServer)
{
#ifdef KEYWARD_QT68_HTTP
    return server.bind(tcpServer);
#else
    server.bind(tcpServer);
    return true;
#endif
}

} // namespace keyward::server::compat
