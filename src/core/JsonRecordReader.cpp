#include "JsonRecordReader.h"

#include "TextDecoding.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace keyward {

JsonRecordReader::JsonRecordReader(QIODevice& device) : m_device(device), m_stream(device) {}

int JsonRecordReader::get()
{
    const int c = m_stream.get();
    if (c == '\n')
        ++m_line;
    return c;
}

void JsonRecordReader::skipWhitespace()
{
    for (int c = m_stream.peek(); c == ' ' || c == '\t' || c == '\r' || c == '\n'; c = m_stream.peek())
        get();
}

Status JsonRecordReader::open()
{
    m_totalBytes = m_device.size();
    const QByteArray head = m_device.peek(1 << 16);
    if (Status s = checkTextStart(head); !s)
        return s;
    if (head.startsWith("\xEF\xBB\xBF")) {
        for (int i = 0; i < 3; ++i)
            m_stream.get();
    }
    skipWhitespace();
    const int first = m_stream.peek();
    if (first < 0)
        return makeError(ErrorKind::Invalid, QStringLiteral("The file is empty."));
    if (first == '[') {
        m_format = Format::JsonArray;
        get();
    } else if (first == '{') {
        m_format = Format::JsonLines;
    } else {
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "The file is neither a JSON array of objects nor JSON lines (one object per line)."));
    }

    // Learn the columns from the first objects; they are kept and handed out first.
    for (int i = 0; i < kColumnScan; ++i) {
        Raw raw;
        if (!readRaw(raw))
            break;
        if (raw.error.isEmpty() && !raw.tooLong) {
            const QJsonObject object = QJsonDocument::fromJson(raw.bytes).object();
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (!m_columns.contains(it.key()))
                    m_columns.append(it.key());
            }
        }
        m_pending.push_back(std::move(raw));
    }
    if (m_stream.failed())
        return makeError(ErrorKind::Io,
                         QStringLiteral("Reading the file failed: %1").arg(m_stream.errorString()));
    if (m_pending.empty())
        return makeError(ErrorKind::Invalid, QStringLiteral("The file holds no records."));
    if (m_columns.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("The first records have no fields."));
    return {};
}

// Reads one array element or line, keeping at most kMaxFieldBytes of it.
bool JsonRecordReader::readRaw(Raw& raw)
{
    if (m_done)
        return false;
    return m_format == Format::JsonArray ? captureValue(raw) : captureLine(raw);
}

bool JsonRecordReader::captureLine(Raw& raw)
{
    for (;;) {
        skipWhitespace();
        if (m_stream.peek() < 0) {
            m_done = true;
            return false;
        }
        raw.line = m_line;
        for (int c = m_stream.peek(); c >= 0 && c != '\n'; c = m_stream.peek()) {
            get();
            if (raw.bytes.size() < kMaxFieldBytes)
                raw.bytes.append(char(c));
            else
                raw.tooLong = true;
        }
        if (!raw.bytes.trimmed().isEmpty())
            return true;
        raw.bytes.clear();
    }
}

bool JsonRecordReader::captureValue(Raw& raw)
{
    skipWhitespace();
    if (m_stream.peek() == ',') {
        get();
        skipWhitespace();
    }
    const int first = m_stream.peek();
    if (first == ']') {
        get();
        m_done = true;
        return false;
    }
    if (first < 0) {
        m_done = true;
        raw.line = m_line;
        raw.error = QStringLiteral("the JSON array is not closed (\"]\" is missing at the end)");
        return true;
    }
    raw.line = m_line;
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (;;) {
        const int c = m_stream.peek();
        if (c < 0) {
            if (depth > 0 || inString)
                raw.error = QStringLiteral("the file ends inside this record");
            m_done = true;
            return true;
        }
        if (!inString && depth == 0 && (c == ',' || c == ']') && !raw.bytes.isEmpty())
            return true; // the element ends here; the separator stays for the next call
        get();
        if (raw.bytes.size() < kMaxFieldBytes)
            raw.bytes.append(char(c));
        else
            raw.tooLong = true;
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return true;
        }
    }
}

bool JsonRecordReader::valueText(const QJsonValue& value, QString& text)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        text.clear();
        return true;
    case QJsonValue::Bool:
        text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return true;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        const auto whole = qint64(d);
        text = double(whole) == d ? QString::number(whole) : QString::number(d, 'g', 17);
        return true;
    }
    case QJsonValue::String:
        text = value.toString();
        return true;
    case QJsonValue::Array:
    case QJsonValue::Object:
        break;
    }
    return false;
}

void JsonRecordReader::toRecord(const Raw& raw, SourceRecord& record) const
{
    record.line = raw.line;
    record.values.clear();
    record.error = raw.error;
    record.errorColumn = -1;
    if (raw.tooLong && record.error.isEmpty())
        record.error = QStringLiteral("the record is longer than %1 bytes").arg(kMaxFieldBytes);
    QJsonObject object;
    if (record.error.isEmpty()) {
        QString check;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(raw.bytes, &parseError);
        if (!decodeUtf8(raw.bytes, check))
            record.error = QStringLiteral("the text is not valid UTF-8");
        else if (!raw.bytes.trimmed().startsWith('{'))
            record.error = QStringLiteral("the record is not a JSON object");
        else if (parseError.error != QJsonParseError::NoError)
            record.error = QStringLiteral("invalid JSON (%1)").arg(parseError.errorString());
        else if (!doc.isObject())
            record.error = QStringLiteral("the record is not a JSON object");
        object = doc.object();
    }
    for (qsizetype i = 0; i < m_columns.size(); ++i) {
        QString text;
        if (!valueText(object.value(m_columns.at(i)), text) && record.error.isEmpty()) {
            record.error = QStringLiteral("nested objects and arrays are not supported as values");
            record.errorColumn = int(i);
        }
        record.values.append(text);
    }
}

Result<bool> JsonRecordReader::next(SourceRecord& record)
{
    Raw raw;
    if (!m_pending.empty()) {
        raw = std::move(m_pending.front());
        m_pending.pop_front();
    } else if (!readRaw(raw)) {
        m_bytesRead = m_stream.consumed();
        if (m_stream.failed())
            return makeError(ErrorKind::Io,
                             QStringLiteral("Reading the file failed: %1").arg(m_stream.errorString()));
        return false;
    }
    m_bytesRead = m_stream.consumed();
    toRecord(raw, record);
    return true;
}

} // namespace keyward
