#pragma once

#include <QMutex>

#include <vector>

namespace keyward::server {

class GuardedTcpServer;

// Spreads new connections evenly over the HTTP threads. They all accept on one listening socket,
// and the thread that wakes first takes every connection waiting; as public API requests are
// decided on the HTTP thread that read them, an uneven share would leave a core idle.
class ConnectionBalancer
{
public:
    void add(GuardedTcpServer* server);
    void remove(GuardedTcpServer* server);
    // The server whose turn it is for the next connection (`accepting` when it is the only one).
    GuardedTcpServer* next(GuardedTcpServer* accepting);

private:
    QMutex m_mutex;
    std::vector<GuardedTcpServer*> m_servers;
    size_t m_turn = 0;
};

} // namespace keyward::server
