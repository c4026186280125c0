#include "BulkTrash.h"

#include "KeyExport.h"
#include "KeyListReader.h"
#include "LiveIndexRebuild.h"
#include "Store.h"

#include <QLocale>

namespace keyward {

BulkTrashTarget BulkTrashTarget::ofIds(std::vector<qint64> ids)
{
    BulkTrashTarget t;
    t.kind = Kind::Ids;
    t.ids = std::move(ids);
    return t;
}

BulkTrashTarget BulkTrashTarget::ofFilter(const KeyFilter& filter)
{
    BulkTrashTarget t;
    t.kind = Kind::Filter;
    t.filter = filter;
    t.filter.scope = KeyFilter::Scope::Live; // only live keys can move to the trash
    return t;
}

BulkTrashTarget BulkTrashTarget::ofKeys(QStringList keys)
{
    BulkTrashTarget t;
    t.kind = Kind::Keys;
    t.keys = std::move(keys);
    return t;
}

BulkTrashTarget BulkTrashTarget::ofText(const QString& pasted)
{
    return ofKeys(KeyListReader::fromText(pasted));
}

BulkTrashTarget BulkTrashTarget::ofFile(const QString& path)
{
    BulkTrashTarget t;
    t.kind = Kind::File;
    t.path = path;
    return t;
}

Result<std::vector<qint64>> BulkTrash::liveIds(Store& store, const BulkTrashTarget& target, qint64* inTrash)
{
    KeyStore& keys = store.keys();
    if (target.kind == BulkTrashTarget::Kind::Filter) {
        KeyFilter live = target.filter;
        live.scope = KeyFilter::Scope::Live;
        return keys.ids(live);
    }
    std::vector<qint64> listed;
    if (target.kind == BulkTrashTarget::Kind::Keys || target.kind == BulkTrashTarget::Kind::File) {
        QStringList strings = target.keys;
        if (target.kind == BulkTrashTarget::Kind::File) {
            auto read = KeyListReader::fromFile(target.path);
            if (!read)
                return read.error();
            strings = std::move(read).value();
        }
        if (strings.isEmpty())
            return makeError(ErrorKind::Invalid, QStringLiteral("No keys are listed."));
        auto resolved = keys.resolve(strings);
        if (!resolved)
            return resolved.error();
        listed = std::move(resolved).value();
    } else {
        listed = target.ids;
    }
    auto live = keys.liveAmong(listed);
    if (!live)
        return live.error();
    if (inTrash) {
        std::vector<qint64> unique = listed;
        std::sort(unique.begin(), unique.end());
        unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
        *inTrash =
            qint64(unique.size()) - qint64(live->size()); // resolve() found them all: the rest are trashed
    }
    return live;
}

Result<BulkTrashPreview> BulkTrash::preview(Store& store, const BulkTrashTarget& target, int firstRows)
{
    BulkTrashPreview preview;
    KeyStore& keys = store.keys();
    if (target.kind == BulkTrashTarget::Kind::Filter) {
        KeyFilter live = target.filter;
        live.scope = KeyFilter::Scope::Live;
        auto count = keys.count(live);
        if (!count)
            return count.error();
        auto active = keys.countActiveWithActivations(live);
        if (!active)
            return active.error();
        auto rows = keys.page(live, KeySort{}, 0, firstRows);
        if (!rows)
            return rows.error();
        preview.count = *count;
        preview.activeWithActivations = *active;
        preview.firstRows = std::move(rows).value();
        return preview;
    }
    auto ids = liveIds(store, target, &preview.alreadyInTrash);
    if (!ids)
        return ids.error();
    auto active = keys.countActiveWithActivations(*ids);
    if (!active)
        return active.error();
    const std::vector<qint64> first(ids->begin(),
                                    ids->begin() + std::min<qint64>(qint64(ids->size()), firstRows));
    Status s = keys.forEach(first, [&](const LicenseKey& key) {
        preview.firstRows.push_back(key);
        return Status{};
    });
    if (!s)
        return s.error();
    preview.count = qint64(ids->size());
    preview.activeWithActivations = *active;
    return preview;
}

Result<BulkTrashResult> BulkTrash::run(Store& store, const BulkTrashRequest& request,
                                       const JobControl& control)
{
    const auto cancelled = [] {
        return makeError(ErrorKind::Cancelled,
                         QStringLiteral("The delete was cancelled; no key was moved to the trash."));
    };
    std::optional<ExportFormat> format;
    if (!request.backupPath.isEmpty()) {
        format = exportFormatForPath(request.backupPath);
        if (!format)
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("The backup file must end in .csv or .json."));
    }
    // One write transaction from the first read: the keys cannot change between the check of the
    // count, the backup and the delete.
    Transaction tx(store.database());
    if (!tx)
        return tx.error();
    auto ids = liveIds(store, request.target);
    if (!ids)
        return ids.error();
    const qint64 count = qint64(ids->size());
    if (request.expectedCount >= 0 && count != request.expectedCount)
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral("The keys changed since you confirmed %1: %2 would move to the trash now. "
                           "Nothing was deleted; check them again.")
                .arg(QLocale::c().toString(request.expectedCount), QLocale::c().toString(count)));

    BulkTrashResult result;
    const qint64 total = format ? 2 * count : count;
    if (format) {
        JobControl backup;
        backup.cancel = control.cancel;
        backup.progress = [&](qint64 done, qint64) { control.report(done, total); };
        auto written = KeyExport::toFile(store.keys(), *ids, request.backupPath, *format, backup);
        if (!written)
            return written.errorKind() == ErrorKind::Cancelled ? cancelled() : written.error();
        result.backedUp = *written;
    }
    const qint64 base = format ? count : 0;
    control.report(base, total);
    LiveIndexRebuild indexes(store.database());
    if (store.database().isSqlite() && count >= LiveIndexRebuild::kMinimumKeys) {
        auto live = store.keys().count(KeyFilter{});
        if (!live)
            return live.error();
        if (LiveIndexRebuild::worthIt(count, *live, kRebuildShare)) {
            if (Status s = indexes.drop(); !s)
                return s.error();
        }
    }
    KeyStore::AuditGroup audit; // the chunks are one change: one audit entry
    for (size_t start = 0; start < ids->size(); start += kChunk) {
        if (control.cancelled())
            return cancelled();
        const size_t end = std::min(ids->size(), start + kChunk);
        // By filter, the ids are in order and no other writer can change the keys in this
        // transaction: a chunk is the filter within an id range, without loading the ids into a
        // table. Only time can change what matches (a key whose expiry passes meanwhile), which
        // the count check below catches.
        const bool byFilter = request.target.kind == BulkTrashTarget::Kind::Filter;
        auto trashed =
            byFilter
                ? store.keys().moveToTrash(request.target.filter,
                                           KeyStore::IdRange{(*ids)[start], (*ids)[end - 1]}, &audit)
                : store.keys().moveToTrash(
                      std::vector<qint64>(ids->begin() + qint64(start), ids->begin() + qint64(end)), &audit);
        if (!trashed)
            return trashed.errorKind() == ErrorKind::Cancelled ? cancelled() : trashed.error();
        if (byFilter && *trashed != qint64(end - start))
            return makeError(
                ErrorKind::Conflict,
                QStringLiteral("The keys matching the filter changed during the delete; nothing was "
                               "deleted. Check them again."));
        result.trashed += *trashed;
        control.report(base + result.trashed, total);
    }
    if (control.cancelled())
        return cancelled();
    if (Status s = indexes.rebuild(); !s)
        return s.errorKind() == ErrorKind::Cancelled ? cancelled() : s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    result.ids = std::move(ids).value();
    return result;
}

} // namespace keyward
