#pragma once

#include "ImportMapping.h"
#include "JobControl.h"
#include "Result.h"

#include <QString>

#include <functional>
#include <vector>

namespace keyward {

class RecordSource;
class Store;

// What happens to a row whose key is already in the store.
enum class ConflictPolicy
{
    Skip,   // leave the stored key alone; the row is reported as skipped
    Update, // overwrite the stored key's mapped fields with the row's
    Stop,   // import nothing at all if any row is rejected or already stored
};
QString conflictPolicyToString(ConflictPolicy policy);
std::optional<ConflictPolicy> conflictPolicyFromString(const QString& text);

struct ImportOptions
{
    qint64 productId = 0;
    ImportMapping mapping;
    ConflictPolicy onConflict = ConflictPolicy::Skip;
    bool dryRun = false;              // check everything, change nothing
    bool requireProductFormat = true; // keys must pass the product's format check
    QString sourceName;               // the file, for the audit entry
};

// One line of the row-level report.
struct ImportProblem
{
    qint64 line = 0;
    QString field;   // "key", "customer_email"... or empty for the whole row
    QString problem; // e.g. "L3n7: The key has 22 characters; this format has 23."
    QString value;   // the offending value, shortened
};

struct ImportSummary
{
    qint64 rows = 0;     // data rows read
    qint64 imported = 0; // new keys (or that would be, in a dry run)
    qint64 updated = 0;  // stored keys overwritten (policy update)
    qint64 skipped = 0;  // already stored, left alone (policy skip)
    qint64 rejected = 0; // rows with a problem, not imported
    bool dryRun = false;
    bool stopped = false;    // policy stop met a rejected row: nothing was imported
    qint64 problemCount = 0; // all problems; `problems` keeps the first kKeptProblems
    std::vector<ImportProblem> problems;
};

// Imports license keys from a record source into one product, in one transaction: every row is
// checked (format codes, duplicates in the file and in the store, dates, emails, numbers, required
// fields); rows with problems are reported and left out, the others imported. A cancelled or failed
// import changes nothing; a finished one is audited as one entry with its counts.
class KeyImport
{
public:
    static constexpr int kKeptProblems = 10000;

    static Result<ImportSummary> run(Store& store, RecordSource& source, const ImportOptions& options,
                                     const JobControl& control = {},
                                     const std::function<void(const ImportProblem&)>& onProblem = {});
};

} // namespace keyward
