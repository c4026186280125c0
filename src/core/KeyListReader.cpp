#include "KeyListReader.h"

#include "ImportMapping.h"
#include "RecordSource.h"

#include <QFile>
#include <QRegularExpression>

namespace keyward {

QStringList KeyListReader::fromText(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

Result<QStringList> KeyListReader::fromFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    auto source = RecordSource::forDevice(file, path);
    if (!source)
        return makeError(source.errorKind(), QStringLiteral("%1: %2").arg(path, source.errorMessage()));
    const QStringList columns = (*source)->columns();
    int column = ImportMapping::guess(columns).column(ImportField::Key);
    QStringList keys;
    if (column < 0) {
        if (columns.size() != 1)
            return makeError(ErrorKind::Invalid, QStringLiteral("%1 has no key column (columns: %2).")
                                                     .arg(path, columns.join(QLatin1String(", "))));
        column = 0;
        keys << columns.constFirst(); // no header: the first line is a key too
    }
    SourceRecord record;
    for (;;) {
        auto more = (*source)->next(record);
        if (!more)
            return more.error();
        if (!*more)
            break;
        const QString key = record.values.value(column).trimmed();
        if (!key.isEmpty())
            keys << key;
    }
    return keys;
}

} // namespace keyward
