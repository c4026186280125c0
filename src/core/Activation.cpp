#include "Activation.h"

namespace keyward {

QString activationKindToString(ActivationKind kind)
{
    return kind == ActivationKind::Domain ? QStringLiteral("domain") : QStringLiteral("uuid");
}

std::optional<ActivationKind> activationKindFromString(const QString& text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("domain"))
        return ActivationKind::Domain;
    if (t == QLatin1String("uuid") || t == QLatin1String("device"))
        return ActivationKind::Uuid;
    return std::nullopt;
}

} // namespace keyward
