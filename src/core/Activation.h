#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace keyward {

// A domain or a device UUID bound to a license key.
enum class ActivationKind
{
    Domain,
    Uuid
};

QString activationKindToString(ActivationKind kind); // "domain", "uuid"
std::optional<ActivationKind> activationKindFromString(const QString& text);

struct Activation
{
    qint64 id = 0;
    qint64 keyId = 0;
    ActivationKind kind = ActivationKind::Domain;
    QString value;
    QDateTime firstSeenAt;
    QDateTime lastSeenAt;
    QString lastIp;
};

} // namespace keyward
