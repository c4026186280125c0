#include "DatabaseLocation.h"
#include "DateParsing.h"
#include "UtcTime.h"
#include "Validation.h"

#include <QTest>

using namespace keyward;

class TestValidation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emails()
    {
        using validation::isValidEmail;
        QVERIFY(isValidEmail(QString()));
        QVERIFY(isValidEmail(QStringLiteral("ann@example.com")));
        QVERIFY(isValidEmail(QStringLiteral("a.b+c@sub.example.co.uk")));
        QVERIFY(isValidEmail(QStringLiteral("jürgen@bücher.de")));
        QVERIFY(!isValidEmail(QStringLiteral("ann")));
        QVERIFY(!isValidEmail(QStringLiteral("ann@")));
        QVERIFY(!isValidEmail(QStringLiteral("ann@example")));
        QVERIFY(!isValidEmail(QStringLiteral("ann @example.com")));
        QVERIFY(!isValidEmail(QStringLiteral("a@b@example.com")));
    }

    void domains()
    {
        using namespace validation;
        QCOMPARE(normalizeDomain(QStringLiteral("https://Shop.Example.COM:8443/path")),
                 QStringLiteral("shop.example.com"));
        QCOMPARE(normalizeDomain(QStringLiteral("example.com.")), QStringLiteral("example.com"));
        QVERIFY(isValidDomain(QStringLiteral("example.com")));
        QVERIFY(isValidDomain(QStringLiteral("bücher.de")));
        QVERIFY(!isValidDomain(QStringLiteral("exa mple.com")));
        QVERIFY(!isValidDomain(QString()));
    }

    void uuids()
    {
        using namespace validation;
        QVERIFY(isValidUuid(QStringLiteral("{6F9619FF-8B86-D011-B42D-00C04FC964FF}")));
        QCOMPARE(normalizeUuid(QStringLiteral("{6F9619FF-8B86-D011-B42D-00C04FC964FF}")),
                 QStringLiteral("6f9619ff-8b86-d011-b42d-00c04fc964ff"));
        QVERIFY(!isValidUuid(QStringLiteral("not-a-uuid")));
    }

    void dates()
    {
        QCOMPARE(*parseIsoDateTime(QStringLiteral("2027-01-31")),
                 utcDateTime(QDate(2027, 1, 31), QTime(23, 59, 59)));
        QCOMPARE(*parseIsoDateTime(QStringLiteral("2027-01-31"), false),
                 utcDateTime(QDate(2027, 1, 31), QTime(0, 0)));
        QCOMPARE(*parseIsoDateTime(QStringLiteral("2027-01-31T10:00:00+02:00")),
                 utcDateTime(QDate(2027, 1, 31), QTime(8, 0)));
        QCOMPARE(*parseIsoDateTime(QStringLiteral("2027-01-31T10:00:00")),
                 utcDateTime(QDate(2027, 1, 31), QTime(10, 0)));
        QVERIFY(!parseIsoDateTime(QStringLiteral("2027-02-30")));
        QVERIFY(!parseIsoDateTime(QStringLiteral("31/01/2027")));
        QVERIFY(!parseIsoDateTime(QString()));
    }

    void databaseLocations()
    {
        auto pg = DatabaseLocation::parse(
            QStringLiteral("postgresql://kw:p%40ss@db.local:6543/keys?sslmode=require"));
        QVERIFY(pg);
        QCOMPARE(pg->kind, DatabaseLocation::Kind::Postgres);
        QCOMPARE(pg->user, QStringLiteral("kw"));
        QCOMPARE(pg->password, QStringLiteral("p@ss"));
        QCOMPARE(pg->host, QStringLiteral("db.local"));
        QCOMPARE(pg->port, 6543);
        QCOMPARE(pg->database, QStringLiteral("keys"));
        QCOMPARE(pg->options, QStringLiteral("sslmode=require"));
        QVERIFY(!pg->displayName().contains(QLatin1String("p@ss")));

        QVERIFY(!DatabaseLocation::parse(QStringLiteral("postgresql://host")));
        QVERIFY(!DatabaseLocation::parse(QString()));
        auto file = DatabaseLocation::parse(QStringLiteral("rel/keys.db"));
        QVERIFY(file);
        QVERIFY(file->isSqlite());
        QVERIFY(QDir::isAbsolutePath(file->path));
        QVERIFY(DatabaseLocation::defaultSqlitePath().endsWith(QLatin1String("Keyward/keyward.db")));
    }
};

QTEST_GUILESS_MAIN(TestValidation)
#include "TestValidation.moc"
