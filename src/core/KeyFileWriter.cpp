#include "KeyFileWriter.h"

namespace keyward {

KeyFileWriter::KeyFileWriter(const QString& path, ExportFormat format)
    : m_file(path), m_writer(m_file, format)
{}

Result<std::unique_ptr<KeyFileWriter>> KeyFileWriter::open(const QString& path,
                                                           std::optional<ExportFormat> format)
{
    if (!format)
        format = exportFormatForPath(path);
    if (!format)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("Save keys as .csv or .json; \"%1\" has neither suffix.").arg(path));
    std::unique_ptr<KeyFileWriter> writer(new KeyFileWriter(path, *format));
    if (!writer->m_file.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Io,
                         QStringLiteral("Cannot write %1: %2").arg(path, writer->m_file.errorString()));
    if (Status s = writer->m_writer.begin(); !s)
        return s.error();
    return writer;
}

Status KeyFileWriter::write(const LicenseKey& key)
{
    if (Status s = m_writer.write(key); !s)
        return s;
    ++m_written;
    return {};
}

Status KeyFileWriter::commit()
{
    if (Status s = m_writer.finish(); !s)
        return s;
    if (!m_file.commit())
        return makeError(ErrorKind::Io,
                         QStringLiteral("Cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    return {};
}

} // namespace keyward
