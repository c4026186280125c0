#include "CsvReader.h"
#include "KeyImport.h"
#include "RecordSource.h"
#include "Store.h"
#include "TestDatabase.h"
#include "UtcTime.h"

#include <QBuffer>
#include <QTest>

using namespace keyward;

// The import job on both backends (KEYWARD_TEST_BACKEND=sqlite|postgres).
class TestKeyImport : public QObject
{
    Q_OBJECT

private:
    struct Fixture
    {
        std::unique_ptr<TestDatabase> tdb;
        std::unique_ptr<Store> store;
        Product product;
    };

    // A product whose keys look like ABCD-EFGH-JKMN-PQRS (80 bits).
    static bool setUp(Fixture& f, const QString& problem, bool skip)
    {
        Q_UNUSED(problem)
        Q_UNUSED(skip)
        f.store = f.tdb->open();
        if (!f.store)
            return false;
        Product p;
        p.name = QStringLiteral("Legacy");
        p.keyPattern = QStringLiteral("XXXX-XXXX-XXXX-XXXX");
        p.tokenKeys = true;
        p.defaultTokens = 10;
        auto created = f.store->products().create(p);
        if (!created)
            return false;
        f.product = *created;
        return true;
    }

    static Result<ImportSummary> import(Store& store, qint64 productId, const QByteArray& data,
                                        ConflictPolicy policy = ConflictPolicy::Skip, bool dryRun = false,
                                        const JobControl& control = {})
    {
        QBuffer buffer;
        buffer.setData(data);
        buffer.open(QIODevice::ReadOnly);
        auto source = RecordSource::forDevice(buffer, QStringLiteral("import")); // detected by content
        if (!source)
            return source.error();
        ImportOptions options;
        options.productId = productId;
        options.mapping = ImportMapping::guess((*source)->columns());
        options.onConflict = policy;
        options.dryRun = dryRun;
        options.sourceName = QStringLiteral("import.csv");
        return KeyImport::run(store, **source, options, control);
    }

    static qint64 count(Store& store) { return *store.keys().count(KeyFilter{}); }
    static qint64 audits(Store& store)
    {
        AuditFilter f;
        f.actionPrefix = QStringLiteral("keys.import");
        return *store.audit().count(f);
    }

#define KW_FIXTURE(f)                                                                                        \
    KW_TEST_DATABASE(tdb_);                                                                                  \
    Fixture f;                                                                                               \
    f.tdb = std::move(tdb_);                                                                                 \
    QVERIFY(setUp(f, {}, false));

private Q_SLOTS:
    void mappingGuess()
    {
        const ImportMapping m = ImportMapping::guess({"Serial Number", "E-Mail", "Full Name", "Valid Until",
                                                      "Comment", "Max Devices", "Credits", "Whatever"});
        QCOMPARE(m.column(ImportField::Key), 0);
        QCOMPARE(m.column(ImportField::CustomerEmail), 1);
        QCOMPARE(m.column(ImportField::CustomerName), 2);
        QCOMPARE(m.column(ImportField::ExpiresAt), 3);
        QCOMPARE(m.column(ImportField::Notes), 4);
        QCOMPARE(m.column(ImportField::MaxUuids), 5);
        QCOMPARE(m.column(ImportField::Tokens), 6);
        QVERIFY(!m.isMapped(ImportField::Status));
        ImportMapping changed = m;
        QVERIFY(changed.apply(QStringLiteral("status=Whatever"),
                              {"Serial Number", "E-Mail", "Full Name", "Valid Until", "Comment",
                               "Max Devices", "Credits", "Whatever"}));
        QCOMPARE(changed.column(ImportField::Status), 7);
        QVERIFY(changed.apply(QStringLiteral("key=2"), {"a", "b"}));
        QCOMPARE(changed.column(ImportField::Key), 1);
        QVERIFY(!changed.apply(QStringLiteral("colour=a"), {"a"}));
        QVERIFY(!changed.apply(QStringLiteral("key=zzz"), {"a"}));
    }

    void rowLevelReport()
    {
        KW_FIXTURE(f);
        NewKey stored;
        stored.key = QStringLiteral("SSSS-SSSS-SSSS-SSSS");
        QVERIFY(f.store->keys().create(f.product.id, stored));

        const QByteArray csv = "License Key,Email,Name,Expires,Tokens,Status,Created At\n"
                               "abcd-efgh-jkmn-pqrs,ann@example.com,Ann,2027-01-31,5,,2020-05-01\n" // 2 ok
                               "ABCD-EFGH-JKMN-PQR,,,,,,\n"                                         // 3 L3n7
                               "ABCD-EFGH-JKMN-PQR!,,,,,,\n"                                        // 4 C4r5
                               "ABCDE-FGH-JKMN-PQRS,,,,,,\n"                                        // 5 P477
                               "ABCD-EFGH-JKMN-PQRS,,,,,,\n"                     // 6 duplicate of 2
                               "BBBB-BBBB-BBBB-BBBB,bad@,,2027-02-30,-1,gone,\n" // 7 four problems
                               ",x@y.io,,,,,\n"                                  // 8 missing key
                               "CCCC-CCCC-CCCC-CCCC,,\n"                         // 9 column count
                               "SSSS-SSSS-SSSS-SSSS,,,,,,\n"                     // 10 already stored
                               "DDDD-DDDD-DDDD-DDDD,,Dee,,,revoked,\n";          // 11 ok
        auto summary = import(*f.store, f.product.id, csv);
        QVERIFY2(summary, qPrintable(summary.errorMessage()));
        QCOMPARE(summary->rows, qint64(10));
        QCOMPARE(summary->imported, qint64(2));
        QCOMPARE(summary->skipped, qint64(1));
        QCOMPARE(summary->rejected, qint64(7));
        QCOMPARE(summary->problemCount, qint64(11));

        auto find = [&](qint64 line, const QString& field) -> const ImportProblem* {
            for (const ImportProblem& p : summary->problems)
                if (p.line == line && p.field == field)
                    return &p;
            return nullptr;
        };
        QVERIFY(find(3, "key") && find(3, "key")->problem.startsWith(QLatin1String("L3n7")));
        QVERIFY(find(4, "key") && find(4, "key")->problem.startsWith(QLatin1String("C4r5")));
        QVERIFY(find(5, "key") && find(5, "key")->problem.startsWith(QLatin1String("P477")));
        QVERIFY(find(6, "key") && find(6, "key")->problem.contains(QLatin1String("duplicate of line 2")));
        QVERIFY(find(7, "customer_email"));
        QVERIFY(find(7, "expires"));
        QVERIFY(find(7, "tokens"));
        QVERIFY(find(7, "status"));
        QVERIFY(find(8, "key") && find(8, "key")->problem.contains(QLatin1String("missing")));
        QVERIFY(find(9, "") && find(9, "")->problem.contains(QLatin1String("expected 7 fields")));
        QVERIFY(find(10, "key") && find(10, "key")->problem.contains(QLatin1String("already in the store")));

        const LicenseKey ann = *f.store->keys().find(QStringLiteral("ABCD-EFGH-JKMN-PQRS"));
        QCOMPARE(ann.customerEmail, QStringLiteral("ann@example.com"));
        QCOMPARE(ann.expiresAt, utcDateTime(QDate(2027, 1, 31), QTime(23, 59, 59)));
        QCOMPARE(ann.tokenBalance, std::optional<qint64>(5));
        QCOMPARE(ann.createdAt, utcDateTime(QDate(2020, 5, 1), QTime(0, 0)));
        const LicenseKey dee = *f.store->keys().find(QStringLiteral("DDDD-DDDD-DDDD-DDDD"));
        QCOMPARE(dee.status, KeyStatus::Revoked);
        QCOMPARE(dee.tokenBalance, std::optional<qint64>(10)); // the product's default
        QCOMPARE(count(*f.store), qint64(3));
        QCOMPARE(audits(*f.store), qint64(1));
        AuditFilter af;
        af.actionPrefix = QStringLiteral("keys.import");
        const AuditEntry entry = f.store->audit().list(af, 0, 1)->front();
        QCOMPARE(entry.detail[QStringLiteral("imported")].toInteger(), 2);
        QCOMPARE(entry.detail[QStringLiteral("rejected")].toInteger(), 7);
        QCOMPARE(entry.detail[QStringLiteral("source")].toString(), QStringLiteral("import.csv"));
    }

    void conflictPolicies()
    {
        KW_FIXTURE(f);
        QVERIFY(
            import(*f.store, f.product.id, "key,name\nAAAA-AAAA-AAAA-AAAA,Old\nBBBB-BBBB-BBBB-BBBB,Old\n"));
        const QByteArray again = "key,name\nAAAA-AAAA-AAAA-AAAA,New\nCCCC-CCCC-CCCC-CCCC,New\n";

        auto stop = import(*f.store, f.product.id, again, ConflictPolicy::Stop);
        QVERIFY(stop);
        QVERIFY(stop->stopped);
        QCOMPARE(count(*f.store), qint64(2)); // C was not imported either
        QCOMPARE(audits(*f.store), qint64(1));

        auto update = import(*f.store, f.product.id, again, ConflictPolicy::Update);
        QVERIFY(update);
        QCOMPARE(update->updated, qint64(1));
        QCOMPARE(update->imported, qint64(1));
        QCOMPARE(f.store->keys().find(QStringLiteral("AAAA-AAAA-AAAA-AAAA"))->customerName,
                 QStringLiteral("New"));
        QCOMPARE(f.store->keys().find(QStringLiteral("BBBB-BBBB-BBBB-BBBB"))->customerName,
                 QStringLiteral("Old"));

        auto skip =
            import(*f.store, f.product.id, "key,name\nAAAA-AAAA-AAAA-AAAA,Newer\n", ConflictPolicy::Skip);
        QCOMPARE(skip->skipped, qint64(1));
        QCOMPARE(f.store->keys().find(QStringLiteral("AAAA-AAAA-AAAA-AAAA"))->customerName,
                 QStringLiteral("New"));

        Product other;
        other.name = QStringLiteral("Other");
        other.keyPattern = f.product.keyPattern;
        other = *f.store->products().create(other);
        auto foreign =
            import(*f.store, other.id, "key,name\nAAAA-AAAA-AAAA-AAAA,Thief\n", ConflictPolicy::Update);
        QCOMPARE(foreign->rejected, qint64(1));
        QCOMPARE(f.store->keys().find(QStringLiteral("AAAA-AAAA-AAAA-AAAA"))->customerName,
                 QStringLiteral("New"));
    }

    void dryRunChangesNothing()
    {
        KW_FIXTURE(f);
        QVERIFY(import(*f.store, f.product.id, "key\nAAAA-AAAA-AAAA-AAAA\n"));
        const QByteArray data = "key,email\nAAAA-AAAA-AAAA-AAAA,\nBBBB-BBBB-BBBB-BBBB,b@x.io\nnope,\n";
        auto dry = import(*f.store, f.product.id, data, ConflictPolicy::Skip, true);
        QVERIFY(dry);
        QVERIFY(dry->dryRun);
        QCOMPARE(dry->imported, qint64(1));
        QCOMPARE(dry->skipped, qint64(1));
        QCOMPARE(dry->rejected, qint64(1));
        QCOMPARE(count(*f.store), qint64(1));
        QCOMPARE(audits(*f.store), qint64(1));
        auto real = import(*f.store, f.product.id, data);
        QCOMPARE(real->imported, dry->imported);
        QCOMPARE(count(*f.store), qint64(2));
    }

    void cancelHalfwayChangesNothing()
    {
        KW_FIXTURE(f);
        QByteArray data = "key,name\n";
        const char* alphabet = KeyFormat::kCrockfordAlphabet;
        for (int i = 0; i < 20000; ++i) {
            const char id[] = {alphabet[i / 1024], alphabet[(i / 32) % 32], alphabet[i % 32], 0};
            data += QByteArray("K") + id + "-AAAA-AAAA-AAAA,n\n";
        }
        std::atomic<bool> cancel{false};
        JobControl control;
        control.cancel = &cancel;
        qint64 seen = 0;
        control.progress = [&](qint64 done, qint64 total) {
            seen = done;
            if (done * 2 >= total)
                cancel = true;
        };
        auto r = import(*f.store, f.product.id, data, ConflictPolicy::Skip, false, control);
        QCOMPARE(r.errorKind(), ErrorKind::Cancelled);
        QVERIFY(seen > 0);
        QCOMPARE(count(*f.store), qint64(0));
        QCOMPARE(audits(*f.store), qint64(0));
        // and the same file imports completely afterwards
        auto again = import(*f.store, f.product.id, data);
        QVERIFY2(again, qPrintable(again.errorMessage()));
        QCOMPARE(again->rejected, qint64(0));
        QCOMPARE(count(*f.store), qint64(20000));
    }

    // A file larger than the store: on SQLite the live indexes are built once at the end; they are
    // all there afterwards, after a cancel too, and answer for the imported keys.
    void largeImportKeepsTheIndexes()
    {
        KW_FIXTURE(f);
        auto indexes = [&] {
            QStringList out;
            auto q =
                f.store->database().exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'index' "
                                                        "AND sql LIKE '%deleted_at IS NULL' ORDER BY name"));
            while (f.store->database().isSqlite() && q && q->next())
                out << q->value(0).toString();
            return out;
        };
        const QStringList before = indexes();
        QByteArray data = "key,customer_email\n";
        const char* alphabet = KeyFormat::kCrockfordAlphabet;
        for (int i = 0; i < 30000; ++i) {
            const char id[] = {alphabet[i / 1024], alphabet[(i / 32) % 32], alphabet[i % 32], 0};
            data +=
                QByteArray("B") + id + "-AAAA-AAAA-AAAA,u" + QByteArray::number(i % 977) + "@example.com\n";
        }
        std::atomic<bool> cancel{false};
        JobControl control;
        control.cancel = &cancel;
        control.progress = [&](qint64 done, qint64 total) { cancel = done * 2 >= total; };
        QCOMPARE(import(*f.store, f.product.id, data, ConflictPolicy::Skip, false, control).errorKind(),
                 ErrorKind::Cancelled);
        QCOMPARE(indexes(), before);
        auto r = import(*f.store, f.product.id, data);
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(r->imported, 30000);
        QCOMPARE(indexes(), before);
        KeyFilter byEmail;
        byEmail.text = QStringLiteral("u5@");
        byEmail.match = KeyFilter::TextMatch::EmailPrefix;
        QVERIFY(*f.store->keys().count(byEmail) > 0);
        KeySort sort{KeyColumn::CustomerEmail, Qt::DescendingOrder};
        QCOMPARE(f.store->keys().page(KeyFilter{}, sort, 29990, 100)->size(), size_t(10));
        QCOMPARE(*f.store->products().liveKeyCount(f.product.id), 30000);
    }

    // A file with more rows than the store has keys at all: on SQLite the unique key index is built
    // at the end too, and the keys stored before are still found (skipped, updated, or refused for
    // another product, also one in the trash); afterwards the index is back and enforces uniqueness.
    void largeImportFindsStoredKeysWithoutTheKeyIndex()
    {
        KW_FIXTURE(f);
        Product other;
        other.name = QStringLiteral("Other");
        other.keyPattern = f.product.keyPattern;
        other = *f.store->products().create(other);
        const char* alphabet = KeyFormat::kCrockfordAlphabet;
        auto key = [&](int i) -> QByteArray {
            const char id[] = {alphabet[i / 1024], alphabet[(i / 32) % 32], alphabet[i % 32], 0};
            return QByteArray("C") + id + "-AAAA-AAAA-AAAA";
        };
        QByteArray stored = "key,name\n";
        for (int i = 0; i < 300; i += 10)
            stored += key(i) + ",Stored\n"; // 30 keys
        QVERIFY(import(*f.store, f.product.id, stored));
        QVERIFY(import(*f.store, other.id, "key,name\n" + key(5) + ",Other\n"));
        const qint64 trashedId = f.store->keys().find(QString::fromLatin1(key(290)))->id;
        QCOMPARE(*f.store->keys().moveToTrash(std::vector<qint64>{trashedId}), qint64(1));

        QByteArray data = "key,name\n";
        for (int i = 0; i < 25000; ++i)
            data += key(i) + ",Imported\n";
        auto keyIndexPresent = [&] {
            return *f.store->database().scalar(QStringLiteral(
                       "SELECT COUNT(*) FROM sqlite_master WHERE name = 'license_keys_key_uq'")) == 1;
        };
        bool droppedWhileImporting = false;
        JobControl control;
        control.progress = [&](qint64 done, qint64 total) {
            if (f.store->database().isSqlite() && done < total)
                droppedWhileImporting = droppedWhileImporting || !keyIndexPresent();
        };

        auto skip = import(*f.store, f.product.id, data, ConflictPolicy::Skip, false, control);
        QVERIFY2(skip, qPrintable(skip.errorMessage()));
        QCOMPARE(skip->skipped, qint64(31)); // 30 stored (one in the trash) and the other product's
        QCOMPARE(skip->imported, qint64(25000 - 31));
        QCOMPARE(droppedWhileImporting, f.store->database().isSqlite());
        if (f.store->database().isSqlite())
            QVERIFY(keyIndexPresent());
        QCOMPARE(f.store->keys().find(QString::fromLatin1(key(10)))->customerName, QStringLiteral("Stored"));
        QCOMPARE(f.store->keys().find(QString::fromLatin1(key(11)))->customerName,
                 QStringLiteral("Imported"));
        // The index is unique again: the same key cannot be stored twice.
        auto again = import(*f.store, f.product.id, "key\n" + key(11) + "\n");
        QCOMPARE(again->skipped, qint64(1));
        QCOMPARE(*f.store->keys().count(KeyFilter{}), qint64(25000 - 1)); // the trashed one is not live

        // Into a fresh product, with update: every row is a stored key now, updated or refused.
        KW_TEST_DATABASE(second);
        Fixture g;
        g.tdb = std::move(second);
        QVERIFY(setUp(g, {}, false));
        QVERIFY(import(*g.store, g.product.id, stored));
        auto update = import(*g.store, g.product.id, data, ConflictPolicy::Update);
        QVERIFY2(update, qPrintable(update.errorMessage()));
        QCOMPARE(update->updated, qint64(30));
        QCOMPARE(update->imported, qint64(25000 - 30));
        QCOMPARE(g.store->keys().find(QString::fromLatin1(key(20)))->customerName,
                 QStringLiteral("Imported"));
        QCOMPARE(*g.store->keys().count(KeyFilter{}), qint64(25000));
    }

    void limitsAndFormats()
    {
        KW_FIXTURE(f);
        Product p = f.product;
        p.maxKeys = 2;
        QVERIFY(f.store->products().update(p));
        auto tooMany =
            import(*f.store, p.id, "key\nAAAA-AAAA-AAAA-AAAA\nBBBB-BBBB-BBBB-BBBB\nCCCC-CCCC-CCCC-CCCC\n");
        QCOMPARE(tooMany.errorKind(), ErrorKind::LimitReached);
        QCOMPARE(count(*f.store), qint64(0));

        p.maxKeys.reset();
        QVERIFY(f.store->products().update(p));
        QBuffer buffer;
        buffer.setData("serial\nold-style-key-001\nOLD STYLE 002\n");
        buffer.open(QIODevice::ReadOnly);
        auto source = RecordSource::forDevice(buffer);
        ImportOptions options;
        options.productId = p.id;
        options.mapping = ImportMapping::guess((*source)->columns());
        options.requireProductFormat = false;
        auto any = KeyImport::run(*f.store, **source, options);
        QVERIFY(any);
        QCOMPARE(any->imported, qint64(2));
        QVERIFY(f.store->keys().find(QStringLiteral("OLDSTYLE002")));
    }

    void jsonImport()
    {
        KW_FIXTURE(f);
        auto r = import(
            *f.store, f.product.id,
            "[{\"license_key\":\"AAAA-AAAA-AAAA-AAAA\",\"customer_email\":\"a@b.io\",\"max_domains\":3},"
            "{\"license_key\":\"BBBB-BBBB-BBBB-BBBB\",\"max_domains\":\"x\"}]");
        QVERIFY(r);
        QCOMPARE(r->imported, qint64(1));
        QCOMPARE(r->rejected, qint64(1));
        QCOMPARE(f.store->keys().find(QStringLiteral("AAAA-AAAA-AAAA-AAAA"))->maxDomains,
                 std::optional<int>(3));
    }
};

QTEST_GUILESS_MAIN(TestKeyImport)
#include "TestKeyImport.moc"
