#include "GuardedTcpServer.h"

#include "HttpMessage.h"
#include "IpAddress.h"

#include <QLoggingCategory>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

GuardedTcpServer::GuardedTcpServer(const ConnectionLimits& limits, QAtomicInt& openConnections,
                                   int maxConnections, QObject* parent)
    : QTcpServer(parent), m_limits(limits), m_open(openConnections), m_max(maxConnections)
{
    m_sweep.setInterval(1000);
    connect(&m_sweep, &QTimer::timeout, this, [this] {
        const qint64 now = ConnectionGuard::monotonicMs();
        const QList<ConnectionGuard*> guards = m_guards.values();
        for (ConnectionGuard* guard : guards)
            guard->sweep(now);
        const QList<PublicConnection*> lanes = m_lanes.values();
        for (PublicConnection* lane : lanes)
            lane->sweep(now);
    });
    m_sweep.start();
}

GuardedTcpServer::~GuardedTcpServer()
{
    if (m_balancer)
        m_balancer->remove(this);
}

void GuardedTcpServer::setBalancer(ConnectionBalancer* balancer)
{
    m_balancer = balancer;
    m_balancer->add(this);
}

void GuardedTcpServer::stopAccepting()
{
    if (m_balancer)
        m_balancer->remove(this);
    m_balancer = nullptr;
    close();
}

QString GuardedTcpServer::keyOf(const QHostAddress& address, quint16 port)
{
    auto parsed = IpAddress::parse(address.toString());
    return (parsed ? parsed->toString() : address.toString()) + QLatin1Char('|') + QString::number(port);
}

ConnectionGuard* GuardedTcpServer::guardFor(const QString& peerIp, quint16 peerPort) const
{
    return m_guards.value(peerIp + QLatin1Char('|') + QString::number(peerPort), nullptr);
}

void GuardedTcpServer::refuse(QTcpSocket* socket)
{
    static const QByteArray body = QByteArrayLiteral(
        "{\"error\":\"too_many_connections\",\"message\":\"The server has too many open connections; "
        "try again shortly.\"}");
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->write(rawHttpResponse(503, body, true));
    socket->disconnectFromHost();
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    GuardedTcpServer* turn = m_balancer && m_publicHandler ? m_balancer->next(this) : this;
    if (turn == this) {
        serve(descriptor);
        return;
    }
    QMetaObject::invokeMethod(
        turn, [turn, descriptor] { turn->serve(descriptor); }, Qt::QueuedConnection);
}

void GuardedTcpServer::serve(qintptr descriptor)
{
    if (m_open.loadRelaxed() >= m_max || !m_publicHandler) {
        adopt(descriptor, true); // refused there, or QtHttpServer's from the start
        return;
    }
    m_open.ref();
    QAtomicInt* open = &m_open;
    auto* lane = new PublicConnection(
        int(descriptor), m_limits, m_publicHandler, [this](int fd) { adopt(fd, false); }, this);
    m_lanes.insert(lane);
    connect(lane, &QObject::destroyed, this, [this, lane, open] {
        m_lanes.remove(lane);
        open->deref();
    });
}

void GuardedTcpServer::adopt(qintptr descriptor, bool isNew)
{
    auto* socket = new GuardedSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        ::close(int(descriptor));
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (isNew && m_open.loadRelaxed() >= m_max) {
        qCWarning(lcServer) << "connection cap of" << m_max << "reached; refusing"
                            << socket->peerAddress().toString();
        refuse(socket);
        return;
    }
    m_open.ref();
    QAtomicInt* open = &m_open;
    connect(socket, &QObject::destroyed, [open] { open->deref(); });

    auto* guard = new ConnectionGuard(socket, m_limits);
    const QString key = keyOf(socket->peerAddress(), socket->peerPort());
    m_guards.insert(key, guard);
    connect(guard, &QObject::destroyed, this, [this, key, guard] {
        auto it = m_guards.find(key);
        if (it != m_guards.end() && it.value() == guard)
            m_guards.erase(it);
    });
    addPendingConnection(socket);
}

int ListenSocket::open(const QString& host, quint16 port, QString& error)
{
    auto address = IpAddress::parse(host);
    if (!address) {
        error = QStringLiteral("\"%1\" is not an IP address.").arg(host);
        return -1;
    }
    const bool v6 = !address->isV4();
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = QString::fromLocal8Bit(std::strerror(errno));
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int result = 0;
    if (v6) {
        const int zero = 0; // "::" also accepts IPv4 clients
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        sockaddr_in6 sa{};
        sa.sin6_family = AF_INET6;
        sa.sin6_port = htons(port);
        std::memcpy(&sa.sin6_addr, address->bytes().data(), 16);
        result = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    } else {
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        std::memcpy(&sa.sin_addr, address->bytes().data(), 4);
        result = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    }
    if (result != 0 || ::listen(fd, SOMAXCONN) != 0) {
        error = QStringLiteral("cannot listen on %1 port %2: %3")
                    .arg(host)
                    .arg(port)
                    .arg(QString::fromLocal8Bit(std::strerror(errno)));
        ::close(fd);
        return -1;
    }
    return fd;
}

int ListenSocket::duplicate(int descriptor)
{
    return ::fcntl(descriptor, F_DUPFD_CLOEXEC, 0);
}

quint16 ListenSocket::boundPort(int descriptor)
{
    sockaddr_storage sa{};
    socklen_t length = sizeof sa;
    if (::getsockname(descriptor, reinterpret_cast<sockaddr*>(&sa), &length) != 0)
        return 0;
    if (sa.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6*>(&sa)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&sa)->sin_port);
}

} // namespace keyward::server
