#include "LoadRunner.h"

#include <QEventLoop>
#include <QTcpSocket>
#include <QTimer>

#include <memory>
#include <vector>

namespace {

struct Connection
{
    std::unique_ptr<QTcpSocket> socket;
    int remaining = 0;
    QByteArray buffer;
};

// Takes complete responses off the front of buffer; returns their status codes.
QList<int> takeResponses(QByteArray& buffer)
{
    QList<int> statuses;
    for (;;) {
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return statuses;
        const QByteArray head = buffer.left(headEnd).toLower();
        qint64 length = 0;
        const qsizetype at = head.indexOf("content-length:");
        if (at >= 0)
            length = head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
        if (buffer.size() < headEnd + 4 + length)
            return statuses;
        statuses << head.mid(9, 3).toInt();
        buffer.remove(0, headEnd + 4 + length);
    }
}

} // namespace

QMap<int, int> LoadRunner::run(const QList<quint16>& ports, const QByteArray& request, int total,
                               int connections, int timeoutMs)
{
    QMap<int, int> statuses;
    QEventLoop loop;
    int outstanding = total;
    std::vector<Connection> all(size_t(std::max(1, std::min(connections, total))));
    for (size_t i = 0; i < all.size(); ++i)
        all[i].remaining = total / int(all.size()) + (int(i) < total % int(all.size()) ? 1 : 0);

    for (size_t i = 0; i < all.size(); ++i) {
        Connection& c = all[i];
        c.socket = std::make_unique<QTcpSocket>();
        QTcpSocket* socket = c.socket.get();
        QObject::connect(socket, &QTcpSocket::connected, socket,
                         [socket, &request] { socket->write(request); });
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [&, socket, i] {
            Connection& own = all[i];
            own.buffer += socket->readAll();
            for (int status : takeResponses(own.buffer)) {
                ++statuses[status];
                --own.remaining;
                if (--outstanding == 0)
                    loop.quit();
                if (own.remaining > 0)
                    socket->write(request);
                else
                    socket->disconnectFromHost();
            }
        });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [&, i] {
            Connection& own = all[i];
            if (own.remaining > 0) { // closed early: what it still owed counts as unanswered
                statuses[0] += own.remaining;
                outstanding -= own.remaining;
                own.remaining = 0;
                if (outstanding <= 0)
                    loop.quit();
            }
        });
        socket->connectToHost(QStringLiteral("127.0.0.1"), ports.at(int(i) % ports.size()));
    }
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (outstanding > 0)
        loop.exec();
    if (outstanding > 0)
        statuses[0] += outstanding;
    return statuses;
}
