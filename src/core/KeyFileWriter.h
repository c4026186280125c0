#pragma once

#include "KeyExportWriter.h"
#include "Result.h"

#include <QSaveFile>

#include <memory>

namespace keyward {

// A key file (CSV or JSON) that appears complete or not at all: written to a temporary file that
// replaces the target only on commit(). Destroying it without commit leaves nothing behind.
class KeyFileWriter
{
public:
    // The format follows the suffix unless given.
    static Result<std::unique_ptr<KeyFileWriter>> open(const QString& path,
                                                       std::optional<ExportFormat> format = std::nullopt);

    Status write(const LicenseKey& key);
    Status commit();
    qint64 written() const { return m_written; }

private:
    KeyFileWriter(const QString& path, ExportFormat format);

    QSaveFile m_file;
    KeyExportWriter m_writer;
    qint64 m_written = 0;
};

} // namespace keyward
