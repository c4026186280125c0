#include "ClientAddress.h"
#include "HttpMessage.h"
#include "ServerConfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace keyward;
using namespace keyward::server;

// The typed configuration (defaults, INI file, strictness) and the client address rules.
class TestServerConfig : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

    Result<ServerConfig> load(const QByteArray& text)
    {
        const QString path = dir.filePath(QStringLiteral("c.ini"));
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        f.close();
        return ServerConfig::load(path);
    }

private Q_SLOTS:
    void defaults()
    {
        auto c = ServerConfig::load({});
        QVERIFY(c);
        QCOMPARE(c->listenAddress(), QStringLiteral("127.0.0.1:8080"));
        QCOMPARE(c->publicBodyBytes, 16 * 1024);
        QCOMPARE(c->maxConnections, 1024);
        QCOMPARE(c->effectiveDbWorkers(true), 1);
        QCOMPARE(c->effectiveDbWorkers(false), 2);
        QVERIFY(c->effectiveHttpThreads() >= 1);
        QCOMPARE(c->ipRules.tooFastRequests, 30);
        QCOMPARE(c->retentionDays, 90);
        QVERIFY(!c->clockStart);
    }

    void readsEverySection()
    {
        auto c = load("[server]\nlisten = 0.0.0.0:9000\nhttp_threads = 3\ndb_workers = 4\n"
                      "trusted_proxies = 127.0.0.1, 10.0.0.0/8, ::1\ndatabase = /srv/k.db\n"
                      "[limits]\nmax_connections = 50\npublic_body_bytes = 4096\nadmin_body_bytes = 2097152\n"
                      "header_bytes = 8192\nrequest_timeout_seconds = 5\nidle_timeout_seconds = 30\n"
                      "[abuse]\ntoo_fast_requests = 100\ntoo_fast_window_seconds = 60\nunknown_keys = 0\n"
                      "timeout_seconds = 120\nblacklist_after_timeouts = 5\nunban_requests_per_day = 1\n"
                      "[log]\nretention_days = 30\nflush_interval_ms = 100\n[cluster]\nrefresh_ms = 500\n"
                      "[jobs]\ndir = /tmp/jobs\nkeep_hours = 2\nmax_running = 1\n"
                      "[testing]\nclock_start = 2026-03-01T23:59:50Z\n");
        QVERIFY2(c, qPrintable(c.errorMessage()));
        QCOMPARE(c->listenAddress(), QStringLiteral("0.0.0.0:9000"));
        QCOMPARE(c->httpThreads, 3);
        QCOMPARE(c->effectiveDbWorkers(true), 4);
        QCOMPARE(c->trustedProxies.size(), size_t(3));
        QCOMPARE(c->database, QStringLiteral("/srv/k.db"));
        QCOMPARE(c->maxConnections, 50);
        QCOMPARE(c->publicBodyBytes, 4096);
        QCOMPARE(c->adminBodyBytes, 2097152);
        QCOMPARE(c->requestTimeoutMs, 5000);
        QCOMPARE(c->idleTimeoutMs, 30000);
        QCOMPARE(c->ipRules.tooFastRequests, 100);
        QCOMPARE(c->ipRules.unknownKeys, 0);
        QCOMPARE(c->ipRules.blacklistAfterTimeouts, 5);
        QCOMPARE(c->unbanRequestsPerDay, 1);
        QCOMPARE(c->retentionDays, 30);
        QCOMPARE(c->refreshMs, 500);
        QCOMPARE(c->jobsDir, QStringLiteral("/tmp/jobs"));
        QCOMPARE(*c->clockStart, QDateTime::fromString(QStringLiteral("2026-03-01T23:59:50Z"), Qt::ISODate));
    }

    // installer/keywardd.ini, the example shipped with the package, loads and means what it says.
    void exampleFileLoads()
    {
        auto c = ServerConfig::load(qEnvironmentVariable("KEYWARD_EXAMPLE_INI"));
        QVERIFY2(c, qPrintable(c.errorMessage()));
        QCOMPARE(c->database, QStringLiteral("/var/lib/keyward/keyward.db"));
        QCOMPARE(c->trustedProxies.size(), size_t(2));
        QVERIFY(c->trustedProxies.at(1).contains(QStringLiteral("::1")));
        QCOMPARE(c->ipRules.tooFastRequests, 30);
        QCOMPARE(c->adminBodyBytes, 8388608);
        QVERIFY(c->jobsDir.isEmpty());
        const ServerConfig defaults;
        QCOMPARE(c->maxConnections, defaults.maxConnections);
        QCOMPARE(c->retentionDays, defaults.retentionDays);
        QCOMPARE(c->refreshMs, defaults.refreshMs);
        QCOMPARE(c->ipRules.blacklistAfterTimeouts, defaults.ipRules.blacklistAfterTimeouts);
    }

    void refusesMistakes()
    {
        for (const QByteArray& text :
             {QByteArray("[abuse]\ntoo_fast = 3\n"), QByteArray("[limits]\nmax_connections = 0\n"),
              QByteArray("[limits]\nmax_connections = many\n"),
              QByteArray("[server]\ntrusted_proxies = nginx.local\n"),
              QByteArray("[server]\nlisten = 127.0.0.1\n"), QByteArray("[server]\nlisten = host:99999\n"),
              QByteArray("[testing]\nclock_start = soon\n"), QByteArray("[log]\nretention_days = -1\n")}) {
            auto c = load(text);
            QVERIFY2(!c, text.constData());
            QCOMPARE(c.errorKind(), ErrorKind::Invalid);
            QVERIFY(c.errorMessage().contains(dir.filePath(QStringLiteral("c.ini"))));
        }
        QCOMPARE(ServerConfig::load(dir.filePath(QStringLiteral("none.ini"))).errorKind(),
                 ErrorKind::NotFound);
        ServerConfig c;
        QVERIFY(c.setListen(QStringLiteral("[::1]:7000")));
        QCOMPARE(c.listenHost, QStringLiteral("::1"));
        QCOMPARE(c.listenAddress(), QStringLiteral("[::1]:7000"));
        QVERIFY(c.setListen(QStringLiteral("localhost:0")));
        QCOMPARE(c.listenHost, QStringLiteral("127.0.0.1"));
    }

    void clientAddress()
    {
        const ClientAddress none;
        QCOMPARE(none.resolve(QStringLiteral("::ffff:203.0.113.9"), "198.51.100.1"),
                 QStringLiteral("203.0.113.9"));
        const ClientAddress proxied(
            {*Cidr::parse(QStringLiteral("127.0.0.1")), *Cidr::parse(QStringLiteral("10.0.0.0/8"))});
        QCOMPARE(proxied.resolve(QStringLiteral("127.0.0.1"), "203.0.113.9"), QStringLiteral("203.0.113.9"));
        // The right-most address that is not a proxy: what the client wrote on the left is ignored.
        QCOMPARE(proxied.resolve(QStringLiteral("127.0.0.1"), "1.2.3.4, 203.0.113.9, 10.1.1.1"),
                 QStringLiteral("203.0.113.9"));
        QCOMPARE(proxied.resolve(QStringLiteral("127.0.0.1"), "garbage, 203.0.113.9"),
                 QStringLiteral("203.0.113.9"));
        QCOMPARE(proxied.resolve(QStringLiteral("127.0.0.1"), "203.0.113.9, garbage"),
                 QStringLiteral("127.0.0.1"));
        QCOMPARE(proxied.resolve(QStringLiteral("127.0.0.1"), "10.2.2.2"), QStringLiteral("10.2.2.2"));
        QCOMPARE(proxied.resolve(QStringLiteral("127.0.0.1"), {}), QStringLiteral("127.0.0.1"));
        // From an untrusted peer the header is the client's word.
        QCOMPARE(proxied.resolve(QStringLiteral("198.51.100.7"), "203.0.113.9"),
                 QStringLiteral("198.51.100.7"));
        QCOMPARE(proxied.resolve(QStringLiteral("::1"), "203.0.113.9"), QStringLiteral("::1"));
    }

    void bearerTokens()
    {
        HttpRequestInfo r;
        r.authorization = "Bearer kw_abc-DEF_123";
        QCOMPARE(r.bearerToken(), QStringLiteral("kw_abc-DEF_123"));
        r.authorization = "bearer   kw_x  ";
        QCOMPARE(r.bearerToken(), QStringLiteral("kw_x"));
        for (const QByteArray& bad :
             {QByteArray(), QByteArray("Bearer"), QByteArray("Bearer "), QByteArray("Basic a2V5"),
              QByteArray("Bearer a b"), QByteArray("Bearer kw_\"quote"),
              QByteArray(QByteArray("Bearer ") + QByteArray(300, 'a'))}) {
            r.authorization = bad;
            QVERIFY2(r.bearerToken().isEmpty(), bad.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestServerConfig)
#include "TestServerConfig.moc"
