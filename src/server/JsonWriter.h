#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace keyward::server {

// Writes compact JSON straight into bytes, for the answers of the validation hot path (building a
// QJsonObject and serialising it costs several times more). Keys are written as given (ASCII);
// values are escaped.
class JsonWriter
{
public:
    JsonWriter() { m_out.reserve(256); }

    JsonWriter& begin(const char* key = nullptr);
    JsonWriter& end();
    JsonWriter& value(const char* key, const QString& text);
    JsonWriter& value(const char* key, const char* text);
    JsonWriter& value(const char* key, qint64 number);
    JsonWriter& value(const char* key, bool flag);
    JsonWriter& null(const char* key);
    JsonWriter& list(const char* key, const QStringList& texts);
    QByteArray bytes() const { return m_out; }

private:
    void key(const char* name);
    void string(const QString& text);

    QByteArray m_out;
    bool m_first = true;
};

} // namespace keyward::server
