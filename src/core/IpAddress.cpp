#include "IpAddress.h"

#include <arpa/inet.h>

#include <cstring>

namespace keyward {

std::optional<IpAddress> IpAddress::parse(const QString& text)
{
    const QByteArray raw = text.trimmed().toLatin1();
    if (raw.isEmpty() || raw.size() > 64)
        return std::nullopt;
    IpAddress address;
    in_addr v4{};
    in6_addr v6{};
    if (::inet_pton(AF_INET, raw.constData(), &v4) == 1) {
        std::memcpy(address.m_bytes.data(), &v4, 4);
        address.m_v4 = true;
    } else if (::inet_pton(AF_INET6, raw.constData(), &v6) == 1) {
        static const uint8_t mappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (std::memcmp(v6.s6_addr, mappedPrefix, 12) == 0) {
            std::memcpy(address.m_bytes.data(), v6.s6_addr + 12, 4);
            address.m_v4 = true;
        } else {
            std::memcpy(address.m_bytes.data(), v6.s6_addr, 16);
            address.m_v4 = false;
        }
    } else {
        return std::nullopt;
    }
    char buffer[INET6_ADDRSTRLEN] = {};
    if (!::inet_ntop(address.m_v4 ? AF_INET : AF_INET6, address.m_bytes.data(), buffer, sizeof buffer))
        return std::nullopt;
    address.m_text = QString::fromLatin1(buffer);
    return address;
}

Result<Cidr> Cidr::parse(const QString& text)
{
    const QString trimmed = text.trimmed();
    const qsizetype slash = trimmed.indexOf(QLatin1Char('/'));
    auto address = IpAddress::parse(slash < 0 ? trimmed : trimmed.left(slash));
    if (!address)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("\"%1\" is not an IP address or range (e.g. 203.0.113.7, 10.0.0.0/8, "
                                        "2001:db8::/32).")
                             .arg(trimmed));
    int prefix = address->bitCount();
    if (slash >= 0) {
        bool ok = false;
        prefix = trimmed.mid(slash + 1).toInt(&ok);
        if (!ok || prefix < 0 || prefix > address->bitCount())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("\"%1\" has an invalid prefix length (0 to %2).")
                                 .arg(trimmed)
                                 .arg(address->bitCount()));
    }
    // Keep only the network bits, so 10.1.2.3/8 and 10.0.0.0/8 are the same range.
    std::array<uint8_t, 16> bytes = address->bytes();
    for (int bit = prefix; bit < address->bitCount(); ++bit)
        bytes[size_t(bit / 8)] &= uint8_t(~(0x80u >> (bit % 8)));
    char buffer[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(address->isV4() ? AF_INET : AF_INET6, bytes.data(), buffer, sizeof buffer);
    Cidr cidr;
    cidr.m_network = *IpAddress::parse(QString::fromLatin1(buffer));
    cidr.m_prefix = prefix;
    return cidr;
}

bool Cidr::contains(const IpAddress& address) const
{
    if (address.isV4() != m_network.isV4())
        return false;
    const auto& a = address.bytes();
    const auto& n = m_network.bytes();
    const int fullBytes = m_prefix / 8;
    if (std::memcmp(a.data(), n.data(), size_t(fullBytes)) != 0)
        return false;
    const int rest = m_prefix % 8;
    if (rest == 0)
        return true;
    const uint8_t mask = uint8_t(0xFFu << (8 - rest));
    return (a[size_t(fullBytes)] & mask) == (n[size_t(fullBytes)] & mask);
}

bool Cidr::contains(const QString& address) const
{
    auto parsed = IpAddress::parse(address);
    return parsed && contains(*parsed);
}

QString Cidr::toString() const
{
    return m_network.toString() + QLatin1Char('/') + QString::number(m_prefix);
}

} // namespace keyward
