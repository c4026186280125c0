#pragma once

#include "JobControl.h"
#include "KeyQuery.h"
#include "LicenseKey.h"
#include "Result.h"

#include <QStringList>

#include <vector>

namespace keyward {

class Store;

// Which keys a bulk delete is about: ids (a table selection), every live key of a filter, keys by
// their strings (pasted), or the keys listed in a file (read where the work runs, see KeyListReader).
struct BulkTrashTarget
{
    enum class Kind
    {
        Ids,
        Filter,
        Keys,
        File
    };
    Kind kind = Kind::Ids;
    std::vector<qint64> ids;
    KeyFilter filter;
    QStringList keys;
    QString path;

    static BulkTrashTarget ofIds(std::vector<qint64> ids);
    static BulkTrashTarget ofFilter(const KeyFilter& filter);
    static BulkTrashTarget ofKeys(QStringList keys);
    static BulkTrashTarget ofText(const QString& pasted); // keys separated by lines, commas, spaces...
    static BulkTrashTarget ofFile(const QString& path);
};

// What a bulk delete would do, before it is done.
struct BulkTrashPreview
{
    qint64 count = 0;                  // live keys that would move to the trash
    qint64 alreadyInTrash = 0;         // of the listed keys or ids, those in the trash already
    qint64 activeWithActivations = 0;  // of count, active keys with bound domains or devices
    std::vector<LicenseKey> firstRows; // the first of them (by id, or in the order listed)
};

struct BulkTrashRequest
{
    BulkTrashTarget target;
    // The count the person confirmed; when the keys changed since (another count now), nothing is
    // deleted. -1: no check.
    qint64 expectedCount = -1;
    QString backupPath; // when set, every key is exported there (CSV or JSON by suffix) first
};

struct BulkTrashResult
{
    qint64 trashed = 0;
    qint64 backedUp = 0;
    std::vector<qint64> ids; // exactly the keys moved to the trash, to restore them
};

// Moves many keys to the trash safely: one transaction, an optional backup export written
// completely before anything changes, a check that the set is still the one confirmed, progress
// and cancel. A cancelled or failed run changes nothing.
class BulkTrash
{
public:
    static constexpr size_t kChunk = 50000; // keys per statement, so progress moves and cancel is quick
    // Deleting at least this share of the live keys rebuilds the live indexes (LiveIndexRebuild)
    // instead of taking each key out of each (measured: about 0.9 µs per index entry removed,
    // 0.6 µs per entry built, so the break-even is near 40%).
    static constexpr double kRebuildShare = 0.5;

    static Result<BulkTrashPreview> preview(Store& store, const BulkTrashTarget& target, int firstRows = 20);
    static Result<BulkTrashResult> run(Store& store, const BulkTrashRequest& request,
                                       const JobControl& control = {});

private:
    // The live keys of the target, each once; for keys, fails naming those that do not exist.
    // inTrash: how many of the listed keys are in the trash already.
    static Result<std::vector<qint64>> liveIds(Store& store, const BulkTrashTarget& target,
                                               qint64* inTrash = nullptr);
};

} // namespace keyward
