#include "KeysetIndex.h"

#include <QDateTime>

#include <algorithm>

namespace keyward {

QString KeysetIndex::signatureOf(const KeyFilter& filter, const KeySort& sort)
{
    auto time = [](const QDateTime& t) {
        return t.isValid() ? QString::number(t.toMSecsSinceEpoch()) : QString();
    };
    return QStringList{keyColumnName(sort.column),
                       QString::number(int(sort.order)),
                       filter.productId ? QString::number(*filter.productId) : QString(),
                       filter.status ? keyStatusToString(*filter.status) : QString(),
                       time(filter.expiresFrom),
                       time(filter.expiresTo),
                       QString::number(int(filter.match)),
                       QString::number(int(filter.scope)),
                       filter.text.trimmed()}
        .join(QChar(0x1F));
}

QString KeysetIndex::signatureOf(const KeyFilter& filter)
{
    return signatureOf(filter, KeySort{KeyColumn::Id, Qt::AscendingOrder});
}

KeysetIndex::Segment KeysetIndex::segment(qint64 first, qint64 count, bool nullBlock, qint64 blockStart) const
{
    Segment s;
    s.first = first;
    s.count = count;
    s.nullBlock = nullBlock;
    // The last checkpoint before `first` that lies in the same block.
    const qint64 candidate = (first / kStride) - 1; // checkpoint i sits on row (i + 1) * kStride - 1
    for (qint64 i = std::min<qint64>(candidate, qint64(ids.size()) - 1); i >= 0; --i) {
        const qint64 row = (i + 1) * kStride - 1;
        if (row < blockStart)
            break;
        if (row < first) {
            s.checkpoint = int(i);
            s.skip = first - row - 1;
            return s;
        }
    }
    s.skip = first - blockStart;
    return s;
}

std::vector<KeysetIndex::Segment> KeysetIndex::plan(qint64 offset, qint64 limit) const
{
    std::vector<Segment> out;
    const qint64 end = std::min(rowCount, offset + limit);
    if (offset >= end)
        return out;
    const qint64 boundary = nullsFirst ? nullRows : rowCount - nullRows; // first row of the second block
    const bool firstBlockIsNull = nullsFirst && nullRows > 0;
    if (offset < boundary) {
        const qint64 stop = std::min(end, boundary);
        out.push_back(segment(offset, stop - offset, firstBlockIsNull, 0));
    }
    if (end > boundary) {
        const qint64 start = std::max(offset, boundary);
        out.push_back(segment(start, end - start, !firstBlockIsNull && nullRows > 0, boundary));
    }
    return out;
}

} // namespace keyward
