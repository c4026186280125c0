#pragma once

#include "JobControl.h"
#include "KeyFormat.h"
#include "LicenseKey.h"
#include "Result.h"

#include <functional>
#include <optional>

namespace keyward {

class Store;

struct GenerationRequest
{
    qint64 productId = 0;
    qint64 count = 0;
    std::optional<KeyFormat> format;    // nullopt: the product's format
    std::optional<QDateTime> expiresAt; // nullopt: the product's default; an invalid QDateTime: never
    std::optional<int> maxDomains;      // nullopt: the product's default; 0: no limit
    std::optional<int> maxUuids;        // likewise
    std::optional<qint64> tokens;       // nullopt: the product's default (token products only)
    QString customerName;
    QString customerEmail;
    QString notes;
};

// Generates and stores keys for a product in one transaction, streaming: keys are produced and
// inserted in batches, each new key handed to `sink` (e.g. an export file) and then forgotten.
// Uniqueness holds within the run and against the store. A cancelled or failed run stores nothing.
class KeyGeneration
{
public:
    static constexpr qint64 kMaxCount = 100'000'000;

    static Result<qint64> run(Store& store, const GenerationRequest& request, const JobControl& control = {},
                              const std::function<Status(const LicenseKey&)>& sink = {});
};

} // namespace keyward
