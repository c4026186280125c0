#include "ImportReportWriter.h"

#include "CsvWriter.h"

namespace keyward {

ImportReportWriter::ImportReportWriter(const QString& path) : m_file(path) {}

Status ImportReportWriter::open()
{
    if (!m_file.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Io,
                         QStringLiteral("Cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_file.write(CsvWriter().line({QStringLiteral("line"), QStringLiteral("field"), QStringLiteral("problem"),
                                   QStringLiteral("value")}));
    return {};
}

void ImportReportWriter::add(const ImportProblem& p)
{
    m_file.write(CsvWriter().line({QString::number(p.line), p.field, p.problem, p.value}));
    ++m_written;
}

Status ImportReportWriter::commit()
{
    if (!m_file.commit())
        return makeError(ErrorKind::Io,
                         QStringLiteral("Cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    return {};
}

} // namespace keyward
