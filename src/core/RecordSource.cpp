#include "RecordSource.h"

#include "CsvReader.h"
#include "JsonRecordReader.h"

#include <QFileInfo>
#include <QIODevice>

namespace keyward {

Result<std::unique_ptr<RecordSource>> RecordSource::forDevice(QIODevice& device, const QString& fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    QByteArray head = device.peek(4096);
    if (head.startsWith("\xEF\xBB\xBF"))
        head = head.mid(3);
    const QByteArray start = head.trimmed().left(1);
    const bool jsonName = suffix == QLatin1String("json") || suffix == QLatin1String("jsonl") ||
                          suffix == QLatin1String("ndjson");
    std::unique_ptr<RecordSource> source;
    if (jsonName ||
        ((start == "[" || start == "{") && suffix != QLatin1String("csv") && suffix != QLatin1String("tsv")))
        source = std::make_unique<JsonRecordReader>(device);
    else
        source = std::make_unique<CsvReader>(device, suffix == QLatin1String("tsv") ? '\t' : char(0));
    if (Status s = source->open(); !s)
        return s.error();
    return source;
}

} // namespace keyward
