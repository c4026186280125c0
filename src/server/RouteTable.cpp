#include "RouteTable.h"

#include "HttpFrontend.h"

#include <QRegularExpression>
#include <QThread>

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

void ReplySink::sendAll(std::vector<std::pair<ReplySink, HttpReply>> answers)
{
    // Answers of a batch mostly go to one or two HTTP threads: group them by thread in order.
    while (!answers.empty()) {
        HttpFrontend* frontend = answers.front().first.m_frontend.data();
        std::vector<std::pair<quint64, HttpReply>> mine;
        std::vector<std::pair<ReplySink, HttpReply>> rest;
        for (auto& [sink, reply] : answers) {
            if (sink.m_frontend.data() == frontend)
                mine.emplace_back(sink.m_exchange, std::move(reply));
            else
                rest.emplace_back(std::move(sink), std::move(reply));
        }
        answers.swap(rest);
        if (!frontend)
            continue;                                         // that HTTP thread has shut down
        if (frontend->thread() == QThread::currentThread()) { // decided on the HTTP thread itself
            for (auto& [exchange, reply] : mine)
                frontend->complete(exchange, std::move(reply));
            continue;
        }
        QMetaObject::invokeMethod(
            frontend,
            [frontend, mine = std::move(mine)]() mutable {
                for (auto& [exchange, reply] : mine)
                    frontend->complete(exchange, std::move(reply));
            },
            Qt::QueuedConnection);
    }
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

bool RouteTable::PathGroup::matches(const QList<QStringView>& pathSegments, QStringList& args) const
{
    if (pathSegments.size() != segments.size())
        return false;
    args.clear();
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString& want = segments.at(i);
        if (want.startsWith(QLatin1Char('{'))) {
            if (pathSegments.at(i).isEmpty())
                return false;
            args << pathSegments.at(i).toString();
        } else if (pathSegments.at(i) != want) {
            return false;
        }
    }
    return true;
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
            g.segments = route.path.split(QLatin1Char('/'));
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
