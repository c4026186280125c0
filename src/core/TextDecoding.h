#pragma once

#include "Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace keyward {

// Decodes UTF-8 strictly: false (and a best-effort text) when the bytes are not valid UTF-8.
bool decodeUtf8(QByteArrayView bytes, QString& text);
// Refuses what is clearly not a UTF-8 text file: UTF-16/32 byte-order marks or NUL bytes.
Status checkTextStart(const QByteArray& head);

} // namespace keyward
