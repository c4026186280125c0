#pragma once

#include <QByteArray>
#include <QStringList>

namespace keyward {

// RFC 4180 output: fields with a delimiter, quote, CR or LF are quoted, quotes doubled, CRLF ends.
class CsvWriter
{
public:
    explicit CsvWriter(char delimiter = ',') : m_delimiter(delimiter) {}
    QByteArray line(const QStringList& fields) const;

private:
    char m_delimiter;
};

} // namespace keyward
