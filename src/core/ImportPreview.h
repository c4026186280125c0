#pragma once

#include "ImportMapping.h"
#include "RecordSource.h"
#include "Result.h"

#include <QStringList>

#include <vector>

namespace keyward {

// The start of an import file, to choose the column mapping: its columns, the first records and
// the mapping guessed from the header. Reads only the first records, whatever the file size.
struct ImportPreview
{
    QString path;
    RecordSource::Format format = RecordSource::Format::Csv;
    char delimiter = 0; // CSV only
    qint64 fileSize = 0;
    QStringList columns;
    std::vector<SourceRecord> rows;
    bool moreRows = false; // the file has more records than `rows`
    ImportMapping guess;

    static Result<ImportPreview> read(const QString& path, int maxRows = 50);
};

} // namespace keyward
