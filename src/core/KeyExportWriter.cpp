#include "KeyExportWriter.h"

#include "CsvWriter.h"

#include <QFileInfo>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>

namespace keyward {
namespace {

QString isoTime(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QString optionalNumber(const std::optional<qint64>& v)
{
    return v ? QString::number(*v) : QString();
}

QStringList fieldsOf(const LicenseKey& k)
{
    auto wide = [](const std::optional<int>& v) { return v ? std::optional<qint64>(*v) : std::nullopt; };
    return {k.key,
            k.productName,
            keyStatusToString(k.status),
            k.customerName,
            k.customerEmail,
            k.notes,
            isoTime(k.createdAt),
            isoTime(k.updatedAt),
            isoTime(k.expiresAt),
            optionalNumber(wide(k.maxDomains)),
            optionalNumber(wide(k.maxUuids)),
            optionalNumber(k.tokenBalance),
            revokeReasonToString(k.revokeReason),
            isoTime(k.revokedAt),
            isoTime(k.deletedAt)};
}

} // namespace

std::optional<ExportFormat> exportFormatForPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv"))
        return ExportFormat::Csv;
    if (suffix == QLatin1String("json"))
        return ExportFormat::Json;
    return std::nullopt;
}

QStringList KeyExportWriter::columns()
{
    return {QStringLiteral("key"),           QStringLiteral("product"),        QStringLiteral("status"),
            QStringLiteral("customer_name"), QStringLiteral("customer_email"), QStringLiteral("notes"),
            QStringLiteral("created_at"),    QStringLiteral("updated_at"),     QStringLiteral("expires_at"),
            QStringLiteral("max_domains"),   QStringLiteral("max_uuids"),      QStringLiteral("tokens"),
            QStringLiteral("revoke_reason"), QStringLiteral("revoked_at"),     QStringLiteral("deleted_at")};
}

Status KeyExportWriter::put(const QByteArray& bytes)
{
    if (m_device.write(bytes) != bytes.size())
        return makeError(ErrorKind::Io,
                         QStringLiteral("Writing the export failed: %1").arg(m_device.errorString()));
    return {};
}

Status KeyExportWriter::begin()
{
    if (m_format == ExportFormat::Csv)
        return put(CsvWriter().line(columns()));
    return put("[");
}

Status KeyExportWriter::write(const LicenseKey& key)
{
    const QStringList fields = fieldsOf(key);
    if (m_format == ExportFormat::Csv) {
        ++m_written;
        return put(CsvWriter().line(fields));
    }
    const QStringList names = columns();
    QJsonObject object;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QString& name = names.at(i);
        const QString& value = fields.at(i);
        const bool numeric = name == QLatin1String("max_domains") || name == QLatin1String("max_uuids") ||
                             name == QLatin1String("tokens");
        if (value.isEmpty() &&
            (numeric || name.endsWith(QLatin1String("_at")) || name == QLatin1String("revoke_reason")))
            object.insert(name, QJsonValue::Null);
        else if (numeric)
            object.insert(name, value.toLongLong());
        else
            object.insert(name, value);
    }
    QByteArray bytes = m_written++ ? QByteArray(",\n") : QByteArray("\n");
    bytes += QJsonDocument(object).toJson(QJsonDocument::Compact);
    return put(bytes);
}

Status KeyExportWriter::finish()
{
    if (m_format == ExportFormat::Csv)
        return {};
    return put(m_written ? "\n]\n" : "]\n");
}

} // namespace keyward
