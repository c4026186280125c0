#pragma once

#include "GuardedTcpServer.h"
#include "HttpCompat.h"
#include "RouteTable.h"

#include <QHash>
#include <QObject>

#include <deque>
#include <memory>
#include <unordered_map>

namespace keyward::server {

struct ServerContext;

// One HTTP thread: a QHttpServer over a GuardedTcpServer, the route table registered with it, and
// the requests of this thread waiting for their answers. Lives in (and is used from) its thread.
class HttpFrontend : public QObject
{
    Q_OBJECT

public:
    HttpFrontend(ServerContext& context, int listenDescriptor);
    ~HttpFrontend() override;

    bool start(QString& error);
    // Writes the answer of an exchange (ReplySink::send brings it to this thread).
    void complete(quint64 exchange, HttpReply reply);
    void stopListening();
    int pendingCount() const { return int(m_pending.size()); }
    int connectionCount() const { return m_tcp ? m_tcp->connectionCount() : 0; }

private:
    // An exchange waiting for its answer: on a QtHttpServer connection (responder and guard) or
    // on a PublicConnection (lane).
    struct Pending
    {
        std::unique_ptr<QHttpServerResponder> responder;
        QPointer<ConnectionGuard> guard;
        QPointer<PublicConnection> lane;
        quint64 connection = 0; // the guard it started with (its id), even once that is gone
        bool close = false;
        bool done = false;
        HttpReply reply;
    };

    void dispatch(const RouteTable::PathGroup& group, const QStringList& args,
                  const QHttpServerRequest& request, QHttpServerResponder& responder);
    void answerNow(const QHttpServerRequest& request, QHttpServerResponder& responder,
                   const HttpReply& reply);
    void servePublic(PublicConnection& lane, const HttpHead& head, QByteArray body);
    Pending qtExchange(const QHttpServerRequest& request, QHttpServerResponder& responder, bool close);
    quint64 open(Pending pending);
    // Calls the group's route for the method, or answers 405.
    void run(const RouteTable::PathGroup& group, QStringList args, std::shared_ptr<HttpRequestInfo> info,
             Pending pending);
    std::shared_ptr<HttpRequestInfo> describe(const QHttpServerRequest& request) const;
    void flush(quint64 connection);
    // Writes the answer; true when the connection is to be closed once the exchange is gone.
    bool write(Pending& pending);

    ServerContext& m_ctx;
    int m_descriptor;
    std::unique_ptr<QHttpServer> m_http;
    GuardedTcpServer* m_tcp = nullptr; // owned by m_http once bound
    std::vector<RouteTable::PathGroup> m_groups;
    std::vector<const RouteTable::PathGroup*> m_publicGroups; // under /api/
    quint64 m_nextExchange = 1;
    std::unordered_map<quint64, Pending> m_pending;
    QHash<quint64, std::deque<quint64>> m_order; // per connection: answers leave in request order
};

} // namespace keyward::server
