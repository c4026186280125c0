#include "Product.h"

namespace keyward {

QString planToString(Plan plan)
{
    switch (plan) {
    case Plan::Free:
        return QStringLiteral("free");
    case Plan::Pro:
        return QStringLiteral("pro");
    case Plan::Enterprise:
        return QStringLiteral("enterprise");
    }
    return {};
}

std::optional<Plan> planFromString(const QString& text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("free"))
        return Plan::Free;
    if (t == QLatin1String("pro"))
        return Plan::Pro;
    if (t == QLatin1String("enterprise"))
        return Plan::Enterprise;
    return std::nullopt;
}

std::optional<qint64> planDailyLimit(Plan plan)
{
    switch (plan) {
    case Plan::Free:
        return 10000;
    case Plan::Pro:
        return 100000;
    case Plan::Enterprise:
        return std::nullopt;
    }
    return std::nullopt;
}

Result<KeyFormat> Product::format() const
{
    KeyFormat::Options options;
    options.pattern = keyPattern;
    options.prefix = keyPrefix;
    options.alphabet = alphabet;
    options.checkSymbol = checkSymbol;
    options.force = weakFormatAllowed;
    return KeyFormat::create(options);
}

std::optional<qint64> Product::dailyLimit() const
{
    return dailyLimitOverride ? dailyLimitOverride : planDailyLimit(plan);
}

Status Product::validate() const
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("The product needs a name."));
    if (trimmed.size() > 100)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("The product name is longer than 100 characters."));
    if (Result<KeyFormat> f = format(); !f)
        return f.error();
    auto negative = [](const std::optional<int>& v) { return v && *v < 0; };
    if (negative(defaultExpiryDays) || negative(defaultMaxDomains) || negative(defaultMaxUuids))
        return makeError(ErrorKind::Invalid, QStringLiteral("Default expiry and limits cannot be negative."));
    if (defaultTokens < 0)
        return makeError(ErrorKind::Invalid, QStringLiteral("The default token balance cannot be negative."));
    if (dailyLimitOverride && *dailyLimitOverride < 0)
        return makeError(ErrorKind::Invalid, QStringLiteral("The daily limit cannot be negative."));
    if (maxKeys && *maxKeys < 0)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("The maximum number of keys cannot be negative."));
    return {};
}

} // namespace keyward
