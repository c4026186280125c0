#include "LicenseKey.h"

namespace keyward {

QString keyStatusToString(KeyStatus status)
{
    switch (status) {
    case KeyStatus::Active:
        return QStringLiteral("active");
    case KeyStatus::Suspended:
        return QStringLiteral("suspended");
    case KeyStatus::Revoked:
        return QStringLiteral("revoked");
    case KeyStatus::Expired:
        return QStringLiteral("expired");
    }
    return {};
}

std::optional<KeyStatus> keyStatusFromString(const QString& text)
{
    const QString t = text.trimmed().toLower();
    for (KeyStatus s : {KeyStatus::Active, KeyStatus::Suspended, KeyStatus::Revoked, KeyStatus::Expired}) {
        if (keyStatusToString(s) == t)
            return s;
    }
    return std::nullopt;
}

QString revokeReasonToString(RevokeReason reason)
{
    switch (reason) {
    case RevokeReason::None:
        return {};
    case RevokeReason::Refund:
        return QStringLiteral("refund");
    case RevokeReason::Chargeback:
        return QStringLiteral("chargeback");
    case RevokeReason::Abuse:
        return QStringLiteral("abuse");
    case RevokeReason::Other:
        return QStringLiteral("other");
    }
    return {};
}

std::optional<RevokeReason> revokeReasonFromString(const QString& text)
{
    const QString t = text.trimmed().toLower();
    for (RevokeReason r :
         {RevokeReason::Refund, RevokeReason::Chargeback, RevokeReason::Abuse, RevokeReason::Other}) {
        if (revokeReasonToString(r) == t)
            return r;
    }
    return std::nullopt;
}

KeyStatus LicenseKey::effectiveStatus(const QDateTime& now) const
{
    if (status == KeyStatus::Active && expiresAt.isValid() && expiresAt <= now)
        return KeyStatus::Expired;
    return status;
}

} // namespace keyward
