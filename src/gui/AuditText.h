#pragma once

#include "AuditLog.h"

#include <QCoreApplication>

namespace keyward {

// An audit entry in words for the history views ("Revoked (refund): order 1234").
class AuditText
{
    Q_DECLARE_TR_FUNCTIONS(AuditText)

public:
    static QString describe(const AuditEntry& entry);
    static QString fieldName(const QString& field);
};

} // namespace keyward
