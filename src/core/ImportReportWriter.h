#pragma once

#include "KeyImport.h"
#include "Result.h"

#include <QSaveFile>

namespace keyward {

// The row-level report of an import as CSV (line, field, problem, value), for a spreadsheet. The
// file appears complete on commit() or not at all.
class ImportReportWriter
{
public:
    explicit ImportReportWriter(const QString& path);

    Status open();
    void add(const ImportProblem& problem);
    Status commit();
    qint64 written() const { return m_written; }

private:
    QSaveFile m_file;
    qint64 m_written = 0;
};

} // namespace keyward
