#include "BulkTrash.h"
#include "KeyGeneration.h"
#include "KeyListReader.h"
#include "LiveIndexRebuild.h"
#include "Store.h"
#include "TestDatabase.h"
#include "UtcTime.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace keyward;

// Bulk delete to the trash on both backends (KEYWARD_TEST_BACKEND=sqlite|postgres): what the
// preview says, the backup, the confirmed count, cancel, and restoring exactly the keys deleted.
class TestBulkTrash : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        std::unique_ptr<TestDatabase> tdb;
        std::unique_ptr<Store> store;
        Product product;
        Product other;
    };

    static bool setUp(Fixture& f)
    {
        f.store = f.tdb->open();
        if (!f.store)
            return false;
        Product p;
        p.name = QStringLiteral("Editor");
        auto created = f.store->products().create(p);
        p.name = QStringLiteral("Player");
        auto other = f.store->products().create(p);
        if (!created || !other)
            return false;
        f.product = *created;
        f.other = *other;
        return true;
    }

    static std::vector<LicenseKey> generate(Store& store, qint64 productId, qint64 count)
    {
        GenerationRequest r;
        r.productId = productId;
        r.count = count;
        std::vector<LicenseKey> keys;
        QStringList generated;
        auto done = KeyGeneration::run(store, r, {}, [&](const LicenseKey& k) {
            generated << k.key;
            return Status{};
        });
        if (!done)
            qWarning("generation failed: %s", qPrintable(done.errorMessage()));
        // As stored (with their ids), in the order generated.
        auto ids = store.keys().resolve(generated);
        if (ids)
            store.keys().forEach(*ids, [&](const LicenseKey& k) {
                keys.push_back(k);
                return Status{};
            });
        return keys;
    }

    static KeyFilter ofProduct(qint64 id)
    {
        KeyFilter f;
        f.productId = id;
        return f;
    }
    static qint64 live(Store& s, qint64 productId) { return *s.keys().count(ofProduct(productId)); }
    static qint64 trashAudits(Store& s)
    {
        AuditFilter f;
        f.actionPrefix = QStringLiteral("key.trash");
        return *s.audit().count(f);
    }

    // The partial indexes over live keys (SQLite), as the schema lists them.
    static QStringList liveIndexes(Store& s)
    {
        QStringList out;
        if (!s.database().isSqlite())
            return out;
        auto q = s.database().exec(
            QStringLiteral("SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' "
                           "AND sql LIKE '%deleted_at IS NULL' ORDER BY name"));
        while (q && q->next())
            out << q->value(0).toString();
        return out;
    }

#define KW_FIXTURE(f)                                                                                        \
    KW_TEST_DATABASE(tdb_);                                                                                  \
    Fixture f;                                                                                               \
    f.tdb = std::move(tdb_);                                                                                 \
    QVERIFY(setUp(f));

private Q_SLOTS:
    void keyListsFromTextAndFiles()
    {
        QCOMPARE(KeyListReader::fromText(
                     QStringLiteral(" AAAA-1111\r\nBBBB-2222, CCCC-3333;DDDD-4444\tEEEE-5555\n\n")),
                 (QStringList{"AAAA-1111", "BBBB-2222", "CCCC-3333", "DDDD-4444", "EEEE-5555"}));
        QVERIFY(KeyListReader::fromText(QStringLiteral(" \n,\n")).isEmpty());

        QTemporaryDir dir;
        auto write = [&](const char* name, const QByteArray& data) {
            QFile f(dir.filePath(QLatin1String(name)));
            f.open(QIODevice::WriteOnly);
            f.write(data);
            return f.fileName();
        };
        // A plain list: the first line is a key too.
        auto plain = KeyListReader::fromFile(write("plain.txt", "AAAA-1111\nBBBB-2222\n\nCCCC-3333\n"));
        QVERIFY2(plain, qPrintable(plain.errorMessage()));
        QCOMPARE(*plain, (QStringList{"AAAA-1111", "BBBB-2222", "CCCC-3333"}));
        // The key column of an export or an import file.
        auto csv = KeyListReader::fromFile(
            write("export.csv", "customer,license_key\nAnn,AAAA-1111\nBob,BBBB-2222\n"));
        QCOMPARE(*csv, (QStringList{"AAAA-1111", "BBBB-2222"}));
        auto json =
            KeyListReader::fromFile(write("export.json", R"([{"key":"AAAA-1111"},{"key":"BBBB-2222"}])"));
        QCOMPARE(*json, (QStringList{"AAAA-1111", "BBBB-2222"}));
        // Several columns and none of them a key: a clear error.
        auto none = KeyListReader::fromFile(write("people.csv", "name,email\nAnn,a@example.com\n"));
        QCOMPARE(none.errorKind(), ErrorKind::Invalid);
        QVERIFY(none.errorMessage().contains(QLatin1String("no key column")));
        QCOMPARE(KeyListReader::fromFile(dir.filePath(QStringLiteral("missing.txt"))).errorKind(),
                 ErrorKind::Io);
        QVERIFY(
            !KeyListReader::fromFile(write("binary.bin", QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16))));
    }

    void previewCountsAndWarnsAboutKeysInUse()
    {
        KW_FIXTURE(f);
        const auto keys = generate(*f.store, f.product.id, 30);
        generate(*f.store, f.other.id, 5);
        QCOMPARE(keys.size(), size_t(30));
        KeyStore& ks = f.store->keys();
        // In use: active with a domain, active with a device. Not counted: suspended with a
        // domain, expired with a domain, active without activations.
        {
            auto a = ks.activate(keys[0].id, ActivationKind::Domain, QStringLiteral("shop.example.com"));
            QVERIFY2(a, qPrintable(a.errorMessage()));
        }
        {
            auto a = ks.activate(keys[1].id, ActivationKind::Uuid,
                                 QStringLiteral("123e4567-e89b-12d3-a456-426614174000"));
            QVERIFY2(a, qPrintable(a.errorMessage()));
        }
        {
            auto a = ks.activate(keys[2].id, ActivationKind::Domain, QStringLiteral("old.example.com"));
            QVERIFY2(a, qPrintable(a.errorMessage()));
        }
        {
            auto a = ks.activate(keys[3].id, ActivationKind::Domain, QStringLiteral("gone.example.com"));
            QVERIFY2(a, qPrintable(a.errorMessage()));
        }
        LicenseKey suspended = *ks.findById(keys[2].id);
        suspended.status = KeyStatus::Suspended;
        QVERIFY(ks.update(suspended));
        LicenseKey expired = *ks.findById(keys[3].id);
        expired.expiresAt = f.store->now().addDays(-1);
        QVERIFY(ks.update(expired));
        QVERIFY(ks.moveToTrash(std::vector<qint64>{keys[29].id}));

        auto byFilter = BulkTrash::preview(*f.store, BulkTrashTarget::ofFilter(ofProduct(f.product.id)), 10);
        QVERIFY2(byFilter, qPrintable(byFilter.errorMessage()));
        QCOMPARE(byFilter->count, qint64(29));
        QCOMPARE(byFilter->activeWithActivations, qint64(2));
        QCOMPARE(byFilter->alreadyInTrash, qint64(0));
        QCOMPARE(byFilter->firstRows.size(), size_t(10));
        QCOMPARE(byFilter->firstRows.front().id, keys[0].id); // by id

        // Ids in the order of a selection, with a duplicate and one already in the trash.
        const std::vector<qint64> ids{keys[5].id, keys[1].id, keys[5].id, keys[29].id, keys[2].id};
        auto byIds = BulkTrash::preview(*f.store, BulkTrashTarget::ofIds(ids));
        QVERIFY(byIds);
        QCOMPARE(byIds->count, qint64(3));
        QCOMPARE(byIds->alreadyInTrash, qint64(1));
        QCOMPARE(byIds->activeWithActivations, qint64(1));
        QCOMPARE(byIds->firstRows.size(), size_t(3));
        QCOMPARE(byIds->firstRows[0].id, keys[5].id);
        QCOMPARE(byIds->firstRows[1].id, keys[1].id);

        // Pasted keys, typed in lower case; an unknown one refuses the whole list, naming it.
        const QString pasted = keys[0].key.toLower() + QStringLiteral("\n") + keys[4].key;
        auto byText = BulkTrash::preview(*f.store, BulkTrashTarget::ofText(pasted));
        QVERIFY2(byText, qPrintable(byText.errorMessage()));
        QCOMPARE(byText->count, qint64(2));
        QCOMPARE(byText->activeWithActivations, qint64(1));
        auto unknown =
            BulkTrash::preview(*f.store, BulkTrashTarget::ofText(pasted + QStringLiteral("\nNOPE-NOPE")));
        QCOMPARE(unknown.errorKind(), ErrorKind::NotFound);
        QVERIFY(unknown.errorMessage().contains(QLatin1String("NOPE-NOPE")));
        QCOMPARE(BulkTrash::preview(*f.store, BulkTrashTarget::ofText(QStringLiteral(" \n"))).errorKind(),
                 ErrorKind::Invalid);

        // A filter that excludes active keys finds nobody in use.
        KeyFilter suspendedOnly = ofProduct(f.product.id);
        suspendedOnly.status = KeyStatus::Suspended;
        auto s = BulkTrash::preview(*f.store, BulkTrashTarget::ofFilter(suspendedOnly));
        QCOMPARE(s->count, qint64(1));
        QCOMPARE(s->activeWithActivations, qint64(0));
    }

    void backupThenTrashThenRestoreExactlyThose()
    {
        KW_FIXTURE(f);
        const auto keys = generate(*f.store, f.product.id, 40);
        generate(*f.store, f.other.id, 7);
        QTemporaryDir dir;
        const QString backup = dir.filePath(QStringLiteral("backup.json"));
        BulkTrashRequest r;
        r.target = BulkTrashTarget::ofFilter(ofProduct(f.product.id));
        r.expectedCount = 40;
        r.backupPath = backup;
        std::vector<std::pair<qint64, qint64>> progress;
        JobControl control;
        control.progress = [&](qint64 done, qint64 total) { progress.emplace_back(done, total); };
        auto done = BulkTrash::run(*f.store, r, control);
        QVERIFY2(done, qPrintable(done.errorMessage()));
        QCOMPARE(done->trashed, qint64(40));
        QCOMPARE(done->backedUp, qint64(40));
        QCOMPARE(done->ids.size(), size_t(40));
        QVERIFY(!progress.empty());
        QCOMPARE(progress.back(), std::make_pair(qint64(80), qint64(80))); // backup and trash
        QCOMPARE(live(*f.store, f.product.id), qint64(0));
        QCOMPARE(live(*f.store, f.other.id), qint64(7));
        QCOMPARE(trashAudits(*f.store), qint64(1)); // one entry for the 40 keys

        // The backup holds exactly the deleted keys, readable as a key list again.
        QFile file(backup);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray rows = QJsonDocument::fromJson(file.readAll()).array();
        QCOMPARE(rows.size(), 40);
        QStringList expected;
        for (const LicenseKey& k : keys)
            expected << k.key;
        auto listed = KeyListReader::fromFile(backup);
        QVERIFY(listed);
        QStringList sortedListed = *listed;
        sortedListed.sort();
        expected.sort();
        QCOMPARE(sortedListed, expected);

        // A key trashed before is not among those to restore.
        auto restored = f.store->keys().restore(done->ids);
        QCOMPARE(*restored, qint64(40));
        QCOMPARE(live(*f.store, f.product.id), qint64(40));
    }

    void aChangedSetDeletesNothing()
    {
        KW_FIXTURE(f);
        const auto keys = generate(*f.store, f.product.id, 10);
        QTemporaryDir dir;
        BulkTrashRequest r;
        r.target = BulkTrashTarget::ofFilter(ofProduct(f.product.id));
        r.expectedCount = 9; // one more key appeared since the preview
        r.backupPath = dir.filePath(QStringLiteral("backup.csv"));
        auto done = BulkTrash::run(*f.store, r);
        QCOMPARE(done.errorKind(), ErrorKind::Conflict);
        QVERIFY(done.errorMessage().contains(QLatin1String("Nothing was deleted")));
        QCOMPARE(live(*f.store, f.product.id), qint64(10));
        QVERIFY(!QFile::exists(r.backupPath)); // checked before the backup
        QCOMPARE(trashAudits(*f.store), qint64(0));

        r.backupPath = dir.filePath(QStringLiteral("backup.txt"));
        r.expectedCount = 10;
        QCOMPARE(BulkTrash::run(*f.store, r).errorKind(), ErrorKind::Invalid);
        r.backupPath = dir.filePath(QStringLiteral("no/such/folder/backup.csv"));
        QVERIFY(!BulkTrash::run(*f.store, r));
        QCOMPARE(live(*f.store, f.product.id), qint64(10));

        // Listed keys: one missing refuses all.
        BulkTrashRequest listed;
        listed.target = BulkTrashTarget::ofKeys({keys[0].key, QStringLiteral("MISSING-KEY")});
        QCOMPARE(BulkTrash::run(*f.store, listed).errorKind(), ErrorKind::NotFound);
        QCOMPARE(live(*f.store, f.product.id), qint64(10));
    }

    // By filter, chunks are the filter within an id range; if what matches changes while the job
    // runs (here a key expires meanwhile), the counts disagree and nothing is deleted.
    void filterThatChangesWithTimeDeletesNothing()
    {
        KW_FIXTURE(f);
        const QDateTime t0 = utcDateTime(QDate(2027, 3, 1), QTime(12, 0));
        QDateTime now = t0;
        f.store->setClock([&now] { return now; });
        const auto keys = generate(*f.store, f.product.id, 5);
        for (size_t i = 0; i < keys.size(); ++i) {
            LicenseKey k = *f.store->keys().findById(keys[i].id);
            k.expiresAt = i == 3 ? t0.addSecs(60) : t0.addDays(-1);
            QVERIFY(f.store->keys().update(k));
        }
        KeyFilter expired = ofProduct(f.product.id);
        expired.status = KeyStatus::Expired;
        QCOMPARE(*f.store->keys().count(expired), qint64(4));
        BulkTrashRequest r;
        r.target = BulkTrashTarget::ofFilter(expired);
        JobControl control;
        control.progress = [&](qint64, qint64) { now = t0.addSecs(3600); }; // after the ids are read
        auto done = BulkTrash::run(*f.store, r, control);
        QCOMPARE(done.errorKind(), ErrorKind::Conflict);
        QVERIFY(done.errorMessage().contains(QLatin1String("nothing was deleted")));
        QCOMPARE(live(*f.store, f.product.id), qint64(5));
        QCOMPARE(trashAudits(*f.store), qint64(0));
        // Asked again (now all five match), it deletes them.
        done = BulkTrash::run(*f.store, r);
        QVERIFY2(done, qPrintable(done.errorMessage()));
        QCOMPARE(done->trashed, qint64(5));
    }

    // Most of the live keys at once: on SQLite the live indexes are built again instead of being
    // thinned one entry at a time; the result is the same, and the indexes are there afterwards.
    void deletingMostKeysKeepsTheIndexes()
    {
        KW_FIXTURE(f);
        generate(*f.store, f.product.id, LiveIndexRebuild::kMinimumKeys + 1000);
        const auto others = generate(*f.store, f.other.id, 3000);
        const QStringList indexes = liveIndexes(*f.store);
        if (f.store->database().isSqlite())
            QVERIFY(indexes.size() >= 7);
        BulkTrashRequest r;
        r.target = BulkTrashTarget::ofFilter(ofProduct(f.product.id));
        r.expectedCount = LiveIndexRebuild::kMinimumKeys + 1000;
        auto done = BulkTrash::run(*f.store, r);
        QVERIFY2(done, qPrintable(done.errorMessage()));
        QCOMPARE(done->trashed, r.expectedCount);
        QCOMPARE(liveIndexes(*f.store), indexes);
        QCOMPARE(live(*f.store, f.product.id), qint64(0));
        QCOMPARE(live(*f.store, f.other.id), qint64(3000));
        // Pages and lookups by the rebuilt indexes see exactly the keys that stayed.
        KeySort byEmail{KeyColumn::CustomerEmail, Qt::AscendingOrder};
        QCOMPARE(f.store->keys().page(KeyFilter{}, byEmail, 0, 5000)->size(), size_t(3000));
        KeyFilter active;
        active.status = KeyStatus::Active;
        QCOMPARE(*f.store->keys().count(active), qint64(3000));
        QCOMPARE(*f.store->keys().restore(done->ids), r.expectedCount);
        QCOMPARE(*f.store->keys().count(KeyFilter{}), r.expectedCount + 3000);
        QCOMPARE(f.store->keys().findById(others.front().id)->inTrash(), false);
    }

    void cancelBetweenChunksChangesNothing()
    {
        KW_FIXTURE(f);
        const qint64 n = qint64(BulkTrash::kChunk) + 5000;
        QCOMPARE(qint64(generate(*f.store, f.product.id, n).size()), n);
        std::atomic<bool> cancel{false};
        JobControl control;
        control.cancel = &cancel;
        qint64 seen = 0;
        control.progress = [&](qint64 done, qint64) {
            seen = done;
            if (done > 0)
                cancel = true; // after the first chunk moved
        };
        BulkTrashRequest r;
        r.target = BulkTrashTarget::ofFilter(ofProduct(f.product.id));
        const QStringList indexes = liveIndexes(*f.store);
        auto done = BulkTrash::run(*f.store, r, control);
        QCOMPARE(done.errorKind(), ErrorKind::Cancelled);
        QCOMPARE(seen, qint64(BulkTrash::kChunk));
        QCOMPARE(live(*f.store, f.product.id), n);
        QCOMPARE(trashAudits(*f.store), qint64(0));
        QCOMPARE(liveIndexes(*f.store), indexes); // dropped for the delete, back with the rollback
    }
};

QTEST_GUILESS_MAIN(TestBulkTrash)
#include "TestBulkTrash.moc"
