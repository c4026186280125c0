#include "ClientAddress.h"

#include <QList>

#include <algorithm>

namespace keyward::server {

QString ClientAddress::normalize(const QString& address)
{
    auto parsed = IpAddress::parse(address);
    return parsed ? parsed->toString() : address;
}

bool ClientAddress::trusted(const QString& address) const
{
    auto parsed = IpAddress::parse(address);
    return parsed && std::any_of(m_trusted.begin(), m_trusted.end(),
                                 [&](const Cidr& c) { return c.contains(*parsed); });
}

QString ClientAddress::resolve(const QString& peer, const QByteArray& forwardedFor) const
{
    const QString direct = normalize(peer);
    if (m_trusted.empty() || forwardedFor.isEmpty() || !trusted(direct))
        return direct;
    const QList<QByteArray> hops = forwardedFor.split(',');
    QString client = direct;
    for (auto it = hops.crbegin(); it != hops.crend(); ++it) {
        auto address = IpAddress::parse(QString::fromLatin1(it->trimmed()));
        if (!address)
            return client; // garbage before this hop was written by the client itself
        client = address->toString();
        if (!trusted(client))
            return client;
    }
    return client;
}

} // namespace keyward::server
