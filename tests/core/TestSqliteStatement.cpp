#include "Database.h"
#include "DatabaseLocation.h"
#include "SqliteStatement.h"

#include <QTemporaryDir>
#include <QTest>

using namespace keyward;

// The statements run by the thousand on SQLite's own handle: text goes in and comes out as it was,
// whether it takes the ASCII fast path or not.
class TestSqliteStatement : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        Database::Options options;
        options.create = true;
        auto db = Database::open(DatabaseLocation::sqlite(m_dir.filePath("statement.db")), options);
        QVERIFY2(db, qPrintable(db.errorMessage()));
        m_db = std::move(db).value();
        if (!SqliteStatement::available(*m_db))
            QFAIL("SQLite's own handle is not available in this build");
    }

    void textRoundTrip_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("ascii") << QStringLiteral("license_not_found");
        QTest::newRow("ipv6") << QStringLiteral("2001:db8::1");
        QTest::newRow("umlaut") << QStringLiteral("bücher.example");
        QTest::newRow("outside the BMP") << QStringLiteral("key \U0001F511 ok");
        QTest::newRow("256 ascii") << QString(256, QLatin1Char('a'));
        QTest::newRow("257 ascii") << QString(257, QLatin1Char('b'));
        QTest::newRow("long, non-ascii at the end") << QString(300, QLatin1Char('c')) + QStringLiteral("é");
        QTest::newRow("nul inside") << QStringLiteral("a") + QChar(0) + QStringLiteral("b");
    }

    void textRoundTrip()
    {
        QFETCH(QString, text);
        SqliteStatement st(*m_db, "SELECT ?1, typeof(?1), length(CAST(?1 AS BLOB)), ?2, ?3");
        QVERIFY(st.prepare());
        st.bindText(1, text);
        st.bindInt(2, 42);
        st.bindOptional(3, std::nullopt);
        auto row = st.next();
        QVERIFY(row && *row);
        QCOMPARE(st.text(0), text);
        QCOMPARE(st.text(1), QStringLiteral("text")); // never NULL, even when empty
        QCOMPARE(st.integer(2), qint64(text.toUtf8().size()));
        QCOMPARE(st.integer(3), qint64(42));
        QVERIFY(st.isNull(4));
        QVERIFY(!*st.next());
        st.reset();
    }

    void stepWritesEveryRow()
    {
        QVERIFY(m_db->exec(QStringLiteral("CREATE TABLE t (a TEXT, b TEXT)")));
        SqliteStatement insert(*m_db, "INSERT INTO t VALUES (?, ?), (?, ?)");
        QVERIFY(insert.prepare());
        for (int i = 0; i < 3; ++i) {
            insert.bindText(1, QStringLiteral("a%1").arg(i));
            insert.bindText(2, QStringLiteral("ö%1").arg(i));
            insert.bindText(3, QStringLiteral("c%1").arg(i));
            insert.bindText(4, QString());
            QVERIFY(insert.step());
        }
        SqliteStatement read(*m_db, "SELECT group_concat(a || '/' || b, ',') FROM t");
        QVERIFY(read.prepare());
        QVERIFY(*read.next());
        QCOMPARE(read.text(0), QStringLiteral("a0/ö0,c0/,a1/ö1,c1/,a2/ö2,c2/"));
        read.reset();
    }
};

QTEST_GUILESS_MAIN(TestSqliteStatement)
#include "TestSqliteStatement.moc"
