#include "RouteTable.h"

#include "HttpFrontend.h"

#include <QRegularExpression>

#include <algorithm>

namespace keyward::server {

ReplySink::ReplySink(HttpFrontend* frontend, quint64 exchange) : m_frontend(frontend), m_exchange(exchange) {}

void ReplySink::send(HttpReply reply) const
{
    HttpFrontend* frontend = m_frontend.data();
    if (!frontend)
        return; // the HTTP thread has shut down; nobody is waiting any more
    const quint64 exchange = m_exchange;
    if (QThread::currentThread() == frontend->thread()) {
        frontend->complete(exchange, std::move(reply));
        return;
    }
    QMetaObject::invokeMethod(
        frontend,
        [frontend, exchange, reply = std::move(reply)]() mutable {
            frontend->complete(exchange, std::move(reply));
        },
        Qt::QueuedConnection);
}

void RouteTable::add(const QString& method, const QString& path, RouteHandler handler,
                     std::optional<AdminPermission> permission)
{
    m_routes.push_back({method, path, std::move(handler), permission});
}

QString RouteTable::PathGroup::allowed() const
{
    QStringList methods;
    for (const Route* r : routes)
        methods << r->method;
    return methods.join(QLatin1String(", "));
}

std::vector<RouteTable::PathGroup> RouteTable::groups() const
{
    static const QRegularExpression parameter(QStringLiteral("\\{[^}/]+\\}"));
    std::vector<PathGroup> out;
    for (const Route& route : m_routes) {
        auto it =
            std::find_if(out.begin(), out.end(), [&](const PathGroup& g) { return g.path == route.path; });
        if (it == out.end()) {
            PathGroup g;
            g.path = route.path;
            g.qtPattern = route.path;
            g.argCount = int(route.path.count(parameter));
            g.qtPattern.replace(parameter, QStringLiteral("<arg>"));
            out.push_back(g);
            it = std::prev(out.end());
        }
        it->routes.push_back(&route);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const PathGroup& a, const PathGroup& b) { return a.argCount < b.argCount; });
    return out;
}

QStringList RouteTable::describe() const
{
    QStringList out;
    for (const Route& r : m_routes)
        out << r.method + QLatin1Char(' ') + r.path;
    out.sort();
    return out;
}

} // namespace keyward::server
