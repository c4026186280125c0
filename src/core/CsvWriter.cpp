#include "CsvWriter.h"

namespace keyward {

QByteArray CsvWriter::line(const QStringList& fields) const
{
    QByteArray out;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            out += m_delimiter;
        const QByteArray field = fields.at(i).toUtf8();
        const bool quote = field.contains(m_delimiter) || field.contains('"') || field.contains('\n') ||
                           field.contains('\r') || field.startsWith(' ') || field.endsWith(' ');
        if (!quote) {
            out += field;
            continue;
        }
        out += '"';
        for (char c : field) {
            if (c == '"')
                out += '"';
            out += c;
        }
        out += '"';
    }
    out += "\r\n";
    return out;
}

} // namespace keyward
