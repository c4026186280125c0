#include "SecretToken.h"
#include "Store.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace keyward;

// keyward-cli apikey and admin-token: the secret printed once on stdout, stored only hashed.
class TestCliCredentials : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;
    QString db;

    struct Run
    {
        int code = -1;
        QString out;
        QString err;
    };

    Run cli(const QStringList& args)
    {
        QProcess p;
        p.start(qEnvironmentVariable("KEYWARD_CLI"), QStringList{QStringLiteral("--db"), db} + args);
        p.waitForFinished(60000);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariableIsEmpty("KEYWARD_CLI"));
        db = dir.filePath(QStringLiteral("k.db"));
        QCOMPARE(cli({QStringLiteral("init")}).code, 0);
        QCOMPARE(cli({QStringLiteral("product"), QStringLiteral("add"), QStringLiteral("Photo Editor")}).code,
                 0);
    }

    void apiKeys()
    {
        Run r = cli({QStringLiteral("apikey"), QStringLiteral("create"), QStringLiteral("--product"),
                     QStringLiteral("photo editor"), QStringLiteral("--name"), QStringLiteral("desktop")});
        QCOMPARE(r.code, 0);
        const QString token = r.out.trimmed();
        QVERIFY(token.startsWith(QLatin1String("kw_")));
        QVERIFY(!token.contains(QLatin1Char('\n')));
        QVERIFY(r.err.contains(QLatin1String("only time")));
        {
            auto store = Store::open(DatabaseLocation::sqlite(db), {});
            auto who = (*store)->apiKeys().authenticate(token);
            QVERIFY(who && who->has_value());
        }
        r = cli({QStringLiteral("apikey"), QStringLiteral("list")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QLatin1String("desktop")));
        QVERIFY(!r.out.contains(token));
        r = cli({QStringLiteral("apikey"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY(r.out.contains(QLatin1String("\"product\": \"Photo Editor\"")));
        QVERIFY(!r.out.contains(token));
        QCOMPARE(cli({QStringLiteral("apikey"), QStringLiteral("revoke"), QStringLiteral("1")}).code, 0);
        QCOMPARE(cli({QStringLiteral("apikey"), QStringLiteral("revoke"), QStringLiteral("1")}).code, 5);
        QCOMPARE(cli({QStringLiteral("apikey"), QStringLiteral("revoke"), QStringLiteral("77")}).code, 4);
        QCOMPARE(cli({QStringLiteral("apikey"), QStringLiteral("revoke"), QStringLiteral("x")}).code, 2);
        QCOMPARE(cli({QStringLiteral("apikey"), QStringLiteral("create"), QStringLiteral("--product"),
                      QStringLiteral("Nope")})
                     .code,
                 4);
        QCOMPARE(cli({QStringLiteral("apikey"), QStringLiteral("create")}).code, 2);
        QCOMPARE(cli({QStringLiteral("apikey"), QStringLiteral("bogus")}).code, 2);
        auto store = Store::open(DatabaseLocation::sqlite(db), {});
        QVERIFY(!(*store)->apiKeys().authenticate(token)->has_value());
    }

    void adminTokens()
    {
        for (const char* role : {"owner", "manager", "support", "viewer"}) {
            Run r = cli({QStringLiteral("admin-token"), QStringLiteral("create"), QStringLiteral("--role"),
                         QString::fromLatin1(role), QStringLiteral("--name"),
                         QStringLiteral("n-%1").arg(QLatin1String(role))});
            QCOMPARE(r.code, 0);
            const QString secret = r.out.trimmed();
            QVERIFY(secret.startsWith(QLatin1String("kwadm_")));
            auto store = Store::open(DatabaseLocation::sqlite(db), {});
            auto who = (*store)->adminTokens().authenticate(secret);
            QVERIFY(who && who->has_value());
            QCOMPARE(adminRoleToString((*who)->role), QString::fromLatin1(role));
        }
        QCOMPARE(cli({QStringLiteral("admin-token"), QStringLiteral("create"), QStringLiteral("--role"),
                      QStringLiteral("root")})
                     .code,
                 2);
        QCOMPARE(cli({QStringLiteral("admin-token"), QStringLiteral("create")}).code, 2);
        Run r = cli({QStringLiteral("admin-token"), QStringLiteral("list")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.count(QLatin1String("active")), 4);
        QCOMPARE(cli({QStringLiteral("admin-token"), QStringLiteral("revoke"), QStringLiteral("2")}).code, 0);
        QVERIFY(cli({QStringLiteral("admin-token"), QStringLiteral("list"), QStringLiteral("--json")})
                    .out.contains(QLatin1String("\"revoked\": true")));
        QVERIFY(cli({QStringLiteral("audit"), QStringLiteral("list")})
                    .out.contains(QLatin1String("admintoken.revoke")));
    }
};

QTEST_GUILESS_MAIN(TestCliCredentials)
#include "TestCliCredentials.moc"
