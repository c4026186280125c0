#pragma once

#include "ImportMapping.h"
#include "KeyFingerprints.h"
#include "KeyFormat.h"
#include "KeyImport.h"
#include "LicenseKey.h"
#include "Product.h"
#include "Result.h"

#include <QDateTime>

#include <atomic>
#include <optional>
#include <vector>

namespace keyward {

class RecordSource;
struct SourceRecord;

// A value as the row-level report shows it: long ones shortened.
QString shortenedForReport(const QString& value);

// A row of an import file that passed every check, as the key it becomes.
struct ImportRow
{
    qint64 line = 0;
    NewKey key;
    RevokeReason revokeReason = RevokeReason::None;
};

// What the checker read for one batch: the accepted rows and the problems of the rejected ones.
struct CheckedBatch
{
    std::vector<ImportRow> rows;
    std::vector<ImportProblem> problems; // in line order
    qint64 records = 0;                  // records read, accepted or not
    qint64 rejected = 0;
    qint64 bytesRead = 0;
    qint64 totalBytes = 0;
    bool last = false; // the source is exhausted (or failed: see error)
    std::optional<Error> error;
};

// Reads an import's records and checks each one on its own (format codes, dates, emails, numbers,
// required fields, duplicates within the file), without the store: so it can run on a thread of its
// own while the rows of the batch before are stored.
class ImportRowChecker
{
public:
    ImportRowChecker(RecordSource& source, const ImportMapping& mapping, const Product& product,
                     std::optional<KeyFormat> format, const QDateTime& now);

    // Reads until `rows` rows are accepted or the source ends; with `stopAtRejection`, also right
    // after the first rejected row. Returns early (not last) once `abort` is set.
    CheckedBatch next(size_t rows, bool stopAtRejection, const std::atomic<bool>& abort);

private:
    bool check(const SourceRecord& record, ImportRow& row); // false: rejected
    void problem(qint64 line, ImportField field, const QString& text, const QString& value);
    void problem(qint64 line, const QString& field, const QString& text, const QString& value);
    QString cell(const SourceRecord& record, ImportField field) const;

    RecordSource& m_source;
    const ImportMapping m_mapping;
    const Product m_product;
    const std::optional<KeyFormat> m_format;
    const QDateTime m_now;
    KeyFingerprints m_seen; // key -> the line that had it first
    CheckedBatch* m_batch = nullptr;
    bool m_rowHadProblem = false;
};

} // namespace keyward
