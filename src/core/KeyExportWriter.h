#pragma once

#include "LicenseKey.h"
#include "Result.h"

#include <QStringList>

#include <optional>

class QIODevice;

namespace keyward {

enum class ExportFormat
{
    Csv,
    Json
};

// By file suffix: .csv, .json; nullopt for anything else.
std::optional<ExportFormat> exportFormatForPath(const QString& path);

// Streams keys to a device as CSV (a header row, then one row per key) or as one JSON array of
// objects. Field names match the import column names, so an export can be imported again.
class KeyExportWriter
{
public:
    KeyExportWriter(QIODevice& device, ExportFormat format) : m_device(device), m_format(format) {}

    static QStringList columns();
    Status begin();
    Status write(const LicenseKey& key);
    Status finish();

private:
    Status put(const QByteArray& bytes);

    QIODevice& m_device;
    ExportFormat m_format;
    qint64 m_written = 0;
};

} // namespace keyward
