#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// keyward-cli end to end: the real binary through QProcess, on a temporary database.
class TestCli : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int code = -1;
        QString out;
        QString err;
    };

    QTemporaryDir m_dir;
    QString m_db;

    static QString binary() { return qEnvironmentVariable("KEYWARD_CLI"); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg")));
        env.remove(QStringLiteral("KEYWARD_DB"));
        return env;
    }

    Run cli(const QStringList& args, bool withDb = true) const
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(binary(), withDb ? QStringList{QStringLiteral("--db"), m_db} + args : args);
        Run r;
        if (!p.waitForFinished(300000)) {
            p.kill();
            p.waitForFinished();
            r.err = QStringLiteral("timed out");
            return r;
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    QJsonDocument json(const QStringList& args) const
    {
        const Run r = cli(args);
        if (r.code != 0)
            qWarning("%s", qPrintable(r.err));
        return QJsonDocument::fromJson(r.out.toUtf8());
    }

    qint64 total(const QStringList& filter = {}) const
    {
        return json(QStringList{QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json"),
                                QStringLiteral("--limit"), QStringLiteral("1")} +
                    filter)
            .object()[QStringLiteral("total")]
            .toInteger(-1);
    }

    QString firstKey(const QStringList& filter = {}) const
    {
        return json(QStringList{QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json")} +
                    filter)
            .object()[QStringLiteral("keys")]
            .toArray()
            .at(0)
            .toObject()[QStringLiteral("key")]
            .toString();
    }

#define EXPECT_CODE(run, expected)                                                                           \
    QVERIFY2((run).code == (expected),                                                                       \
             qPrintable(QStringLiteral("exit %1, stderr: %2").arg((run).code).arg((run).err)))

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(binary()), "KEYWARD_CLI must name the keyward-cli binary");
        m_db = m_dir.filePath(QStringLiteral("cli.db"));
    }

    void helpAndUsage()
    {
        Run r = cli({QStringLiteral("--help")}, false);
        EXPECT_CODE(r, 0);
        QVERIFY(r.out.contains(QLatin1String("generate")));
        for (const QStringList& args :
             {QStringList{"generate", "--help"}, QStringList{"keys", "list", "--help"},
              QStringList{"product", "add", "--help"}, QStringList{"export", "--help"},
              QStringList{"check", "--help"}, QStringList{"init", "--help"}}) {
            r = cli(args, false);
            EXPECT_CODE(r, 0);
            QVERIFY(r.out.contains(QLatin1String("--help")));
        }
        r = cli({QStringLiteral("frobnicate")}, false);
        EXPECT_CODE(r, 2);
        QVERIFY(r.err.contains(QLatin1String("unknown command")));
        r = cli({QStringLiteral("generate"), QStringLiteral("--bogus")}, false);
        EXPECT_CODE(r, 2);
        r = cli({QStringLiteral("--version")}, false);
        EXPECT_CODE(r, 0);
        QVERIFY(r.out.startsWith(QLatin1String("keyward-cli ")));
    }

    void databaseMissingUntilInit()
    {
        Run r = cli({QStringLiteral("product"), QStringLiteral("list")});
        EXPECT_CODE(r, 3);
        QVERIFY(r.err.contains(QLatin1String("init")));
        r = cli({QStringLiteral("init")});
        EXPECT_CODE(r, 0);
        QVERIFY(QFile::exists(m_db));
        r = cli({QStringLiteral("init")});
        EXPECT_CODE(r, 0);
    }

    void products()
    {
        Run r = cli({"product", "add", "Photo Editor", "--prefix", "PHOTO-", "--plan", "pro", "--max-domains",
                     "2", "--check-symbol"});
        EXPECT_CODE(r, 0);
        r = cli({"product", "add", "photo editor"});
        EXPECT_CODE(r, 5);
        QVERIFY(r.err.contains(QLatin1String("already exists")));
        r = cli({"product", "add", "Weak", "--format", "XXXX-XXXX"});
        EXPECT_CODE(r, 2);
        QVERIFY(r.err.contains(QLatin1String("bits")));
        r = cli({"product", "add", "Game", "--format", "99999-XXXXX-XXXXX-XXXXX", "--plan", "enterprise",
                 "--tokens", "100"});
        EXPECT_CODE(r, 0);
        r = cli({"product", "add", "Bad", "--plan", "gold"});
        EXPECT_CODE(r, 2);

        r = cli({"product", "list"});
        EXPECT_CODE(r, 0);
        QVERIFY(r.out.contains(QLatin1String("PHOTO-XXXXX-XXXXX-XXXXX-XXXXX")));
        const QJsonArray list = json({"product", "list", "--json"}).array();
        QCOMPARE(list.size(), 2);
        const QJsonObject game = list.at(0).toObject();
        QCOMPARE(game[QStringLiteral("name")].toString(), QStringLiteral("Game"));
        QVERIFY(game[QStringLiteral("daily_limit")].isNull());
        QCOMPARE(game[QStringLiteral("default_tokens")].toInteger(), 100);
        const QJsonObject photo = list.at(1).toObject();
        QCOMPARE(photo[QStringLiteral("daily_limit")].toInteger(), 100000);
        QCOMPARE(photo[QStringLiteral("default_max_domains")].toInteger(), 2);

        r = cli({"product", "edit", "Game", "--daily-limit", "5000", "--rename", "Game X"});
        EXPECT_CODE(r, 0);
        QCOMPARE(
            json({"product", "show", "Game X", "--json"}).object()[QStringLiteral("daily_limit")].toInteger(),
            5000);
        r = cli({"product", "show", "Nope"});
        EXPECT_CODE(r, 4);
    }

    void generateAndList()
    {
        const QString csv = m_dir.filePath(QStringLiteral("new.csv"));
        Run r = cli({"generate", "--product", "Photo Editor", "--count", "1000", "--expires", "2030-12-31",
                     "--out", csv});
        EXPECT_CODE(r, 0);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.first().trimmed(),
                 QByteArray("key,product,status,customer_name,customer_email,notes,created_at,"
                            "updated_at,expires_at,max_domains,max_uuids,tokens,revoke_reason,"
                            "revoked_at,deleted_at"));
        QCOMPARE(lines.size(), 1002); // header, 1000 keys, empty after the last CRLF
        QVERIFY(lines.at(1).startsWith("PHOTO-"));
        QVERIFY(lines.at(1).contains("2030-12-31T23:59:59Z"));
        QCOMPARE(total(), qint64(1000));

        r = cli({"generate", "--product", "Game X", "--count", "7"});
        EXPECT_CODE(r, 0);
        const QStringList printed = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(printed.size(), 7);
        for (const QString& key : printed) {
            QVERIFY(key.at(0).isDigit());
            const QJsonObject shown = json({"keys", "show", key, "--json"}).object();
            QCOMPARE(shown[QStringLiteral("tokens")].toInteger(), 100);
        }
        QCOMPARE(total({"--product", "Game X"}), qint64(7));
        QCOMPARE(total({"--starts-with", "photo-"}), qint64(1000));
        QCOMPARE(total({"--expires-before", "2031-01-01", "--expires-after", "2030-12-31"}), qint64(1000));
        QCOMPARE(total({"--status", "active"}), qint64(1007));

        r = cli({"generate", "--product", "Nope", "--count", "1"});
        EXPECT_CODE(r, 4);
        r = cli({"generate", "--product", "Game X", "--count", "0"});
        EXPECT_CODE(r, 2);
        r = cli({"generate", "--product", "Game X", "--count", "5", "--out",
                 m_dir.filePath(QStringLiteral("k.txt"))});
        EXPECT_CODE(r, 2);

        r = cli({"keys", "list", "--limit", "3", "--sort", "key", "--desc"});
        EXPECT_CODE(r, 0);
        QCOMPARE(r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), 3);
        QVERIFY(r.out.startsWith(QLatin1String("PHOTO-")));
        r = cli({"keys", "list", "--sort", "colour"});
        EXPECT_CODE(r, 2);
    }

    void revokeDeleteRestore()
    {
        const QString key = firstKey({"--product", "Photo Editor"});
        QVERIFY(!key.isEmpty());
        Run r = cli({"keys", "revoke", key});
        EXPECT_CODE(r, 2);
        r = cli({"keys", "revoke", key.toLower(), "--reason", "refund", "--note", "order 1234"});
        EXPECT_CODE(r, 0);
        r = cli({"keys", "revoke", key, "--reason", "refund"});
        EXPECT_CODE(r, 5);
        QCOMPARE(json({"keys", "show", key, "--json"}).object()[QStringLiteral("revoke_reason")].toString(),
                 QStringLiteral("refund"));
        QCOMPARE(total({"--status", "revoked"}), qint64(1));

        const QString second = firstKey({"--status", "active"});
        r = cli({"keys", "delete", key, second});
        EXPECT_CODE(r, 0);
        QCOMPARE(total({"--trash"}), qint64(2));
        QCOMPARE(total(), qint64(1005));
        r = cli({"keys", "delete", key, "NOT-A-KEY"});
        EXPECT_CODE(r, 4);
        r = cli({"keys", "restore", key});
        EXPECT_CODE(r, 0);
        r = cli({"keys", "purge", second});
        EXPECT_CODE(r, 0);
        QCOMPARE(total({"--trash"}), qint64(0));
        r = cli({"keys", "show", second});
        EXPECT_CODE(r, 4);

        const QJsonArray audit = json({"audit", "list", "--key", key, "--json"}).array();
        QStringList actions;
        for (const QJsonValue& v : audit)
            actions << v.toObject()[QStringLiteral("action")].toString();
        QCOMPARE(actions, (QStringList{"key.restore", "key.trash", "key.revoke"}));
        QVERIFY(audit.at(0).toObject()[QStringLiteral("actor")].toString().startsWith(QLatin1String("cli:")));
    }

    void editAndActivate()
    {
        const QString key = firstKey({"--product", "Photo Editor", "--status", "active"});
        QVERIFY(!key.isEmpty());
        Run r = cli({"keys", "edit", key, "--customer-name", "Ada Lovelace", "--customer-email",
                     "ada@example.com", "--max-domains", "1", "--expires", "2030-06-30"});
        EXPECT_CODE(r, 0);
        QJsonObject shown = json({"keys", "show", key, "--json"}).object();
        QCOMPARE(shown[QStringLiteral("customer_name")].toString(), QStringLiteral("Ada Lovelace"));
        QCOMPARE(shown[QStringLiteral("max_domains")].toInt(), 1);
        QVERIFY(
            shown[QStringLiteral("expires_at")].toString().startsWith(QLatin1String("2030-06-30T23:59:59")));
        r = cli({"keys", "edit", key, "--customer-email", "not an email"});
        EXPECT_CODE(r, 2);
        r = cli({"keys", "edit", key, "--status", "revoked"});
        EXPECT_CODE(r, 2);
        r = cli({"keys", "activate", key, "--domain", "Shop.Example.com"});
        EXPECT_CODE(r, 0);
        r = cli({"keys", "activate", key, "--domain", "other.example.com"});
        EXPECT_CODE(r, 5); // the maximum is one domain
        r = cli({"keys", "activate", key, "--domain", "x", "--uuid", "y"});
        EXPECT_CODE(r, 2);
        shown = json({"keys", "show", key, "--json"}).object();
        QCOMPARE(shown[QStringLiteral("domains")].toArray().at(0).toString(),
                 QStringLiteral("shop.example.com"));
        r = cli({"keys", "deactivate", key, "--domain", "shop.example.com"});
        EXPECT_CODE(r, 0);
        r = cli({"keys", "deactivate", key, "--domain", "shop.example.com"});
        EXPECT_CODE(r, 4);
        r = cli({"keys", "edit", key, "--max-domains", "0", "--expires", "never"});
        EXPECT_CODE(r, 0);
        shown = json({"keys", "show", key, "--json"}).object();
        QVERIFY(shown[QStringLiteral("max_domains")].isNull());
        QVERIFY(shown[QStringLiteral("expires_at")].isNull());
    }

    void check_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("output");
        QTest::newRow("valid") << QStringList{"check", "abcde-fghjk-mnpqr-stvwx"} << 0 << "valid";
        QTest::newRow("length") << QStringList{"check", "ABCDE-FGHJK"} << 1 << "L3n7";
        QTest::newRow("chars") << QStringList{"check", "ABCDE-FGHJK-MNPQR-STVW#"} << 1 << "C4r5";
        QTest::newRow("pattern") << QStringList{"check", "ABCDEF-GHJK-MNPQR-STVWX"} << 1 << "P477";
        QTest::newRow("prefix") << QStringList{"check",       "APP-ABCDE-FGHJK", "--format",
                                               "XXXXX-XXXXX", "--prefix",        "APP-"}
                                << 0 << "valid";
        QTest::newRow("bad format") << QStringList{"check", "X", "--format", "----"} << 2 << "";
    }

    void check()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, output);
        const Run r = cli(args, false);
        EXPECT_CODE(r, code);
        QVERIFY2(output.isEmpty() || r.out.startsWith(output), qPrintable(r.out));
    }

    void checkWithProductFormat()
    {
        const QString key = firstKey({"--product", "Photo Editor", "--status", "active"});
        Run r = cli({"check", key, "--product", "Photo Editor"});
        EXPECT_CODE(r, 0);
        QString typo = key;
        typo[7] = typo[7] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        r = cli({"check", typo, "--product", "Photo Editor"});
        EXPECT_CODE(r, 1);
        QVERIFY(r.out.startsWith(QLatin1String("P477")));
    }

    void exportFiles()
    {
        const QString json = m_dir.filePath(QStringLiteral("out.json"));
        Run r = cli({"export", "--out", json, "--product", "Game X"});
        EXPECT_CODE(r, 0);
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray array = QJsonDocument::fromJson(f.readAll()).array();
        QCOMPARE(array.size(), 7);
        QCOMPARE(array.at(0).toObject()[QStringLiteral("product")].toString(), QStringLiteral("Game X"));
        r = cli({"export", "--out", m_dir.filePath(QStringLiteral("no/such/dir/x.csv"))});
        EXPECT_CODE(r, 6);
        r = cli({"export"});
        EXPECT_CODE(r, 2);
    }

    void interruptStoresNothing()
    {
        const qint64 before = total();
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(binary(), {"--db", m_db, "generate", "--product", "Photo Editor", "--count", "3000000",
                           "--out", m_dir.filePath(QStringLiteral("big.csv"))});
        QVERIFY(p.waitForStarted());
        // Wait for the first progress line, then press Ctrl+C.
        QByteArray err;
        while (!err.contains("Generating keys") && p.state() == QProcess::Running) {
            p.waitForReadyRead(1000);
            err += p.readAllStandardError();
        }
        QVERIFY2(p.state() == QProcess::Running, "generation finished before it could be interrupted");
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(QString::fromUtf8(err + p.readAllStandardError()).contains(QLatin1String("cancelled")));
        QCOMPARE(total(), before);
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("big.csv"))));
    }

    void importWithReport()
    {
        Run r = cli({"product", "add", "Legacy", "--format", "XXXX-XXXX-XXXX-XXXX", "--force-weak-format"});
        EXPECT_CODE(r, 0);
        const QString csv = m_dir.filePath(QStringLiteral("legacy.csv"));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Serial;E-Mail;Expiry\r\n"
                "AAAA-AAAA-AAAA-AAAA;a@example.com;2028-01-01\r\n"
                "BBBB-BBBB-BBBB;b@example.com;\r\n"
                "CCCC-CCCC-CCCC-CCCC;not-an-email;\r\n"
                "DDDD-DDDD-DDDD-DDDD;;\r\n");
        f.close();
        const QString report = m_dir.filePath(QStringLiteral("report.csv"));

        r = cli({"import", csv, "--product", "Legacy", "--dry-run"});
        EXPECT_CODE(r, 0);
        QVERIFY(r.out.contains(QLatin1String("Dry run")));
        QCOMPARE(total({"--product", "Legacy"}), qint64(0));

        r = cli({"import", csv, "--product", "Legacy", "--on-conflict", "stop", "--report", report});
        EXPECT_CODE(r, 5);
        QCOMPARE(total({"--product", "Legacy"}), qint64(0));

        r = cli({"import", csv, "--product", "Legacy", "--report", report});
        EXPECT_CODE(r, 0);
        QVERIFY2(r.out.contains(QLatin1String("imported 2")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("rejected 2")));
        QCOMPARE(total({"--product", "Legacy"}), qint64(2));
        QFile rf(report);
        QVERIFY(rf.open(QIODevice::ReadOnly));
        const QByteArray text = rf.readAll();
        QVERIFY(text.startsWith("line,field,problem,value\r\n"));
        QVERIFY(text.contains("3,key,L3n7"));
        QVERIFY(text.contains("4,customer_email,not a valid email address,not-an-email"));

        r = cli(
            {"import", csv, "--product", "Legacy", "--on-conflict", "update", "--map", "customer_email=-"});
        EXPECT_CODE(r, 0);
        QVERIFY2(r.out.contains(QLatin1String("updated 2")), qPrintable(r.out));
        r = cli({"import", csv, "--product", "Legacy", "--map", "colour=x"});
        EXPECT_CODE(r, 2);
        r = cli({"import", m_dir.filePath(QStringLiteral("missing.csv")), "--product", "Legacy"});
        EXPECT_CODE(r, 6);
    }

    void bulkDelete()
    {
        const QString list = m_dir.filePath(QStringLiteral("delete.txt"));
        QFile f(list);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("aaaa-aaaa-aaaa-aaaa\nDDDD-DDDD-DDDD-DDDD\n");
        f.close();
        // Legacy holds A, C (imported by the update run, which no longer checked emails) and D.
        QCOMPARE(total({"--product", "Legacy"}), qint64(3));
        Run r = cli({"keys", "delete", "--from-file", list});
        EXPECT_CODE(r, 0);
        QCOMPARE(total({"--product", "Legacy"}), qint64(1));
        r = cli({"keys", "restore", "--from-file", list});
        EXPECT_CODE(r, 0);
        QCOMPARE(total({"--product", "Legacy"}), qint64(3));

        r = cli({"keys", "delete", "--filter"});
        EXPECT_CODE(r, 2);
        r = cli({"keys", "delete", "--filter", "--product", "Legacy", "--search", "a@example"});
        EXPECT_CODE(r, 0);
        QVERIFY(r.out.contains(QLatin1String("Moved 1 key(s)")));
        QCOMPARE(total({"--product", "Legacy", "--trash"}), qint64(1));
        r = cli({"keys", "delete", "AAAA-AAAA-AAAA-AAAA", "--from-file", list});
        EXPECT_CODE(r, 2);
    }

    // A killed import leaves the database as it was, and it still opens.
    void killedImportChangesNothing()
    {
        const QString csv = m_dir.filePath(QStringLiteral("big-import.csv"));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("key,name\n");
        const char* alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        for (int i = 0; i < 600000; ++i) {
            char key[20] = "KILL-0000-0000-0000";
            for (int p = 0, v = i; p < 4; ++p, v /= 32)
                key[18 - p] = alphabet[v % 32];
            f.write(key);
            f.write(",name\n");
        }
        f.close();
        const qint64 before = total();
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(binary(), {"--db", m_db, "import", csv, "--product", "Legacy"});
        QVERIFY(p.waitForStarted());
        // Killed at about half way: once it reports 50% (a line per 10% when not on a terminal).
        QByteArray err;
        while (!err.contains("Importing: 50%") && p.state() == QProcess::Running) {
            p.waitForReadyRead(1000);
            err += p.readAllStandardError();
        }
        QVERIFY2(p.state() == QProcess::Running, "the import finished before it could be killed");
        // Killed right away. The rows may all be read by now (the import is fast and the progress
        // lines can arrive together), but nothing is committed before the indexes are built again
        // at the end, which is what the store's count below shows.
        ::kill(pid_t(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        QCOMPARE(total(), before);
        const Run r = cli({"keys", "list", "--limit", "1"});
        EXPECT_CODE(r, 0);
    }

    void notAKeywardFile()
    {
        const QString other = m_dir.filePath(QStringLiteral("photo.jpg"));
        QFile f(other);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, '\xff'));
        f.close();
        const Run r = cli({"--db", other, "keys", "list"}, false);
        EXPECT_CODE(r, 3);
        QVERIFY(r.err.contains(QLatin1String("not a Keyward database")));
    }

    void defaultDatabaseInAppData()
    {
        Run r = cli({QStringLiteral("init")}, false);
        EXPECT_CODE(r, 0);
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("xdg/Keyward/keyward.db"))));
        r = cli({"product", "add", "Default"}, false);
        EXPECT_CODE(r, 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
