#pragma once

#include "AdminRole.h"
#include "HttpMessage.h"

#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace keyward::server {

class HttpFrontend;

// Where an answer goes: the HTTP thread that took the request. send() may be called from any
// thread, exactly once; the answer is written in that thread, in request order per connection.
class ReplySink
{
public:
    ReplySink() = default;
    ReplySink(HttpFrontend* frontend, quint64 exchange);
    void send(HttpReply reply) const;
    // Many answers at once, with one hand-over per HTTP thread instead of one per answer.
    static void sendAll(std::vector<std::pair<ReplySink, HttpReply>> answers);

private:
    QPointer<HttpFrontend> m_frontend;
    quint64 m_exchange = 0;
};

// One request for a route handler.
struct HttpCall
{
    std::shared_ptr<const HttpRequestInfo> request;
    QStringList args; // the path's {parameters}, in order
    ReplySink reply;
};

using RouteHandler = std::function<void(const HttpCall&)>;

struct Route
{
    QString method; // GET, POST, PATCH, DELETE
    QString path;   // OpenAPI style: /admin/v1/keys/{id}
    RouteHandler handler;
    std::optional<AdminPermission> permission; // admin routes: what the token's role must allow
};

// Every route of the server, in one table: the HTTP layer registers it with QtHttpServer, and
// "keywardd --routes" prints it so that a test can hold docs/openapi.yaml to it.
class RouteTable
{
public:
    struct PathGroup
    {
        QString path;
        QString qtPattern; // with <arg> placeholders
        int argCount = 0;
        std::vector<const Route*> routes; // one per method
        QStringList segments;             // of path; "{...}" for a parameter
        QString allowed() const;          // for the Allow header of a 405
        // True when the (decoded) path has this shape; its parameters go to args.
        bool matches(const QList<QStringView>& pathSegments, QStringList& args) const;
    };

    void add(const QString& method, const QString& path, RouteHandler handler,
             std::optional<AdminPermission> permission = std::nullopt);
    const std::vector<Route>& routes() const { return m_routes; }
    // Distinct paths; paths without parameters first, so "/keys/bulk-trash" wins over "/keys/{id}".
    std::vector<PathGroup> groups() const;
    QStringList describe() const; // "METHOD /path", sorted

private:
    std::vector<Route> m_routes;
};

} // namespace keyward::server
