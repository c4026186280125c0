#pragma once

#include "KeyQuery.h"

#include <QString>
#include <QVariant>

#include <vector>

namespace keyward {

// Sparse checkpoints over one ordering of the keys (a filter and a sort): the sort value and id of
// every kStride-th row. A page deep in a table of millions then starts from the nearest checkpoint
// with a keyset predicate instead of walking OFFSET rows through the index.
//
// Rows whose sort value is NULL form one block, first or last depending on the dialect and the
// direction; the index records its size so a page can be split at the block boundary and each part
// read with a predicate the database can answer from the (column, id) index.
struct KeysetIndex
{
    static constexpr qint64 kStride = 2048;

    QString signature; // of the filter and sort it was built for (see signatureOf)
    qint64 rowCount = 0;
    qint64 nullRows = 0;
    bool nullsFirst = false;
    std::vector<QVariant> values; // values[i], ids[i]: row (i + 1) * kStride - 1
    std::vector<qint64> ids;

    static QString signatureOf(const KeyFilter& filter, const KeySort& sort);
    static QString signatureOf(const KeyFilter& filter); // of the filter alone (its row count)

    // One contiguous part of a requested row range that lies entirely in the NULL block or in the
    // block of values, with where to start reading it.
    struct Segment
    {
        qint64 first = 0; // first row of the segment
        qint64 count = 0; // rows in the segment
        bool nullBlock = false;
        int checkpoint = -1; // index into values/ids to read after, or -1: from the block's start
        qint64 skip = 0;     // rows to skip after the checkpoint (or the block's start)
    };
    std::vector<Segment> plan(qint64 offset, qint64 limit) const;

private:
    Segment segment(qint64 first, qint64 count, bool nullBlock, qint64 blockStart) const;
};

} // namespace keyward
