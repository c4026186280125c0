#pragma once

#include "KeyFormat.h"
#include "Result.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace keyward {

enum class Plan
{
    Free,
    Pro,
    Enterprise
};

QString planToString(Plan plan);
std::optional<Plan> planFromString(const QString& text);
// The plan's daily validation limit; nullopt means unlimited.
std::optional<qint64> planDailyLimit(Plan plan);

struct Product
{
    qint64 id = 0;
    QString name;
    QString keyPattern = QString::fromLatin1(KeyFormat::kDefaultPattern);
    QString keyPrefix;
    QString alphabet = QString::fromLatin1(KeyFormat::kCrockfordAlphabet);
    bool checkSymbol = false;
    bool weakFormatAllowed = false; // the vendor forced a format under 64 bits
    std::optional<int> defaultExpiryDays;
    std::optional<int> defaultMaxDomains; // nullopt: no limit
    std::optional<int> defaultMaxUuids;
    bool tokenKeys = false;
    qint64 defaultTokens = 0;
    Plan plan = Plan::Free;
    std::optional<qint64> dailyLimitOverride; // custom daily limit instead of the plan's
    std::optional<qint64> maxKeys;
    bool archived = false;
    QDateTime createdAt;
    QDateTime updatedAt;

    Result<KeyFormat> format() const;
    std::optional<qint64> dailyLimit() const;
    // Checks names, limits and the key format; the message names the field that is wrong.
    Status validate() const;
};

} // namespace keyward
