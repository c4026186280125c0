#pragma once

#include "Result.h"

#include <QString>

#include <array>
#include <cstdint>
#include <optional>

namespace keyward {

// An IPv4 or IPv6 address in canonical text form. IPv4-mapped IPv6 addresses (::ffff:1.2.3.4,
// as a dual-stack socket reports IPv4 peers) are treated as the IPv4 address they carry.
class IpAddress
{
public:
    static std::optional<IpAddress> parse(const QString& text);

    bool isV4() const { return m_v4; }
    QString toString() const { return m_text; }
    const std::array<uint8_t, 16>& bytes() const { return m_bytes; } // IPv4 in the first 4
    int bitCount() const { return m_v4 ? 32 : 128; }

private:
    std::array<uint8_t, 16> m_bytes{};
    bool m_v4 = true;
    QString m_text;
};

// An address range such as 10.0.0.0/8 or 2001:db8::/32; a single address is a full-length range.
class Cidr
{
public:
    static Result<Cidr> parse(const QString& text);

    bool contains(const IpAddress& address) const;
    bool contains(const QString& address) const;
    QString toString() const; // canonical: network address / prefix length

private:
    IpAddress m_network;
    int m_prefix = 0;
};

} // namespace keyward
