#pragma once

#include "Result.h"

#include <QStringList>

#include <memory>

class QIODevice;

namespace keyward {

// One record of an import file: its values in column order, where it starts, and what was wrong
// with it if it could not be read cleanly (such a record is reported and not imported).
struct SourceRecord
{
    qint64 line = 0; // 1-based line where the record starts
    QStringList values;
    QString error;        // empty when the record was read cleanly
    int errorColumn = -1; // the column the error is about, -1 for the whole record
};

// A streaming reader of tabular records (CSV or JSON). Memory stays bounded whatever the file
// size: records are produced one at a time and over-long fields are cut off and reported.
class RecordSource
{
public:
    enum class Format
    {
        Csv,
        JsonArray,
        JsonLines
    };
    static constexpr int kMaxFieldBytes = 1 << 20;
    static constexpr int kMaxFields = 1000;

    virtual ~RecordSource() = default;

    // Reads the header (or, for JSON, the keys of the first objects). A fatal problem (empty,
    // binary or unreadable file) is an error here; problems of single records come with them.
    virtual Status open() = 0;
    virtual QStringList columns() const = 0;
    // false at the end of the file.
    virtual Result<bool> next(SourceRecord& record) = 0;
    virtual Format format() const = 0;

    qint64 bytesRead() const { return m_bytesRead; }
    qint64 totalBytes() const { return m_totalBytes; }

    // Picks the reader by content (and the file name's suffix as a hint) for a device that is open.
    static Result<std::unique_ptr<RecordSource>> forDevice(QIODevice& device, const QString& fileName = {});

protected:
    qint64 m_bytesRead = 0;
    qint64 m_totalBytes = 0;
};

} // namespace keyward
