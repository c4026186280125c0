#include "JsonWriter.h"

namespace keyward::server {

void JsonWriter::key(const char* name)
{
    if (!m_first)
        m_out += ',';
    m_first = false;
    if (!name)
        return;
    m_out += '"';
    m_out += name;
    m_out += "\":";
}

void JsonWriter::string(const QString& text)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    m_out += '"';
    const char* run = utf8.constData(); // characters that need no escape go out in one piece
    const char* const end = run + utf8.size();
    for (const char* p = run; p != end; ++p) {
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        m_out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"':
            m_out += "\\\"";
            break;
        case '\\':
            m_out += "\\\\";
            break;
        case '\n':
            m_out += "\\n";
            break;
        case '\r':
            m_out += "\\r";
            break;
        case '\t':
            m_out += "\\t";
            break;
        default:
            m_out += "\\u00";
            m_out += hex[(c >> 4) & 0xF];
            m_out += hex[c & 0xF];
        }
    }
    m_out.append(run, end - run);
    m_out += '"';
}

JsonWriter& JsonWriter::begin(const char* name)
{
    if (!m_out.isEmpty())
        key(name);
    m_out += '{';
    m_first = true;
    return *this;
}

JsonWriter& JsonWriter::end()
{
    m_out += '}';
    m_first = false;
    return *this;
}

JsonWriter& JsonWriter::value(const char* name, const QString& text)
{
    key(name);
    string(text);
    return *this;
}

JsonWriter& JsonWriter::value(const char* name, const char* text)
{
    return value(name, QString::fromUtf8(text));
}

JsonWriter& JsonWriter::value(const char* name, qint64 number)
{
    key(name);
    m_out += QByteArray::number(number);
    return *this;
}

JsonWriter& JsonWriter::value(const char* name, bool flag)
{
    key(name);
    m_out += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null(const char* name)
{
    key(name);
    m_out += "null";
    return *this;
}

JsonWriter& JsonWriter::list(const char* name, const QStringList& texts)
{
    key(name);
    m_out += '[';
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (i)
            m_out += ',';
        string(texts.at(i));
    }
    m_out += ']';
    return *this;
}

} // namespace keyward::server
