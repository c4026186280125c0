#include "ImportPreview.h"

#include "CsvReader.h"

#include <QFile>
#include <QFileInfo>

namespace keyward {

Result<ImportPreview> ImportPreview::read(const QString& path, int maxRows)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(ErrorKind::NotFound, QStringLiteral("%1 does not exist.").arg(path));
    if (info.isDir())
        return makeError(ErrorKind::Invalid, QStringLiteral("%1 is a folder; choose a file.").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    auto source = RecordSource::forDevice(file, path);
    if (!source)
        return source.error();
    ImportPreview preview;
    preview.path = path;
    preview.format = (*source)->format();
    if (auto* csv = dynamic_cast<CsvReader*>(source->get()))
        preview.delimiter = csv->delimiter();
    preview.fileSize = file.size();
    preview.columns = (*source)->columns();
    preview.guess = ImportMapping::guess(preview.columns);
    SourceRecord record;
    while (qint64(preview.rows.size()) <= maxRows) {
        auto more = (*source)->next(record);
        if (!more)
            return more.error();
        if (!*more)
            break;
        if (qint64(preview.rows.size()) == maxRows) {
            preview.moreRows = true;
            break;
        }
        preview.rows.push_back(record);
    }
    return preview;
}

} // namespace keyward
