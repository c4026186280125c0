#include "SecureRandom.h"

#include <sodium.h>

#include <cstdlib>

namespace keyward {
namespace {

void ensureSodium()
{
    // sodium_init() is thread-safe and idempotent; failure means no usable entropy source.
    static const bool ready = sodium_init() >= 0;
    if (!ready)
        std::abort();
}

} // namespace

SecureRandom::SecureRandom()
{
    ensureSodium();
}

void SecureRandom::refill()
{
    randombytes_buf(m_buffer.data(), m_buffer.size());
    m_position = 0;
}

QByteArray SecureRandom::bytes(int count)
{
    ensureSodium();
    QByteArray out(count, Qt::Uninitialized);
    randombytes_buf(out.data(), size_t(count));
    return out;
}

QString SecureRandom::token(int count)
{
    return QString::fromLatin1(
        bytes(count).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace keyward
