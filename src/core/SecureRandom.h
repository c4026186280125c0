#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>

namespace keyward {

// Uniform random numbers from libsodium's CSPRNG. Bytes are fetched in blocks and values below n
// are drawn by rejection sampling, so no value is more likely than another (no modulo bias).
class SecureRandom
{
public:
    SecureRandom();

    // Uniform in [0, n), 1 <= n <= 256.
    int uniformSmall(int n)
    {
        const int limit = 256 - 256 % n;
        for (;;) {
            const int byte = nextByte();
            if (byte < limit)
                return byte % n;
        }
    }

    static QByteArray bytes(int count);
    // URL-safe base64 (no padding) of `count` random bytes, for tokens.
    static QString token(int count);

private:
    int nextByte()
    {
        if (m_position == m_buffer.size())
            refill();
        return m_buffer[m_position++];
    }
    void refill();

    std::array<uint8_t, 4096> m_buffer{};
    size_t m_position = 4096;
};

} // namespace keyward
