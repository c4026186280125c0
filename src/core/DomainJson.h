#pragma once

#include "AuditLog.h"
#include "LicenseKey.h"
#include "Product.h"

#include <QJsonObject>

namespace keyward {

// The JSON shapes of domain objects, shared by the CLI's --json output and the admin API.
class DomainJson
{
public:
    static QJsonObject product(const Product& product, qint64 liveKeys = -1);
    static QJsonObject key(const LicenseKey& key);
    static QJsonObject audit(const AuditEntry& entry);
    static QJsonValue time(const QDateTime& t);
};

} // namespace keyward
