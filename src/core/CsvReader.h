#pragma once

#include "ByteStream.h"
#include "RecordSource.h"

#include <string>
#include <vector>

namespace keyward {

// RFC 4180 CSV, streaming: quoted fields with delimiters, quotes ("") and line breaks inside;
// CRLF, LF or CR line ends, mixed; UTF-8 with or without BOM; comma, semicolon or tab detected
// from the header line. Blank lines are skipped; a trailing delimiter is tolerated.
class CsvReader : public RecordSource
{
public:
    explicit CsvReader(QIODevice& device, char delimiter = 0); // 0: detect
    Status open() override;
    QStringList columns() const override { return m_columns; }
    Result<bool> next(SourceRecord& record) override;
    Format format() const override { return Format::Csv; }
    char delimiter() const { return m_delimiter; }

    static char detectDelimiter(const QByteArray& firstLine);

private:
    // Reads one physical record into m_bytes and m_fields; false at the end of the file.
    bool readRecord(SourceRecord& record);
    void append(char c);
    void endField();

    struct FieldSpan
    {
        size_t begin = 0;
        size_t size = 0;
    };

    QIODevice& m_device;
    ByteStream m_stream;
    char m_delimiter;
    QStringList m_columns;
    // The record's fields back to back, reused from record to record (no allocation per field).
    std::string m_bytes;
    std::vector<FieldSpan> m_fields;
    size_t m_fieldBegin = 0;
    qint64 m_line = 1;
    bool m_fieldTooLong = false;
    bool m_tooManyFields = false;
};

} // namespace keyward
