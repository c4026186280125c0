#pragma once

#include <QString>

namespace keyward::validation {

// A practical email check: one @, a dotted domain, no spaces. Empty is allowed (no email).
bool isValidEmail(const QString& email);
// Keeps a user-entered domain comparable: lower case, no scheme, path, port or trailing dot.
QString normalizeDomain(const QString& domain);
bool isValidDomain(const QString& domain);
// A device UUID as vendors send it: RFC 4122 text, any case, with or without braces.
QString normalizeUuid(const QString& uuid);
bool isValidUuid(const QString& uuid);

} // namespace keyward::validation
