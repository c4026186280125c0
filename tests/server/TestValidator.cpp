#include "Store.h"
#include "TestDatabase.h"
#include "Validator.h"

#include <QTest>

using namespace keyward;

// The validation decision, every status, and the prepared lookup behind it.
class TestValidator : public QObject
{
    Q_OBJECT

    const QDateTime now = QDateTime::fromString(QStringLiteral("2026-03-01T10:00:00Z"), Qt::ISODate);

    static LicenseKey key(KeyStatus status = KeyStatus::Active)
    {
        LicenseKey k;
        k.id = 1;
        k.key = QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD");
        k.status = status;
        return k;
    }

private Q_SLOTS:
    void precheck()
    {
        Product p;
        p.name = QStringLiteral("P");
        p.keyPrefix = QStringLiteral("PE-");
        const KeyFormat format = *p.format();
        QString normalized;
        auto ok = Validator::precheck(p, format, QStringLiteral("pe-aaaaa-bbbbb-ccccc-ddddd"), normalized);
        QVERIFY(!ok);
        QCOMPARE(normalized, QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD"));

        auto length = Validator::precheck(p, format, QStringLiteral("PE-AAAAA"), normalized);
        QVERIFY(length);
        QCOMPARE(length->status, ValidationStatus::InvalidFormat);
        QCOMPARE(length->code, QStringLiteral("L3n7"));
        QCOMPARE(length->message, QStringLiteral("Invalid license key (CODE: L3n7)"));
        QVERIFY(length->unknownKey());
        QCOMPARE(
            Validator::precheck(p, format, QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDD!"), normalized)->code,
            QStringLiteral("C4r5"));
        QCOMPARE(
            Validator::precheck(p, format, QStringLiteral("PE-AAAAA-BBBBBCCCCC-DDDDD-"), normalized)->code,
            QStringLiteral("P477"));

        p.archived = true;
        auto archived =
            Validator::precheck(p, format, QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD"), normalized);
        QCOMPARE(archived->status, ValidationStatus::ProductArchived);
        QCOMPARE(validationStatusToString(archived->status), QStringLiteral("product_archived"));
    }

    void statuses()
    {
        ValidationRequest r;
        QCOMPARE(Validator::decide(std::nullopt, r, now).status, ValidationStatus::LicenseNotFound);
        LicenseKey trashed = key();
        trashed.deletedAt = now.addDays(-1);
        QCOMPARE(Validator::decide(trashed, r, now).status, ValidationStatus::LicenseNotFound);
        QCOMPARE(Validator::decide(key(KeyStatus::Revoked), r, now).status, ValidationStatus::Revoked);
        QCOMPARE(Validator::decide(key(KeyStatus::Suspended), r, now).status, ValidationStatus::Suspended);
        QCOMPARE(Validator::decide(key(KeyStatus::Expired), r, now).status, ValidationStatus::Expired);
        LicenseKey past = key();
        past.expiresAt = now.addSecs(-1);
        QCOMPARE(Validator::decide(past, r, now).status, ValidationStatus::Expired);
        past.expiresAt = now.addSecs(1);
        const ValidationDecision active = Validator::decide(past, r, now);
        QVERIFY(active.valid());
        QVERIFY(active.key);
        QCOMPARE(Validator::ipBlocked().status, ValidationStatus::IpBlocked);
        QCOMPARE(validationStatusToString(ValidationStatus::LicenseNotFound),
                 QStringLiteral("license_not_found"));
    }

    void bindings()
    {
        LicenseKey k = key();
        k.domains = {QStringLiteral("shop.example.com")};
        ValidationRequest r;
        QCOMPARE(Validator::decide(k, r, now).status, ValidationStatus::DomainMismatch);
        r.domain = QStringLiteral("https://Shop.Example.com/cart");
        QCOMPARE(Validator::decide(k, r, now).status, ValidationStatus::Active);
        r.domain = QStringLiteral("evil.example.com");
        QCOMPARE(Validator::decide(k, r, now).status, ValidationStatus::DomainMismatch);
        // Activation compares nothing: it binds a new one.
        QCOMPARE(Validator::decide(k, r, now, false).status, ValidationStatus::Active);

        LicenseKey d = key();
        d.uuids = {QStringLiteral("6f9619ff-8b86-d011-b42d-00c04fc964ff")};
        ValidationRequest u;
        u.uuid = QStringLiteral("{6F9619FF-8B86-D011-B42D-00C04FC964FF}");
        QCOMPARE(Validator::decide(d, u, now).status, ValidationStatus::Active);
        u.uuid = QStringLiteral("00000000-0000-0000-0000-000000000001");
        QCOMPARE(Validator::decide(d, u, now).status, ValidationStatus::UuidMismatch);
        u.uuid.clear();
        QCOMPARE(Validator::decide(d, u, now).status, ValidationStatus::UuidMismatch);
        // An unbound key answers for any domain or device.
        u.uuid = QStringLiteral("00000000-0000-0000-0000-000000000001");
        u.domain = QStringLiteral("anything.example");
        QCOMPARE(Validator::decide(key(), u, now).status, ValidationStatus::Active);
        // A revoked key says so before any binding is compared.
        LicenseKey revoked = k;
        revoked.status = KeyStatus::Revoked;
        QCOMPARE(Validator::decide(revoked, r, now).status, ValidationStatus::Revoked);
    }

    void lookup()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        QVERIFY(store);
        Product p;
        p.name = QStringLiteral("Lookup");
        auto product = store->products().create(p);
        Product other;
        other.name = QStringLiteral("Other");
        auto otherProduct = store->products().create(other);
        QVERIFY(product && otherProduct);
        NewKey nk;
        nk.key = QStringLiteral("AAAAA-BBBBB-CCCCC-DDDDD");
        nk.maxDomains = 2;
        nk.tokenBalance = 5;
        auto created = store->keys().create(product->id, nk);
        QVERIFY(created);
        QVERIFY(store->keys().activate(created->id, ActivationKind::Domain, QStringLiteral("a.example.com")));
        QVERIFY(store->keys().activate(created->id, ActivationKind::Uuid,
                                       QStringLiteral("6f9619ff-8b86-d011-b42d-00c04fc964ff")));

        LicenseLookup lookup(store->database());
        for (int round = 0; round < 3; ++round) { // the prepared statements are reused
            auto found = lookup.find(product->id, nk.key);
            QVERIFY2(found, qPrintable(found.errorMessage()));
            QVERIFY(found->has_value());
            QCOMPARE((*found)->id, created->id);
            QCOMPARE((*found)->domains, QStringList{QStringLiteral("a.example.com")});
            QCOMPARE((*found)->uuids.size(), 1);
            QCOMPARE((*found)->maxDomains, std::optional<int>(2));
            QCOMPARE((*found)->tokenBalance, std::optional<qint64>(5));
        }
        // A product's API key sees only its own keys.
        QVERIFY(!lookup.find(otherProduct->id, nk.key)->has_value());
        QVERIFY(!lookup.find(product->id, QStringLiteral("ZZZZZ-BBBBB-CCCCC-DDDDD"))->has_value());
    }
};

QTEST_GUILESS_MAIN(TestValidator)
#include "TestValidator.moc"
