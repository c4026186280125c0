#pragma once

#include "Activation.h"
#include "JobControl.h"
#include "KeyQuery.h"
#include "KeysetIndex.h"
#include "LicenseKey.h"
#include "Result.h"

#include <QSqlQuery>

#include <functional>
#include <memory>
#include <vector>

namespace keyward {

class SqliteKeyInserter;
struct StoreContext;

// An edit of one key as a person makes it in the detail editor: the editable fields plus the
// domains and device UUIDs to bind or free, saved together in one transaction.
struct KeyEdit
{
    LicenseKey key; // id and the editable fields (see KeyStore::update)
    QStringList addDomains;
    QStringList removeDomains;
    QStringList addUuids;
    QStringList removeUuids;
    // Tokens change through top-ups and consumption, which may happen while the editor is open;
    // keep the stored balance instead of the one the editor loaded.
    bool keepTokenBalance = true;
};

// License keys: lookups, paged queries, edits and the trash. Each change is audited in the same
// transaction. Rules about keys (what may change, limits, reasons) are enforced here, once.
class KeyStore
{
public:
    static constexpr int kInsertBatchRows = 500;

    explicit KeyStore(StoreContext& context);
    ~KeyStore();

    Result<LicenseKey> find(const QString& key) const; // the key as typed (trimmed, case-folded)
    Result<LicenseKey> findById(qint64 id) const;
    Result<std::vector<LicenseKey>> page(const KeyFilter& filter, const KeySort& sort, qint64 offset,
                                         int limit) const;
    // Knowing the row count, a page in the second half is read from the end (reversed order and a
    // short OFFSET), so even before an index exists the last rows come as fast as the first.
    Result<std::vector<LicenseKey>> page(const KeyFilter& filter, const KeySort& sort, qint64 offset,
                                         int limit, qint64 total) const;
    // The same page read from the nearest checkpoint of `index` (built for this filter and sort by
    // buildKeysetIndex), so any offset costs about as much as the first page.
    Result<std::vector<LicenseKey>> page(const KeyFilter& filter, const KeySort& sort, qint64 offset,
                                         int limit, const KeysetIndex& index) const;
    // Walks the whole ordering once: the row count and checkpoints for page().
    Result<KeysetIndex> buildKeysetIndex(const KeyFilter& filter, const KeySort& sort,
                                         const JobControl& control = {}) const;
    Result<qint64> count(const KeyFilter& filter) const;
    // Calls visit for every key matching filter, in id order, a chunk at a time (bounded memory).
    Status forEach(const KeyFilter& filter, const std::function<Status(const LicenseKey&)>& visit) const;
    // Ids for key strings; fails naming the keys that do not exist, so callers change all or none.
    Result<std::vector<qint64>> resolve(const QStringList& keys) const;
    // Every key of ids that exists, in the order of ids, a chunk at a time (bounded memory).
    Status forEach(const std::vector<qint64>& ids,
                   const std::function<Status(const LicenseKey&)>& visit) const;
    // The ids of the keys matching the filter, in id order.
    Result<std::vector<qint64>> ids(const KeyFilter& filter) const;
    // Of ids, those of live keys (not in the trash), in their order and each once.
    Result<std::vector<qint64>> liveAmong(const std::vector<qint64>& ids) const;
    // How many live keys (matching the filter, or among ids) are active and have bound domains or
    // devices: software that is in use stops validating when they are deleted.
    Result<qint64> countActiveWithActivations(const KeyFilter& filter) const;
    Result<qint64> countActiveWithActivations(const std::vector<qint64>& ids) const;

    Result<LicenseKey> create(qint64 productId, const NewKey& key);
    // Saves the editable fields (customer, notes, status other than revoked, expiry, limits, tokens).
    Status update(const LicenseKey& key);
    // Frees, saves the fields, then binds, all in one transaction: all of it is saved or none.
    Status save(const KeyEdit& edit);
    Status revoke(qint64 id, RevokeReason reason, const QString& note);
    // Trash, restore and purge record one audit entry per call, listing its keys (audit_keys). A
    // change made in several calls (a bulk delete in chunks, for progress) passes the same group
    // to each, and they share one entry.
    struct AuditGroup
    {
        qint64 entryId = 0;
        qint64 keys = 0;
    };
    Result<qint64> moveToTrash(const std::vector<qint64>& ids, AuditGroup* group = nullptr);
    // Every live key matching the filter, set-based (fast for millions); with ids, only those
    // from the first to the last id (a chunk of a bulk delete, which needs no list of ids then).
    struct IdRange
    {
        qint64 first = 0;
        qint64 last = 0;
    };
    Result<qint64> moveToTrash(const KeyFilter& filter, std::optional<IdRange> ids = std::nullopt,
                               AuditGroup* group = nullptr);
    Result<qint64> restore(const std::vector<qint64>& ids);
    Result<qint64> purge(const std::vector<qint64>& ids);

    // Whether a change made on behalf of an end user's app (through the license server) is audited:
    // those are recorded in the request log instead; a person's changes always are.
    enum class Audit
    {
        Yes,
        No
    };

    Result<std::vector<Activation>> activations(qint64 keyId) const;
    // Binds a domain or device UUID (normalised and checked) within the key's maximum. Binding one
    // that is already bound only refreshes when and from where it was last seen.
    Result<Activation> activate(qint64 keyId, ActivationKind kind, const QString& value,
                                const QString& ip = {}, Audit audit = Audit::Yes);
    Status deactivate(qint64 keyId, ActivationKind kind, const QString& value, Audit audit = Audit::Yes);
    // Adds (top-up) or spends (negative) tokens atomically; never below zero, even when several
    // consumers spend at once. Returns the new balance.
    Result<qint64> adjustTokens(qint64 keyId, qint64 delta, Audit audit = Audit::Yes,
                                const QString& note = {});

    // Inserts up to kInsertBatchRows keys; keys that already exist are left out and not counted.
    // Not audited and no transaction of its own: callers (generation, import) own both.
    Result<int> insertBatch(qint64 productId, const std::vector<NewKey>& keys, const QDateTime& now);

private:
    Result<std::vector<LicenseKey>> select(const QString& tail, const QVariantList& values) const;
    Result<std::vector<LicenseKey>> readSegment(const KeyQuery::Fragment& where, const KeySort& sort,
                                                const KeysetIndex& index,
                                                const KeysetIndex::Segment& segment) const;
    Status loadActivations(LicenseKey& key) const;
    Result<qint64> changeKeys(const std::vector<qint64>& ids, bool inTrash, const QString& action,
                              const QString& change, AuditGroup* group = nullptr);
    Result<qint64> changeMatching(const KeyQuery::Fragment& where, const QString& action,
                                  const QString& change, AuditGroup* group = nullptr);
    Status loadSelection(const std::vector<qint64>& ids);
    Status validateEdit(const LicenseKey& key) const;
    Status lockKey(qint64 keyId) const;

    StoreContext& m_ctx;
    mutable std::unique_ptr<QSqlQuery> m_batchInsert; // prepared once for full batches
    std::unique_ptr<SqliteKeyInserter> m_sqliteInserter;
};

} // namespace keyward
