#pragma once

#include <QByteArray>
#include <QString>

namespace keyward {

// Bearer tokens (product API keys, admin tokens): random, shown once, stored only as a SHA-256.
class SecretToken
{
public:
    static constexpr int kRandomBytes = 24; // 192 bits

    // prefix + URL-safe base64 of kRandomBytes random bytes, e.g. "kw_3fQ...".
    static QString generate(const QString& prefix);
    // SHA-256 of the token text, as 64 lower-case hex digits (the stored form).
    static QString hash(const QString& token);
    // Compares two hashes in constant time, so the comparison leaks nothing about either.
    static bool sameHash(const QString& a, const QString& b);
    // What lists and logs may show of a token: its first characters, never all of it.
    static QString displayPrefix(const QString& token);
};

} // namespace keyward
