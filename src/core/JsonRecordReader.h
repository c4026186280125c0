#pragma once

#include "ByteStream.h"
#include "RecordSource.h"

#include <QJsonObject>

#include <deque>

namespace keyward {

// A JSON array of objects, or JSON lines (one object per line), read one object at a time. The
// columns are the keys of the first objects (up to kColumnScan), in the order first seen; keys
// appearing only later are not columns.
class JsonRecordReader : public RecordSource
{
public:
    static constexpr int kColumnScan = 100;

    explicit JsonRecordReader(QIODevice& device);
    Status open() override;
    QStringList columns() const override { return m_columns; }
    Result<bool> next(SourceRecord& record) override;
    Format format() const override { return m_format; }

private:
    struct Raw
    {
        qint64 line = 0;
        QByteArray bytes;
        bool tooLong = false;
        QString error;
    };
    bool readRaw(Raw& raw);
    bool captureValue(Raw& raw);
    bool captureLine(Raw& raw);
    int get();
    void skipWhitespace();
    void toRecord(const Raw& raw, SourceRecord& record) const;
    static bool valueText(const QJsonValue& value, QString& text);

    QIODevice& m_device;
    ByteStream m_stream;
    Format m_format = Format::JsonArray;
    QStringList m_columns;
    std::deque<Raw> m_pending;
    qint64 m_line = 1;
    bool m_done = false;
};

} // namespace keyward
