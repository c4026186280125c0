#include "HttpFrontend.h"

#include "ClientAddress.h"
#include "ServerContext.h"

#include <QFile>
#include <QLoggingCategory>
#include <QUrl>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace {

QString methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QStringLiteral("GET");
    case QHttpServerRequest::Method::Post:
        return QStringLiteral("POST");
    case QHttpServerRequest::Method::Put:
        return QStringLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QStringLiteral("DELETE");
    case QHttpServerRequest::Method::Patch:
        return QStringLiteral("PATCH");
    case QHttpServerRequest::Method::Head:
        return QStringLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QStringLiteral("OPTIONS");
    case QHttpServerRequest::Method::Connect:
        return QStringLiteral("CONNECT");
    case QHttpServerRequest::Method::Trace:
        return QStringLiteral("TRACE");
    default:
        return QStringLiteral("UNKNOWN");
    }
}

} // namespace

HttpFrontend::HttpFrontend(ServerContext& context, int listenDescriptor)
    : m_ctx(context), m_descriptor(listenDescriptor)
{}

HttpFrontend::~HttpFrontend()
{
    // Responders first: they report back to QtHttpServer's connection objects.
    m_pending.clear();
    m_order.clear();
    m_http.reset();
}

bool HttpFrontend::start(QString& error)
{
    m_http = std::make_unique<QHttpServer>();
    ConnectionLimits limits;
    limits.headerBytes = m_ctx.config.headerBytes;
    limits.publicBodyBytes = m_ctx.config.publicBodyBytes;
    limits.adminBodyBytes = m_ctx.config.adminBodyBytes;
    limits.requestTimeoutMs = m_ctx.config.requestTimeoutMs;
    limits.idleTimeoutMs = m_ctx.config.idleTimeoutMs;
    m_tcp = new GuardedTcpServer(limits, m_ctx.openConnections, m_ctx.config.maxConnections);
    if (!m_tcp->setSocketDescriptor(m_descriptor)) {
        error = QStringLiteral("cannot take over the listening socket: ") + m_tcp->errorString();
        delete m_tcp;
        m_tcp = nullptr;
        return false;
    }
    m_groups = m_ctx.routes.groups();
    for (const RouteTable::PathGroup& group : m_groups) {
        if (group.path.startsWith(QLatin1String("/api/")))
            m_publicGroups.push_back(&group);
    }
    m_tcp->setPublicHandler([this](PublicConnection& lane, const HttpHead& head, QByteArray body) {
        servePublic(lane, head, std::move(body));
    });
    m_tcp->setBalancer(&m_ctx.balancer);
    for (const RouteTable::PathGroup& group : m_groups) {
        const RouteTable::PathGroup* g = &group; // m_groups does not change after this
        if (!compat::addRoute(
                *m_http, g->qtPattern, g->argCount,
                [this, g](const QStringList& args, const QHttpServerRequest& request,
                          QHttpServerResponder& responder) { dispatch(*g, args, request, responder); })) {
            error = QStringLiteral("cannot register the route ") + g->path;
            return false;
        }
    }
    compat::setMissingHandler(
        *m_http, this, [this](const QHttpServerRequest& request, QHttpServerResponder& responder) {
            const bool publicApi = request.url().path().startsWith(QLatin1String("/api/"));
            answerNow(
                request, responder,
                HttpReply::error(404, QStringLiteral("not_found"),
                                 QStringLiteral("There is no %1 route; see docs/openapi.yaml for the API.")
                                     .arg(request.url().path().left(200)),
                                 publicApi));
        });
    if (!compat::bind(*m_http, m_tcp)) {
        error = QStringLiteral("QHttpServer refused the listening socket");
        return false;
    }
    return true;
}

void HttpFrontend::stopListening()
{
    if (m_tcp)
        m_tcp->stopAccepting();
}

std::shared_ptr<HttpRequestInfo> HttpFrontend::describe(const QHttpServerRequest& request) const
{
    auto info = std::make_shared<HttpRequestInfo>();
    info->method = methodName(request.method());
    info->path = request.url().path();
    info->query = request.query();
    info->body = request.body();
    info->authorization = compat::header(request, QByteArrayLiteral("authorization"));
    info->wantsClose = compat::header(request, QByteArrayLiteral("connection")).toLower().contains("close");
    info->peerIp = ClientAddress::normalize(request.remoteAddress().toString());
    info->clientIp = m_ctx.clientAddress.resolve(
        info->peerIp, compat::header(request, QByteArrayLiteral("x-forwarded-for")));
    info->receivedAt = m_ctx.now();
    info->publicApi = info->path.startsWith(QLatin1String("/api/"));
    return info;
}

void HttpFrontend::dispatch(const RouteTable::PathGroup& group, const QStringList& args,
                            const QHttpServerRequest& request, QHttpServerResponder& responder)
{
    auto info = describe(request);
    Pending pending = qtExchange(request, responder, info->wantsClose);
    run(group, args, std::move(info), std::move(pending));
}

void HttpFrontend::answerNow(const QHttpServerRequest& request, QHttpServerResponder& responder,
                             const HttpReply& reply)
{
    // Through the same queue as every answer, so it cannot overtake an earlier one on its connection.
    const bool close = compat::header(request, QByteArrayLiteral("connection")).toLower().contains("close");
    complete(open(qtExchange(request, responder, close)), reply);
}

void HttpFrontend::servePublic(PublicConnection& lane, const HttpHead& head, QByteArray body)
{
    auto info = std::make_shared<HttpRequestInfo>();
    info->method = QString::fromLatin1(head.method);
    if (head.target.contains('%') || head.target.contains('?')) {
        const QUrl url = QUrl::fromEncoded(head.target);
        info->path = url.path();
        info->query = QUrlQuery(url);
    } else {
        info->path = QString::fromLatin1(head.target);
    }
    info->body = std::move(body);
    info->authorization = head.authorization;
    info->wantsClose = head.wantsClose;
    info->peerIp = lane.peerIp();
    info->clientIp = m_ctx.clientAddress.resolve(info->peerIp, head.forwardedFor);
    info->receivedAt = m_ctx.now();
    info->publicApi = true;

    Pending pending;
    pending.lane = &lane;
    pending.connection = lane.id();
    pending.close = head.wantsClose;
    const QList<QStringView> segments = QStringView(info->path).split(QLatin1Char('/'));
    QStringList args;
    for (const RouteTable::PathGroup* group : m_publicGroups) {
        if (group->matches(segments, args)) {
            run(*group, std::move(args), std::move(info), std::move(pending));
            return;
        }
    }
    complete(open(std::move(pending)),
             HttpReply::error(404, QStringLiteral("not_found"),
                              QStringLiteral("There is no %1 route; see docs/openapi.yaml for the API.")
                                  .arg(info->path.left(200)),
                              true));
}

HttpFrontend::Pending HttpFrontend::qtExchange(const QHttpServerRequest& request,
                                               QHttpServerResponder& responder, bool close)
{
    Pending pending;
    const quint16 port = compat::peerPort(request, responder);
    pending.responder = std::make_unique<QHttpServerResponder>(std::move(responder));
    pending.guard = m_tcp->guardFor(ClientAddress::normalize(request.remoteAddress().toString()), port);
    pending.close = close;
    ConnectionGuard* guard = pending.guard.data();
    pending.connection = guard ? guard->id() : 0;
    if (guard)
        guard->beginResponse();
    return pending;
}

quint64 HttpFrontend::open(Pending pending)
{
    const quint64 id = m_nextExchange++;
    const quint64 connection = pending.connection;
    m_pending.emplace(id, std::move(pending));
    m_order[connection].push_back(id);
    return id;
}

void HttpFrontend::run(const RouteTable::PathGroup& group, QStringList args,
                       std::shared_ptr<HttpRequestInfo> info, Pending pending)
{
    const Route* route = nullptr;
    for (const Route* r : group.routes) {
        if (r->method == info->method)
            route = r;
    }
    const quint64 id = open(std::move(pending));
    if (!route) {
        HttpReply reply = HttpReply::error(405, QStringLiteral("method_not_allowed"),
                                           QStringLiteral("%1 does not accept %2; it accepts %3.")
                                               .arg(group.path, info->method, group.allowed()),
                                           info->publicApi);
        reply.withHeader(QByteArrayLiteral("Allow"), group.allowed().toLatin1());
        complete(id, reply);
        return;
    }
    route->handler(HttpCall{std::move(info), std::move(args), ReplySink(this, id)});
}

void HttpFrontend::complete(quint64 exchange, HttpReply reply)
{
    auto it = m_pending.find(exchange);
    if (it == m_pending.end() || it->second.done)
        return;
    it->second.done = true;
    it->second.reply = std::move(reply);
    flush(it->second.connection);
}

void HttpFrontend::flush(quint64 connection)
{
    auto order = m_order.find(connection);
    if (order == m_order.end())
        return;
    std::deque<quint64>& queue = order.value();
    while (!queue.empty()) {
        auto it = m_pending.find(queue.front());
        if (it != m_pending.end()) {
            if (!it->second.done)
                break;
            const bool close = write(it->second);
            QPointer<ConnectionGuard> guard = it->second.guard;
            // The responder goes first: Qt 6.8 deletes a connection whose responder ends while it
            // is closing, which would drop the answer still in the socket's buffer.
            m_pending.erase(it);
            if (close && guard)
                guard->close();
        }
        queue.pop_front();
    }
    if (queue.empty())
        m_order.erase(order);
}

bool HttpFrontend::write(Pending& pending)
{
    if (!pending.responder) {
        // Public routes answer from memory (never a file), which is all a PublicConnection writes.
        if (PublicConnection* lane = pending.lane.data())
            lane->reply(pending.reply, pending.close);
        return false; // the connection closes itself when asked to
    }
    ConnectionGuard* guard = pending.guard.data();
    if (!guard || !guard->connected())
        return false; // the client went away; nothing to write to
    const HttpReply& reply = pending.reply;
    if (!reply.filePath.isEmpty()) {
        auto* file = new QFile(reply.filePath);
        if (file->open(QIODevice::ReadOnly)) {
            compat::writeDevice(*pending.responder, file, reply.contentType, reply.disposition);
            guard->endResponse();
            return false; // a download goes on after this; closing would cut it
        }
        delete file;
        compat::writeResponse(
            *pending.responder, 500,
            {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}},
            QByteArrayLiteral("{\"error\":\"internal\",\"message\":\"The result file is gone.\"}"));
        guard->endResponse();
        return true;
    }
    compat::HeaderPairs headers;
    headers.reserve(reply.headers.size() + 2);
    headers.append({QByteArrayLiteral("Content-Type"), reply.contentType});
    headers.append(reply.headers);
    if (pending.close)
        headers.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("close")});
    compat::writeResponse(*pending.responder, reply.status, headers, reply.body);
    guard->endResponse();
    return pending.close;
}

} // namespace keyward::server
