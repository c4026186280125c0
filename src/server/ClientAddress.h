#pragma once

#include "IpAddress.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace keyward::server {

// The end user's IP: the TCP peer, unless the peer is a configured trusted proxy (nginx in front
// of keywardd); then the right-most address of X-Forwarded-For that is not itself a trusted proxy.
class ClientAddress
{
public:
    explicit ClientAddress(std::vector<Cidr> trustedProxies = {}) : m_trusted(std::move(trustedProxies)) {}

    QString resolve(const QString& peer, const QByteArray& forwardedFor) const;
    bool trusted(const QString& address) const;
    static QString normalize(const QString& address); // canonical text; IPv4-mapped IPv6 as IPv4

private:
    std::vector<Cidr> m_trusted;
};

} // namespace keyward::server
