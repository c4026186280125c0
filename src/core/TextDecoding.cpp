#include "TextDecoding.h"

#include <QStringDecoder>

namespace keyward {

bool decodeUtf8(QByteArrayView bytes, QString& text)
{
    bool ascii = true;
    for (char c : bytes) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        text = QString::fromLatin1(bytes);
        return true;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    text = decoder.decode(bytes);
    return !decoder.hasError();
}

Status checkTextStart(const QByteArray& head)
{
    if (head.startsWith("\xFF\xFE") || head.startsWith("\xFE\xFF"))
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("The file is UTF-16 text; save it as UTF-8 (with or without BOM) and try again."));
    const qsizetype nul = head.indexOf('\0');
    if (nul >= 0)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("This is not a text file (binary data at byte %1).").arg(nul + 1));
    return {};
}

} // namespace keyward
