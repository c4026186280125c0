#include "KeyExport.h"
#include "KeyGeneration.h"
#include "Migrations.h"
#include "SqliteKeyInserter.h"
#include "Store.h"
#include "TestDatabase.h"
#include "UtcTime.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <algorithm>
#include <atomic>

using namespace keyward;

// The store suite. ctest runs it twice: KEYWARD_TEST_BACKEND=sqlite and =postgres.
class TestStore : public QObject
{
    Q_OBJECT

private:
    static Product makeProduct(Store& store, const QString& name = QStringLiteral("Photo Editor"))
    {
        Product p;
        p.name = name;
        p.keyPrefix = QStringLiteral("PE-");
        auto created = store.products().create(p);
        if (!created)
            qFatal("product: %s", qPrintable(created.errorMessage()));
        return *created;
    }

    static qint64 generate(Store& store, qint64 productId, qint64 count)
    {
        GenerationRequest request;
        request.productId = productId;
        request.count = count;
        auto r = KeyGeneration::run(store, request);
        if (!r)
            qFatal("generate: %s", qPrintable(r.errorMessage()));
        return *r;
    }

    static qint64 auditCount(Store& store, const QString& action)
    {
        AuditFilter f;
        f.actionPrefix = action;
        return *store.audit().count(f);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInfo("backend: %s", qPrintable(TestDatabase::backendName(TestDatabase::backendFromEnvironment())));
    }

    void migrationsFromEmptyAndReopen()
    {
        KW_TEST_DATABASE(tdb);
        Database::Options noCreate;
        auto refused = Store::open(tdb->location(), noCreate);
        QVERIFY(!refused);
        QCOMPARE(refused.errorKind(), ErrorKind::NotFound);

        {
            auto store = tdb->open();
            QVERIFY(store);
            QCOMPARE(store->database().schemaVersion(), Migrations::latestVersion());
#ifdef KEYWARD_HAVE_SQLITE3
            // The bulk path on SQLite writes through the connection's own sqlite3 handle.
            QCOMPARE(SqliteKeyInserter::available(store->database()), store->database().isSqlite());
#endif
            for (const char* table : {"products", "api_keys", "admin_tokens", "license_keys", "activations",
                                      "request_log", "usage_counters", "ip_states", "ip_whitelist",
                                      "ip_events", "tickets", "ticket_notes", "audit_log", "keyward_meta"}) {
                auto r = store->database().scalar(
                    QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table)));
                QVERIFY2(r, qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(table), r.errorMessage())));
            }
            makeProduct(*store);
        }
        auto reopened = Store::open(tdb->location(), noCreate);
        QVERIFY2(reopened, qPrintable(reopened.errorMessage()));
        QCOMPARE((*reopened)->database().schemaVersion(), Migrations::latestVersion());
        QCOMPARE((*reopened)->products().list()->size(), size_t(1));
        auto rows = (*reopened)->database().scalar(QStringLiteral("SELECT COUNT(*) FROM schema_migrations"));
        QCOMPARE(*rows, qint64(Migrations::all().size()));
        auto app = (*reopened)->database().exec(
            QStringLiteral("SELECT value FROM keyward_meta WHERE name = 'application'"));
        QVERIFY(app && app->next());
        QCOMPARE(app->value(0).toString(), QStringLiteral("keyward"));
    }

    void products()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        const Product p = makeProduct(*store);
        QVERIFY(p.id > 0);
        QCOMPARE(p.plan, Plan::Free);
        QCOMPARE(p.dailyLimit(), std::optional<qint64>(10000));

        Product dup;
        dup.name = QStringLiteral("  photo EDITOR ");
        auto refused = store->products().create(dup);
        QCOMPARE(refused.errorKind(), ErrorKind::Conflict);

        Product weak;
        weak.name = QStringLiteral("Weak");
        weak.keyPattern = QStringLiteral("XXXX");
        QCOMPARE(store->products().create(weak).errorKind(), ErrorKind::Invalid);
        weak.weakFormatAllowed = true;
        QVERIFY(store->products().create(weak));

        Product changed = *store->products().findByName(QStringLiteral("PHOTO editor"));
        changed.plan = Plan::Enterprise;
        changed.maxKeys = 5;
        changed.defaultMaxDomains = 3;
        changed.archived = true;
        QVERIFY(store->products().update(changed));
        const Product reread = *store->products().find(p.id);
        QCOMPARE(reread.plan, Plan::Enterprise);
        QVERIFY(!reread.dailyLimit());
        QCOMPARE(reread.maxKeys, std::optional<qint64>(5));
        QCOMPARE(reread.defaultMaxDomains, std::optional<int>(3));
        QVERIFY(reread.archived);
        QCOMPARE(store->products().list(false)->size(), size_t(1));
        QCOMPARE(store->products().list(true)->size(), size_t(2));
        QCOMPARE(store->products().find(9999).errorKind(), ErrorKind::NotFound);
        QCOMPARE(auditCount(*store, QStringLiteral("product.")), qint64(3));
    }

    void keyLifecycle()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        const Product p = makeProduct(*store);
        NewKey nk;
        nk.key = QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD");
        nk.customerName = QStringLiteral("Ann Lee");
        nk.customerEmail = QStringLiteral("ann@example.com");
        nk.maxDomains = 2;
        auto created = store->keys().create(p.id, nk);
        QVERIFY2(created, qPrintable(created.errorMessage()));
        QCOMPARE(store->keys().create(p.id, nk).errorKind(), ErrorKind::Conflict);

        auto found = store->keys().find(QStringLiteral(" pe-aaaaa-bbbbb-ccccc-ddddd "));
        QVERIFY(found);
        QCOMPARE(found->customerEmail, QStringLiteral("ann@example.com"));
        QCOMPARE(found->productName, p.name);
        QCOMPARE(found->maxDomains, std::optional<int>(2));
        QVERIFY(!found->tokenBalance);

        LicenseKey edit = *found;
        edit.customerEmail = QStringLiteral("not an email");
        QCOMPARE(store->keys().update(edit).errorKind(), ErrorKind::Invalid);
        edit.customerEmail = QStringLiteral("ann@new.example");
        edit.notes = QStringLiteral("VIP");
        edit.tokenBalance = 50;
        edit.expiresAt = utcDateTime(QDate(2030, 1, 1), QTime(0, 0));
        edit.status = KeyStatus::Suspended;
        QVERIFY(store->keys().update(edit));
        const LicenseKey afterEdit = *store->keys().findById(found->id);
        QCOMPARE(afterEdit.customerEmail, QStringLiteral("ann@new.example"));
        QCOMPARE(afterEdit.tokenBalance, std::optional<qint64>(50));
        QCOMPARE(afterEdit.expiresAt, edit.expiresAt);
        QCOMPARE(afterEdit.status, KeyStatus::Suspended);

        AuditFilter byKey;
        byKey.objectType = QStringLiteral("key");
        byKey.objectId = QString::number(found->id);
        auto history = store->audit().list(byKey, 0, 10);
        QCOMPARE(history->size(), size_t(2)); // create, update
        const QJsonObject changes = history->front().detail[QStringLiteral("changes")].toObject();
        QCOMPARE(changes[QStringLiteral("customer_email")].toObject()[QStringLiteral("to")].toString(),
                 QStringLiteral("ann@new.example"));
        QVERIFY(changes.contains(QStringLiteral("status")));
        QVERIFY(!changes.contains(QStringLiteral("customer_name")));

        edit = afterEdit;
        edit.status = KeyStatus::Revoked;
        QCOMPARE(store->keys().update(edit).errorKind(), ErrorKind::Invalid);
        QCOMPARE(store->keys().revoke(found->id, RevokeReason::None, {}).errorKind(), ErrorKind::Invalid);
        QVERIFY(store->keys().revoke(found->id, RevokeReason::Refund, QStringLiteral("order 42")));
        QCOMPARE(store->keys().revoke(found->id, RevokeReason::Refund, {}).errorKind(), ErrorKind::Conflict);
        const LicenseKey revoked = *store->keys().findById(found->id);
        QCOMPARE(revoked.status, KeyStatus::Revoked);
        QCOMPARE(revoked.revokeReason, RevokeReason::Refund);
        QVERIFY(revoked.revokedAt.isValid());

        edit = revoked;
        edit.status = KeyStatus::Active;
        QVERIFY(store->keys().update(edit));
        const LicenseKey reinstated = *store->keys().findById(found->id);
        QCOMPARE(reinstated.status, KeyStatus::Active);
        QCOMPARE(reinstated.revokeReason, RevokeReason::None);
        QCOMPARE(store->audit().list(byKey, 0, 10)->front().action, QStringLiteral("key.reinstate"));
    }

    void activationsWithinMaximum()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        const Product p = makeProduct(*store);
        NewKey nk;
        nk.key = QStringLiteral("PE-ACTIV-ATION-00000-00001");
        nk.maxDomains = 2;
        nk.maxUuids = 1;
        const LicenseKey key = *store->keys().create(p.id, nk);
        auto& keys = store->keys();
        QVERIFY(keys.activate(key.id, ActivationKind::Domain, QStringLiteral("https://Shop.Example.com/x"),
                              "10.0.0.1"));
        QVERIFY(keys.activate(key.id, ActivationKind::Domain, QStringLiteral("blog.example.org")));
        auto third = keys.activate(key.id, ActivationKind::Domain, QStringLiteral("third.example.net"));
        QCOMPARE(third.errorKind(), ErrorKind::LimitReached);
        auto again =
            keys.activate(key.id, ActivationKind::Domain, QStringLiteral("shop.example.com"), "10.0.0.2");
        QVERIFY2(again, qPrintable(again.errorMessage())); // already bound: refreshed, not refused
        QCOMPARE(again->lastIp, QStringLiteral("10.0.0.2"));
        QCOMPARE(keys.activate(key.id, ActivationKind::Domain, QStringLiteral("not a domain")).errorKind(),
                 ErrorKind::Invalid);
        QVERIFY(keys.activate(key.id, ActivationKind::Uuid,
                              QStringLiteral("{6F9619FF-8B86-D011-B42D-00C04FC964FF}")));
        QCOMPARE(keys.activate(key.id, ActivationKind::Uuid, QUuid::createUuid().toString()).errorKind(),
                 ErrorKind::LimitReached);

        LicenseKey found = *keys.findById(key.id);
        QCOMPARE(found.domains, (QStringList{"shop.example.com", "blog.example.org"}));
        QCOMPARE(found.uuids, QStringList{"6f9619ff-8b86-d011-b42d-00c04fc964ff"});
        found.maxDomains = 1;
        QCOMPARE(keys.update(found).errorKind(), ErrorKind::LimitReached);

        QVERIFY(keys.deactivate(key.id, ActivationKind::Domain, QStringLiteral("BLOG.example.org")));
        QCOMPARE(
            keys.deactivate(key.id, ActivationKind::Domain, QStringLiteral("blog.example.org")).errorKind(),
            ErrorKind::NotFound);
        QVERIFY(keys.activate(key.id, ActivationKind::Domain, QStringLiteral("third.example.net")));
        QCOMPARE(auditCount(*store, QStringLiteral("key.activate")), qint64(4));
        QCOMPARE(auditCount(*store, QStringLiteral("key.deactivate")), qint64(1));
        QVERIFY(keys.activate(key.id, ActivationKind::Uuid, QUuid::createUuid().toString(), {},
                              KeyStore::Audit::No)
                    .errorKind() == ErrorKind::LimitReached);
    }

    // Two connections spending one token at a time: never below zero, never more than there was.
    void tokensNeverOverspent()
    {
        KW_TEST_DATABASE(tdb);
        qint64 keyId = 0;
        {
            auto store = tdb->open();
            const Product p = makeProduct(*store);
            NewKey nk;
            nk.key = QStringLiteral("PE-TOKEN-00000-00000-00001");
            nk.tokenBalance = 100;
            keyId = store->keys().create(p.id, nk)->id;
            NewKey plain;
            plain.key = QStringLiteral("PE-PLAIN-00000-00000-00001");
            const qint64 plainId = store->keys().create(p.id, plain)->id;
            QCOMPARE(store->keys().adjustTokens(plainId, 5).errorKind(), ErrorKind::Invalid);
            QCOMPARE(store->keys().adjustTokens(keyId, 0).errorKind(), ErrorKind::Invalid);
        }
        std::atomic<int> spent{0};
        std::atomic<int> refused{0};
        std::atomic<int> errors{0};
        auto consumer = [&] {
            Database::Options options;
            options.busyTimeoutMs = 30000;
            auto store = Store::open(tdb->location(), options);
            if (!store) {
                ++errors;
                return;
            }
            for (int i = 0; i < 80; ++i) {
                auto r = (*store)->keys().adjustTokens(keyId, -1, KeyStore::Audit::No);
                if (r)
                    ++spent;
                else if (r.errorKind() == ErrorKind::LimitReached)
                    ++refused;
                else
                    ++errors;
            }
        };
        QThread* t1 = QThread::create(consumer);
        QThread* t2 = QThread::create(consumer);
        t1->start();
        t2->start();
        QVERIFY(t1->wait(120000) && t2->wait(120000));
        delete t1;
        delete t2;
        QCOMPARE(errors.load(), 0);
        QCOMPARE(spent.load(), 100);
        QCOMPARE(refused.load(), 60);
        auto store = tdb->open();
        QCOMPARE(store->keys().findById(keyId)->tokenBalance, std::optional<qint64>(0));
        QCOMPARE(*store->keys().adjustTokens(keyId, 25, KeyStore::Audit::Yes, QStringLiteral("bought more")),
                 qint64(25));
        QCOMPARE(auditCount(*store, QStringLiteral("key.topup")), qint64(1));
    }

    void trashRestorePurge()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        const Product p = makeProduct(*store);
        QCOMPARE(generate(*store, p.id, 50), qint64(50));
        auto keys = store->keys().page({}, {}, 0, 50);
        std::vector<qint64> ids;
        for (int i = 0; i < 10; ++i)
            ids.push_back((*keys)[size_t(i)].id);

        QCOMPARE(*store->keys().moveToTrash(ids), qint64(10));
        QCOMPARE(*store->keys().moveToTrash(ids), qint64(0)); // already there
        KeyFilter trash;
        trash.scope = KeyFilter::Scope::Trash;
        QCOMPARE(*store->keys().count(trash), qint64(10));
        QCOMPARE(*store->keys().count({}), qint64(40));
        QCOMPARE(*store->products().liveKeyCount(p.id), qint64(40));

        LicenseKey inTrash = *store->keys().findById(ids[0]);
        QVERIFY(inTrash.inTrash());
        inTrash.notes = QStringLiteral("x");
        QCOMPARE(store->keys().update(inTrash).errorKind(), ErrorKind::Conflict);

        QCOMPARE(*store->keys().restore({ids[0], ids[1]}), qint64(2));
        QCOMPARE(*store->keys().purge(ids), qint64(8)); // only keys still in the trash
        QCOMPARE(*store->keys().count(trash), qint64(0));
        KeyFilter all;
        all.scope = KeyFilter::Scope::All;
        QCOMPARE(*store->keys().count(all), qint64(42));
        // One entry per change, whatever the number of keys, with the count; each key's history
        // shows it, and a purged key's history still names the key.
        QCOMPARE(auditCount(*store, QStringLiteral("key.trash")), qint64(1));
        QCOMPARE(auditCount(*store, QStringLiteral("key.restore")), qint64(1));
        QCOMPARE(auditCount(*store, QStringLiteral("key.purge")), qint64(1));
        AuditFilter history;
        history.objectType = QStringLiteral("key");
        history.objectId = QString::number(ids[9]);
        auto entries = store->audit().list(history, 0, 10);
        QVERIFY(entries);
        QStringList actions;
        for (const AuditEntry& e : *entries)
            actions << e.action;
        QCOMPARE(actions, (QStringList{"key.purge", "key.trash"})); // generated: one keys.generate entry
        QCOMPARE(entries->front().detail[QStringLiteral("count")].toInt(), 8);
        QCOMPARE(entries->front().detail[QStringLiteral("key")].toString(), (*keys)[9].key);
        QCOMPARE(entries->front().objectId, QString()); // many keys: none named in the entry itself
        QCOMPARE(*store->audit().count(history), qint64(2));
        history.objectId = QString::number(ids[0]); // trashed, then restored (one of two)
        entries = store->audit().list(history, 0, 10);
        QCOMPARE(entries->size(), size_t(2));
        QCOMPARE(entries->at(0).action, QStringLiteral("key.restore"));
        QCOMPARE(entries->at(0).detail[QStringLiteral("count")].toInt(), 2);
        QVERIFY(!entries->at(0).detail.contains(QStringLiteral("key"))); // the key row still has it
        const qint64 untouched = (*keys)[20].id, other = (*keys)[21].id;
        history.objectId = QString::number(untouched); // never trashed
        QCOMPARE(*store->audit().count(history), qint64(0));
        // A change of one key names it in the entry, as before.
        QCOMPARE(*store->keys().moveToTrash(std::vector<qint64>{untouched}), qint64(1));
        AuditFilter single;
        single.objectType = QStringLiteral("key");
        single.actionPrefix = QStringLiteral("key.trash");
        entries = store->audit().list(single, 0, 1);
        QCOMPARE(entries->front().objectId, QString::number(untouched));
        QCOMPARE(entries->front().detail[QStringLiteral("count")].toInt(), 1);
        // Nothing changed, nothing recorded.
        QCOMPARE(*store->keys().restore(std::vector<qint64>{other}), qint64(0));
        QCOMPARE(auditCount(*store, QStringLiteral("key.restore")), qint64(1));
        QCOMPARE(*store->keys().restore(std::vector<qint64>{untouched}), qint64(1));
        // Calls that share a group are one entry (a bulk delete in chunks).
        KeyStore::AuditGroup group;
        QCOMPARE(*store->keys().moveToTrash(std::vector<qint64>{(*keys)[30].id, (*keys)[31].id}, &group), 2);
        QCOMPARE(*store->keys().moveToTrash(std::vector<qint64>{(*keys)[31].id}, &group), 0);
        QCOMPARE(*store->keys().moveToTrash(std::vector<qint64>{(*keys)[32].id}, &group), 1);
        QCOMPARE(group.keys, qint64(3));
        QCOMPARE(auditCount(*store, QStringLiteral("key.trash")), qint64(3)); // 10 keys, 1 key, these 3
        history.objectId = QString::number((*keys)[32].id);
        entries = store->audit().list(history, 0, 10);
        QCOMPARE(entries->size(), size_t(1));
        QCOMPARE(entries->front().id, group.entryId);
        QCOMPARE(entries->front().detail[QStringLiteral("count")].toInt(), 3);

        auto resolved = store->keys().resolve({(*keys)[20].key, QStringLiteral("NOPE-NOPE")});
        QCOMPARE(resolved.errorKind(), ErrorKind::NotFound);
        QVERIFY(resolved.errorMessage().contains(QLatin1String("NOPE-NOPE")));
    }

    void pagingSortingFiltering()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        const QDateTime now = utcDateTime(QDate(2026, 6, 1), QTime(12, 0));
        store->setClock([now] { return now; });
        const Product a = makeProduct(*store, QStringLiteral("Alpha"));
        const Product b = makeProduct(*store, QStringLiteral("Beta"));

        // 600 keys with known attributes, through the bulk path.
        std::vector<NewKey> batch;
        for (int i = 0; i < 600; ++i) {
            NewKey k;
            k.key = QStringLiteral("K%1-%2").arg(i % 7).arg(i, 5, 10, QLatin1Char('0'));
            k.customerName = QStringLiteral("Customer %1").arg(i % 13);
            k.customerEmail = i % 5 == 0 ? QStringLiteral("vip%1@example.com").arg(i)
                                         : QStringLiteral("c%1@mail.test").arg(i);
            if (i % 3 == 0)
                k.expiresAt = now.addDays(i - 300); // half in the past
            if (i % 10 == 0)
                k.status = KeyStatus::Suspended;
            if (i % 4 == 0)
                k.tokenBalance = i;
            batch.push_back(k);
            if (batch.size() == 300) {
                Transaction tx(store->database());
                QVERIFY(tx);
                auto n = store->keys().insertBatch(i < 300 ? a.id : b.id, batch, now);
                QVERIFY2(n, qPrintable(n.errorMessage()));
                QCOMPARE(*n, int(batch.size()));
                QVERIFY(tx.commit());
                batch.clear();
            }
        }
        // The same rows again: all conflicts, none inserted.
        {
            Transaction tx(store->database());
            std::vector<NewKey> again(3);
            again[0].key = QStringLiteral("K0-00000");
            again[1].key = QStringLiteral("K1-00001");
            again[2].key = QStringLiteral("NEW-1");
            QCOMPARE(*store->keys().insertBatch(a.id, again, now), 1);
            QVERIFY(tx.commit());
        }

        KeyFilter all;
        QCOMPARE(*store->keys().count(all), qint64(601));
        KeyFilter f;
        f.productId = a.id;
        QCOMPARE(*store->keys().count(f), qint64(301));
        f = {};
        f.status = KeyStatus::Suspended;
        QCOMPARE(*store->keys().count(f), qint64(60));
        // Expired: active keys with expiry in the past (i % 3 == 0, i < 300, i % 10 != 0).
        int expired = 0;
        int active = 0;
        for (int i = 0; i < 600; ++i) {
            const bool suspended = i % 10 == 0;
            const bool past = i % 3 == 0 && i - 300 <= 0;
            expired += !suspended && past;
            active += !suspended && !past;
        }
        f.status = KeyStatus::Expired;
        QCOMPARE(*store->keys().count(f), qint64(expired));
        f.status = KeyStatus::Active;
        QCOMPARE(*store->keys().count(f), qint64(active + 1)); // + NEW-1
        f = {};
        f.text = QStringLiteral("VIP");
        QCOMPARE(*store->keys().count(f), qint64(120));
        f.text = QStringLiteral("100%_");
        QCOMPARE(*store->keys().count(f), qint64(0)); // wildcards are literal
        f.text = QStringLiteral("k3-");
        f.match = KeyFilter::TextMatch::Prefix;
        int withPrefix = 0;
        for (int i = 0; i < 600; ++i)
            withPrefix += i % 7 == 3;
        QCOMPARE(*store->keys().count(f), qint64(withPrefix));
        f = {};
        f.expiresFrom = now;
        f.expiresTo = now.addDays(100);
        int inRange = 0;
        for (int i = 0; i < 600; i += 3)
            inRange += (i - 300 >= 0 && i - 300 < 100);
        QCOMPARE(*store->keys().count(f), qint64(inRange));

        // Every sortable column, both directions: pages joined equal the whole sorted list.
        for (KeyColumn column : {KeyColumn::Id, KeyColumn::Key, KeyColumn::Product, KeyColumn::Status,
                                 KeyColumn::CustomerName, KeyColumn::CustomerEmail, KeyColumn::CreatedAt,
                                 KeyColumn::UpdatedAt, KeyColumn::ExpiresAt, KeyColumn::Tokens}) {
            for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                const KeySort sort{column, order};
                auto whole = store->keys().page({}, sort, 0, 1000);
                QVERIFY(whole);
                QCOMPARE(whole->size(), size_t(601));
                std::vector<qint64> paged;
                for (qint64 offset = 0; offset < 601; offset += 64) {
                    auto page = store->keys().page({}, sort, offset, 64);
                    for (const LicenseKey& k : *page)
                        paged.push_back(k.id);
                }
                std::vector<qint64> wholeIds;
                for (const LicenseKey& k : *whole)
                    wholeIds.push_back(k.id);
                QCOMPARE(paged, wholeIds);
                if (column == KeyColumn::Key) {
                    for (size_t i = 1; i < whole->size(); ++i) {
                        const bool inOrder = order == Qt::AscendingOrder
                                                 ? (*whole)[i - 1].key < (*whole)[i].key
                                                 : (*whole)[i - 1].key > (*whole)[i].key;
                        QVERIFY(inOrder);
                    }
                }
                if (column == KeyColumn::CustomerEmail && order == Qt::AscendingOrder)
                    QVERIFY(whole->front().customerEmail <= whole->back().customerEmail);
            }
        }
    }

    void generationUniqueAndAudited()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        Product p = makeProduct(*store);
        p.checkSymbol = true;
        p.defaultExpiryDays = 30;
        p.tokenKeys = true;
        p.defaultTokens = 100;
        QVERIFY(store->products().update(p));

        QSet<QString> sunk;
        GenerationRequest request;
        request.productId = p.id;
        request.count = 5000;
        qint64 lastDone = 0;
        JobControl control;
        control.progress = [&](qint64 done, qint64 total) {
            QCOMPARE(total, qint64(5000));
            QVERIFY(done > lastDone);
            lastDone = done;
        };
        auto r = KeyGeneration::run(*store, request, control, [&](const LicenseKey& k) {
            sunk.insert(k.key);
            return Status{};
        });
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(*r, qint64(5000));
        QCOMPARE(lastDone, qint64(5000));
        QCOMPARE(sunk.size(), 5000);
        QCOMPARE(*store->keys().count({}), qint64(5000));
        const KeyFormat format = *p.format();
        for (const QString& k : std::as_const(sunk))
            QVERIFY2(format.check(k).valid(), qPrintable(k));
        const LicenseKey one = *store->keys().find(*sunk.begin());
        QCOMPARE(one.tokenBalance, std::optional<qint64>(100));
        QVERIFY(one.expiresAt.isValid());
        QCOMPARE(auditCount(*store, QStringLiteral("keys.generate")), qint64(1));
    }

    void generationCancelledStoresNothing()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        const Product p = makeProduct(*store);
        std::atomic<bool> cancel{false};
        JobControl control;
        control.cancel = &cancel;
        control.progress = [&](qint64 done, qint64) {
            if (done >= 2000)
                cancel = true;
        };
        GenerationRequest request;
        request.productId = p.id;
        request.count = 10000;
        auto r = KeyGeneration::run(*store, request, control);
        QCOMPARE(r.errorKind(), ErrorKind::Cancelled);
        QCOMPARE(*store->keys().count({}), qint64(0));
        QCOMPARE(auditCount(*store, QStringLiteral("keys.generate")), qint64(0));
    }

    void generationRespectsMaxKeysAndArchive()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        Product p = makeProduct(*store);
        p.maxKeys = 100;
        QVERIFY(store->products().update(p));
        QCOMPARE(generate(*store, p.id, 60), qint64(60));
        GenerationRequest request;
        request.productId = p.id;
        request.count = 41;
        auto refused = KeyGeneration::run(*store, request);
        QCOMPARE(refused.errorKind(), ErrorKind::LimitReached);
        QVERIFY(refused.errorMessage().contains(QLatin1String("100")));
        request.count = 40;
        QVERIFY(KeyGeneration::run(*store, request));
        p.archived = true;
        QVERIFY(store->products().update(p));
        request.count = 1;
        QCOMPARE(KeyGeneration::run(*store, request).errorKind(), ErrorKind::Conflict);
    }

    // A format with only 10,000 possible keys: generation must fill it without a duplicate,
    // handling collisions with stored keys, and say so when nothing is left.
    void generationHandlesCollisions()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        Product p;
        p.name = QStringLiteral("Tiny");
        p.keyPattern = QStringLiteral("9999");
        p.weakFormatAllowed = true;
        p = *store->products().create(p);
        QCOMPARE(generate(*store, p.id, 9000), qint64(9000));
        QCOMPARE(generate(*store, p.id, 900), qint64(900)); // 99% of the space used
        auto all = store->keys().page({}, {KeyColumn::Key, Qt::AscendingOrder}, 0, 20000);
        QCOMPARE(all->size(), size_t(9900));
        QSet<QString> distinct;
        for (const LicenseKey& k : *all) {
            QCOMPARE(k.key.size(), 4);
            distinct.insert(k.key);
        }
        QCOMPARE(distinct.size(), 9900);
        GenerationRequest request;
        request.productId = p.id;
        request.count = 200; // only 100 are left
        QCOMPARE(KeyGeneration::run(*store, request).errorKind(), ErrorKind::LimitReached);
        QCOMPARE(*store->keys().count({}), qint64(9900));
    }

    // Two connections generating at the same time: both succeed, nothing is lost or doubled.
    void concurrentWriters()
    {
        KW_TEST_DATABASE(tdb);
        qint64 productId = 0;
        {
            auto store = tdb->open();
            productId = makeProduct(*store).id;
        }
        std::atomic<int> failures{0};
        QString firstError;
        auto worker = [&] {
            Database::Options options;
            options.busyTimeoutMs = 30000;
            auto store = Store::open(tdb->location(), options);
            if (!store) {
                ++failures;
                return;
            }
            for (int round = 0; round < 5; ++round) {
                GenerationRequest request;
                request.productId = productId;
                request.count = 400;
                auto r = KeyGeneration::run(**store, request);
                if (!r) {
                    firstError = r.errorMessage();
                    ++failures;
                }
            }
        };
        QThread* t1 = QThread::create(worker);
        QThread* t2 = QThread::create(worker);
        t1->start();
        t2->start();
        QVERIFY(t1->wait(120000));
        QVERIFY(t2->wait(120000));
        delete t1;
        delete t2;
        QVERIFY2(failures == 0, qPrintable(firstError));
        auto store = tdb->open();
        QCOMPARE(*store->keys().count({}), qint64(4000));
        QCOMPARE(auditCount(*store, QStringLiteral("keys.generate")), qint64(10));
    }

    void exportFiles()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        const Product p = makeProduct(*store);
        generate(*store, p.id, 2500);
        const QString json = tdb->dir() + QStringLiteral("/keys.json");
        QCOMPARE(*KeyExport::toFile(store->keys(), KeyFilter{}, json, ExportFormat::Json), qint64(2500));
        QFile jf(json);
        QVERIFY(jf.open(QIODevice::ReadOnly));
        const QJsonArray array = QJsonDocument::fromJson(jf.readAll()).array();
        QCOMPARE(array.size(), 2500);
        QVERIFY(store->keys().find(array[1234].toObject()[QStringLiteral("key")].toString()));

        const QString csv = tdb->dir() + QStringLiteral("/keys.csv");
        QCOMPARE(*KeyExport::toFile(store->keys(), KeyFilter{}, csv, ExportFormat::Csv), qint64(2500));
        QFile cf(csv);
        QVERIFY(cf.open(QIODevice::ReadOnly));
        QCOMPARE(cf.readAll().count("\r\n"), 2501);

        std::atomic<bool> cancel{true};
        JobControl control;
        control.cancel = &cancel;
        const QString cancelled = tdb->dir() + QStringLiteral("/cancelled.csv");
        QCOMPARE(
            KeyExport::toFile(store->keys(), KeyFilter{}, cancelled, ExportFormat::Csv, control).errorKind(),
            ErrorKind::Cancelled);
        QVERIFY(!QFile::exists(cancelled));
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "TestStore.moc"
