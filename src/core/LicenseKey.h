#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace keyward {

enum class KeyStatus
{
    Active,
    Suspended,
    Revoked,
    Expired
};
enum class RevokeReason
{
    None,
    Refund,
    Chargeback,
    Abuse,
    Other
};

QString keyStatusToString(KeyStatus status);
std::optional<KeyStatus> keyStatusFromString(const QString& text);
QString revokeReasonToString(RevokeReason reason);
std::optional<RevokeReason> revokeReasonFromString(const QString& text);

struct LicenseKey
{
    qint64 id = 0;
    qint64 productId = 0;
    QString productName; // filled by queries that join the product
    QString key;
    KeyStatus status = KeyStatus::Active;
    QString customerName;
    QString customerEmail;
    QString notes;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime expiresAt;           // null: never expires
    std::optional<int> maxDomains; // nullopt: no limit
    std::optional<int> maxUuids;
    std::optional<qint64> tokenBalance; // nullopt: not a token key
    RevokeReason revokeReason = RevokeReason::None;
    QDateTime revokedAt;
    QDateTime deletedAt; // set while the key is in the trash
    QStringList domains; // filled by KeyStore::find()
    QStringList uuids;

    // Status as an end user sees it: an active key past its expiry is expired.
    KeyStatus effectiveStatus(const QDateTime& now) const;
    bool inTrash() const { return deletedAt.isValid(); }
};

// Everything needed to create a key; the store fills ids and times.
struct NewKey
{
    QString key;
    KeyStatus status = KeyStatus::Active;
    QString customerName;
    QString customerEmail;
    QString notes;
    QDateTime expiresAt;
    std::optional<int> maxDomains;
    std::optional<int> maxUuids;
    std::optional<qint64> tokenBalance;
    QDateTime createdAt; // invalid: now (imports may keep the original creation time)
};

} // namespace keyward
