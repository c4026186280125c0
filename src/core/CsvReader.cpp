#include "CsvReader.h"

#include "TextDecoding.h"

namespace keyward {

CsvReader::CsvReader(QIODevice& device, char delimiter)
    : m_device(device), m_stream(device), m_delimiter(delimiter)
{}

char CsvReader::detectDelimiter(const QByteArray& firstLine)
{
    int counts[3] = {0, 0, 0};
    const char candidates[3] = {',', ';', '\t'};
    bool quoted = false;
    for (char c : firstLine) {
        if (c == '"')
            quoted = !quoted;
        if (quoted)
            continue;
        for (int i = 0; i < 3; ++i)
            counts[i] += c == candidates[i];
    }
    int best = 0;
    for (int i = 1; i < 3; ++i) {
        if (counts[i] > counts[best])
            best = i;
    }
    return candidates[best];
}

Status CsvReader::open()
{
    m_totalBytes = m_device.size();
    const QByteArray head = m_device.peek(1 << 16);
    if (Status s = checkTextStart(head); !s)
        return s;
    if (head.startsWith("\xEF\xBB\xBF")) {
        for (int i = 0; i < 3; ++i)
            m_stream.get();
    }
    if (m_delimiter == 0) {
        qsizetype start = head.startsWith("\xEF\xBB\xBF") ? 3 : 0;
        while (start < head.size() && (head[start] == '\r' || head[start] == '\n'))
            ++start;
        qsizetype end = start;
        bool quoted = false;
        while (end < head.size() && (quoted || (head[end] != '\n' && head[end] != '\r'))) {
            quoted ^= head[end] == '"';
            ++end;
        }
        m_delimiter = detectDelimiter(head.mid(start, end - start));
    }

    SourceRecord header;
    if (!readRecord(header)) {
        if (m_stream.failed())
            return makeError(ErrorKind::Io,
                             QStringLiteral("Reading the file failed: %1").arg(m_stream.errorString()));
        return makeError(ErrorKind::Invalid, QStringLiteral("The file is empty."));
    }
    if (!header.error.isEmpty())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("The header line cannot be read: %1").arg(header.error));
    m_columns = header.values;
    for (QString& c : m_columns)
        c = c.trimmed();
    while (!m_columns.isEmpty() && m_columns.back().isEmpty())
        m_columns.removeLast(); // "key,name," : a trailing delimiter, not a column
    if (m_columns.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("The header line names no columns."));
    return {};
}

void CsvReader::append(char c)
{
    if (m_bytes.size() - m_fieldBegin < size_t(kMaxFieldBytes))
        m_bytes.push_back(c);
    else
        m_fieldTooLong = true;
}

void CsvReader::endField()
{
    if (m_fields.size() < size_t(kMaxFields))
        m_fields.push_back({m_fieldBegin, m_bytes.size() - m_fieldBegin});
    else {
        m_tooManyFields = true;
        m_bytes.resize(m_fieldBegin);
    }
    m_fieldBegin = m_bytes.size();
}

bool CsvReader::readRecord(SourceRecord& record)
{
    enum class State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted
    };
    m_fields.clear();
    m_bytes.clear();
    m_fieldBegin = 0;
    m_fieldTooLong = false;
    m_tooManyFields = false;
    bool unterminated = false;

    for (;;) {
        record.line = m_line;
        State state = State::FieldStart;
        bool sawContent = false; // a blank line has none and is skipped
        for (;;) {
            const int c = m_stream.get();
            if (c < 0) {
                if (state == State::Quoted)
                    unterminated = true;
                if (sawContent)
                    endField();
                break;
            }
            if (c == '\n' || c == '\r') {
                if (c == '\r' && m_stream.peek() == '\n')
                    m_stream.get();
                if (state == State::Quoted) {
                    if (c == '\r') // a line break inside quotes is data
                        append('\r');
                    append('\n');
                    ++m_line;
                    continue;
                }
                ++m_line;
                if (sawContent)
                    endField();
                break;
            }
            sawContent = true;
            switch (state) {
            case State::FieldStart:
                if (c == '"') {
                    state = State::Quoted;
                    continue;
                }
                if (c == m_delimiter) {
                    endField();
                    continue;
                }
                state = State::Unquoted;
                break;
            case State::Unquoted:
                if (c == m_delimiter) {
                    endField();
                    state = State::FieldStart;
                    continue;
                }
                break;
            case State::Quoted:
                if (c == '"') {
                    state = State::QuoteInQuoted;
                    continue;
                }
                break;
            case State::QuoteInQuoted:
                if (c == '"') {
                    state = State::Quoted; // "" is one quote
                    break;
                }
                if (c == m_delimiter) {
                    endField();
                    state = State::FieldStart;
                    continue;
                }
                state = State::Unquoted; // text after a closing quote: kept as it is
                break;
            }
            append(char(c));
        }
        if (!m_fields.empty() || unterminated || m_stream.failed())
            break;
        if (m_stream.peek() < 0)
            break; // only blank lines were left
    }
    m_bytesRead = m_stream.consumed();
    if (m_fields.empty() && !unterminated)
        return false;

    record.values.clear();
    record.error.clear();
    record.errorColumn = -1;
    for (size_t i = 0; i < m_fields.size(); ++i) {
        QString text;
        const QByteArrayView bytes(m_bytes.data() + m_fields[i].begin, qsizetype(m_fields[i].size));
        if (!decodeUtf8(bytes, text) && record.error.isEmpty()) {
            record.error = QStringLiteral("the text is not valid UTF-8");
            record.errorColumn = int(i);
        }
        record.values.append(text);
    }
    if (unterminated)
        record.error = QStringLiteral("a quoted field is not closed before the end of the file");
    else if (m_fieldTooLong)
        record.error = QStringLiteral("a field is longer than %1 bytes").arg(kMaxFieldBytes);
    else if (m_tooManyFields)
        record.error = QStringLiteral("the record has more than %1 fields").arg(kMaxFields);
    return true;
}

Result<bool> CsvReader::next(SourceRecord& record)
{
    if (!readRecord(record)) {
        if (m_stream.failed())
            return makeError(ErrorKind::Io,
                             QStringLiteral("Reading the file failed: %1").arg(m_stream.errorString()));
        return false;
    }
    const qsizetype expected = m_columns.size();
    // A trailing delimiter adds empty fields; they are not an error.
    while (record.values.size() > expected && record.values.back().isEmpty())
        record.values.removeLast();
    if (record.error.isEmpty() && record.values.size() != expected)
        record.error = QStringLiteral("expected %1 fields, found %2").arg(expected).arg(record.values.size());
    while (record.values.size() < expected)
        record.values.append(QString());
    return true;
}

} // namespace keyward
