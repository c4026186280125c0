// libFuzzer target for the import readers: any bytes, as CSV (each delimiter), JSON and through
// the format detection, must give records or a clear error, never a crash, hang or leak.
#include "CsvReader.h"
#include "JsonRecordReader.h"
#include "RecordSource.h"

#include <QBuffer>

#include <cstddef>
#include <cstdint>

namespace {

void drain(keyward::RecordSource& source)
{
    if (!source.open())
        return;
    keyward::SourceRecord record;
    for (int i = 0; i < 100000; ++i) {
        auto more = source.next(record);
        if (!more || !*more)
            return;
        // What the import does with each record: the values must line up with the columns.
        if (record.error.isEmpty() && record.values.size() != source.columns().size() &&
            source.format() == keyward::RecordSource::Format::Csv)
            __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    for (char delimiter : {char(0), ',', ';', '\t'}) {
        QBuffer buffer;
        buffer.setData(bytes);
        buffer.open(QIODevice::ReadOnly);
        keyward::CsvReader reader(buffer, delimiter);
        drain(reader);
    }
    {
        QBuffer buffer;
        buffer.setData(bytes);
        buffer.open(QIODevice::ReadOnly);
        keyward::JsonRecordReader reader(buffer);
        drain(reader);
    }
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    auto detected = keyward::RecordSource::forDevice(buffer);
    if (detected)
        drain(**detected);
    return 0;
}
