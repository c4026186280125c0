#include "KeyGeneration.h"

#include "KeyGenerator.h"
#include "Store.h"

#include <QJsonObject>
#include <QSet>

namespace keyward {
namespace {

constexpr int kMaxAttempts = 50;

std::optional<int> limitFrom(const std::optional<int>& requested, const std::optional<int>& productDefault)
{
    if (!requested)
        return productDefault;
    return *requested == 0 ? std::nullopt : requested;
}

// Keys of the batch that are already stored (rare: a collision with an existing key).
Result<QSet<QString>> existingKeys(Database& db, const std::vector<NewKey>& batch)
{
    QStringList keys;
    for (const NewKey& k : batch)
        keys << k.key;
    auto q = db.exec(QStringLiteral("SELECT license_key FROM license_keys WHERE license_key IN (%1)")
                         .arg(db.listSql(false)),
                     {Database::jsonList(keys)});
    if (!q)
        return q.error();
    QSet<QString> found;
    while (q->next())
        found.insert(q->value(0).toString());
    return found;
}

// A key that is neither stored nor already in the batch; an error when the format is nearly full.
Result<QString> freshKey(Database& db, KeyGenerator& generator, const QSet<QString>& inBatch)
{
    for (int tries = 0; tries < 10000; ++tries) {
        QString key = generator.next();
        if (inBatch.contains(key))
            continue;
        auto stored =
            db.scalar(QStringLiteral("SELECT COUNT(*) FROM license_keys WHERE license_key = ?"), {key});
        if (!stored)
            return stored.error();
        if (*stored == 0)
            return key;
    }
    return makeError(
        ErrorKind::LimitReached,
        QStringLiteral("The key format has almost no unused keys left; choose a longer format."));
}

} // namespace

Result<qint64> KeyGeneration::run(Store& store, const GenerationRequest& request, const JobControl& control,
                                  const std::function<Status(const LicenseKey&)>& sink)
{
    if (request.count <= 0)
        return makeError(ErrorKind::Invalid, QStringLiteral("Generate at least one key."));
    if (request.count > kMaxCount)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("At most %L1 keys can be generated at once.").arg(kMaxCount));
    auto product = store.products().find(request.productId);
    if (!product)
        return product.error();
    if (product->archived)
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("The product \"%1\" is archived; unarchive it to generate keys.")
                             .arg(product->name));
    Result<KeyFormat> format = request.format ? Result<KeyFormat>(*request.format) : product->format();
    if (!format)
        return format.error();

    const QDateTime now = store.now();
    NewKey shape;
    shape.customerName = request.customerName.trimmed();
    shape.customerEmail = request.customerEmail.trimmed();
    shape.notes = request.notes;
    if (request.expiresAt)
        shape.expiresAt = *request.expiresAt;
    else if (product->defaultExpiryDays)
        shape.expiresAt = now.addDays(*product->defaultExpiryDays);
    shape.maxDomains = limitFrom(request.maxDomains, product->defaultMaxDomains);
    shape.maxUuids = limitFrom(request.maxUuids, product->defaultMaxUuids);
    if (request.tokens)
        shape.tokenBalance = request.tokens;
    else if (product->tokenKeys)
        shape.tokenBalance = product->defaultTokens;
    if (shape.tokenBalance && *shape.tokenBalance < 0)
        return makeError(ErrorKind::Invalid, QStringLiteral("The token balance cannot be negative."));

    Database& db = store.database();
    Transaction tx(db);
    if (!tx)
        return tx.error();

    // Checked before (for a quick answer) and again before commit (another writer may have added keys).
    auto checkMaxKeys = [&](bool inserted) -> Status {
        if (!product->maxKeys)
            return {};
        auto live = store.products().liveKeyCount(product->id);
        if (!live)
            return live.error();
        const qint64 existing = *live - (inserted ? request.count : 0);
        if (existing + request.count > *product->maxKeys)
            return makeError(
                ErrorKind::LimitReached,
                QStringLiteral("\"%1\" allows at most %L2 keys and has %L3; %L4 more would exceed it.")
                    .arg(product->name)
                    .arg(*product->maxKeys)
                    .arg(existing)
                    .arg(request.count));
        return {};
    };
    if (Status s = checkMaxKeys(false); !s)
        return s.error();

    KeyGenerator generator(*format);
    std::vector<NewKey> batch;
    batch.reserve(KeyStore::kInsertBatchRows);
    QSet<QString> inBatch;
    qint64 done = 0;
    LicenseKey record;
    record.productId = product->id;
    record.productName = product->name;
    record.createdAt = record.updatedAt = now;

    while (done < request.count) {
        if (control.cancelled())
            return makeError(ErrorKind::Cancelled,
                             QStringLiteral("Generation was cancelled; no keys were stored."));
        const int size = int(std::min<qint64>(KeyStore::kInsertBatchRows, request.count - done));
        batch.clear();
        inBatch.clear();
        for (int attempt = 0; int(batch.size()) < size; ++attempt) {
            if (attempt > size * kMaxAttempts)
                return makeError(
                    ErrorKind::LimitReached,
                    QStringLiteral("The key format has too few possible keys to generate %L1 more.")
                        .arg(request.count - done));
            NewKey key = shape;
            key.key = generator.next();
            if (inBatch.contains(key.key))
                continue;
            inBatch.insert(key.key);
            batch.push_back(std::move(key));
        }

        for (int attempt = 0;; ++attempt) {
            Transaction savepoint(db);
            if (!savepoint)
                return savepoint.error();
            auto inserted = store.keys().insertBatch(product->id, batch, now);
            if (!inserted)
                return inserted.error();
            if (*inserted == size) {
                if (Status s = savepoint.commit(); !s)
                    return s.error();
                break;
            }
            // A generated key collided with a stored one: undo the batch, replace the colliding
            // keys with keys checked to be free, and insert again.
            savepoint.rollback();
            if (attempt >= kMaxAttempts)
                return makeError(
                    ErrorKind::Internal,
                    QStringLiteral("Generated keys kept colliding with keys written at the same time."));
            auto taken = existingKeys(db, batch);
            if (!taken)
                return taken.error();
            for (NewKey& key : batch) {
                if (!taken->contains(key.key))
                    continue;
                auto fresh = freshKey(db, generator, inBatch);
                if (!fresh)
                    return fresh.error();
                inBatch.insert(*fresh);
                key.key = *fresh;
            }
        }

        if (sink) {
            for (const NewKey& key : batch) {
                record.key = key.key;
                record.customerName = key.customerName;
                record.customerEmail = key.customerEmail;
                record.notes = key.notes;
                record.expiresAt = key.expiresAt;
                record.maxDomains = key.maxDomains;
                record.maxUuids = key.maxUuids;
                record.tokenBalance = key.tokenBalance;
                if (Status s = sink(record); !s)
                    return s.error();
            }
        }
        done += size;
        control.report(done, request.count);
    }

    if (Status s = checkMaxKeys(true); !s)
        return s.error();
    QJsonObject detail{{QStringLiteral("count"), done},
                       {QStringLiteral("product"), product->name},
                       {QStringLiteral("format"), format->description()}};
    if (Status s = store.audit().record(now, store.context().actor, QStringLiteral("keys.generate"),
                                        QStringLiteral("product"), QString::number(product->id), detail);
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return done;
}

} // namespace keyward
