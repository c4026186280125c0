#include "Validation.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUuid>

namespace keyward::validation {

bool isValidEmail(const QString& email)
{
    if (email.isEmpty())
        return true;
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$"));
    return email.size() <= 254 && re.match(email).hasMatch();
}

QString normalizeDomain(const QString& domain)
{
    QString d = domain.trimmed().toLower();
    if (d.contains(QLatin1String("://")))
        d = d.section(QLatin1String("://"), 1);
    d = d.section(QLatin1Char('/'), 0, 0);
    if (d.contains(QLatin1Char(':')) && !d.startsWith(QLatin1Char('[')))
        d = d.section(QLatin1Char(':'), 0, 0);
    while (d.endsWith(QLatin1Char('.')))
        d.chop(1);
    return QUrl::fromAce(QUrl::toAce(d));
}

bool isValidDomain(const QString& domain)
{
    const QString d = normalizeDomain(domain);
    if (d.isEmpty() || d.size() > 253)
        return false;
    static const QRegularExpression re(QStringLiteral("^[\\w-]+(\\.[\\w-]+)*$"),
                                       QRegularExpression::UseUnicodePropertiesOption);
    return re.match(d).hasMatch();
}

QString normalizeUuid(const QString& uuid)
{
    const QUuid parsed = QUuid::fromString(uuid.trimmed());
    return parsed.isNull() ? uuid.trimmed().toLower() : parsed.toString(QUuid::WithoutBraces);
}

bool isValidUuid(const QString& uuid)
{
    return !QUuid::fromString(uuid.trimmed()).isNull();
}

} // namespace keyward::validation
