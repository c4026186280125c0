#include "ConnectionBalancer.h"

#include <algorithm>

namespace keyward::server {

void ConnectionBalancer::add(GuardedTcpServer* server)
{
    QMutexLocker lock(&m_mutex);
    if (std::find(m_servers.begin(), m_servers.end(), server) == m_servers.end())
        m_servers.push_back(server);
}

void ConnectionBalancer::remove(GuardedTcpServer* server)
{
    QMutexLocker lock(&m_mutex);
    m_servers.erase(std::remove(m_servers.begin(), m_servers.end(), server), m_servers.end());
}

GuardedTcpServer* ConnectionBalancer::next(GuardedTcpServer* accepting)
{
    QMutexLocker lock(&m_mutex);
    if (m_servers.empty())
        return accepting;
    return m_servers[m_turn++ % m_servers.size()];
}

} // namespace keyward::server
