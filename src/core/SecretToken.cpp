#include "SecretToken.h"

#include "SecureRandom.h"

#include <QCryptographicHash>

#include <sodium.h>

namespace keyward {

QString SecretToken::generate(const QString& prefix)
{
    return prefix + SecureRandom::token(kRandomBytes);
}

QString SecretToken::hash(const QString& token)
{
    return QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

bool SecretToken::sameHash(const QString& a, const QString& b)
{
    const QByteArray x = a.toLatin1();
    const QByteArray y = b.toLatin1();
    if (x.size() != y.size())
        return false;
    return sodium_memcmp(x.constData(), y.constData(), size_t(x.size())) == 0;
}

QString SecretToken::displayPrefix(const QString& token)
{
    // The prefix ("kw_") plus a few random characters: enough to tell tokens apart.
    const qsizetype underscore = token.indexOf(QLatin1Char('_'));
    return token.left(std::min<qsizetype>(token.size() / 4, (underscore < 0 ? 0 : underscore + 1) + 6));
}

} // namespace keyward
