#pragma once

#include "KeyFormat.h"
#include "LicenseKey.h"
#include "PreparedQuery.h"
#include "Product.h"
#include "SqliteStatement.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace keyward {

class Database;

// The statuses of the public validation API (see DESIGN, "Public validation API").
enum class ValidationStatus
{
    Active,
    LicenseNotFound,
    InvalidFormat,
    Revoked,
    Suspended,
    Expired,
    DomainMismatch,
    UuidMismatch,
    IpBlocked,
    ProductArchived,
};

QString validationStatusToString(ValidationStatus status);

struct ValidationRequest
{
    QString licenseKey;
    QString uuid;   // optional
    QString domain; // optional
};

struct ValidationDecision
{
    ValidationStatus status = ValidationStatus::LicenseNotFound;
    QString code;    // L3n7, C4r5 or P477 with invalid_format
    QString message; // for the end user
    std::optional<LicenseKey> key;

    bool valid() const { return status == ValidationStatus::Active; }
    // A key that does not exist or cannot exist: what stolen-key testing produces.
    bool unknownKey() const
    {
        return status == ValidationStatus::LicenseNotFound || status == ValidationStatus::InvalidFormat;
    }
};

// Decides the answer to a validation, once, for every endpoint that needs one. Pure functions:
// the caller looks the key up (LicenseLookup) between precheck() and decide().
class Validator
{
public:
    // Before any lookup: the product's state and the key's format. nullopt means "look the key
    // up"; `normalized` then holds the key as stored.
    static std::optional<ValidationDecision> precheck(const Product& product, const KeyFormat& format,
                                                      const QString& licenseKey, QString& normalized);
    // After the lookup (nullopt: no such key of this product). With checkBindings false the bound
    // domains and devices are not compared (activation binds a new one).
    static ValidationDecision decide(const std::optional<LicenseKey>& key, const ValidationRequest& request,
                                     const QDateTime& now, bool checkBindings = true);
    static ValidationDecision ipBlocked();
};

// Finds a product's key by its stored (normalised) text, with its bound domains and devices, over
// prepared statements: the hot path of the license server. One per connection.
class LicenseLookup
{
public:
    explicit LicenseLookup(Database& db);
    Result<std::optional<LicenseKey>> find(qint64 productId, const QString& normalizedKey);

private:
    Result<std::optional<LicenseKey>> findDirect(qint64 productId, const QString& normalizedKey);

    Database& m_db;
    PreparedQuery m_key;      // the key and its activations in one statement
    SqliteStatement m_direct; // the same on SQLite's own handle (this runs for every validation)
};

} // namespace keyward
