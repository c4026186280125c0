#include "ServerFixture.h"

#include <QJsonArray>
#include <QTest>

using namespace keyward;

// Per-IP abuse protection over real HTTP: too-fast and unknown-key timeouts, blacklists, the
// whitelist, stored evidence, trusted proxies and unban requests.
class TestServerAbuse : public QObject
{
    Q_OBJECT

    static constexpr const char* kMissing = "PE-ZZZZZ-BBBBB-CCCCC-DDDDD";

    struct Setup
    {
        Product product;
        QString token;
        QString admin;
    };

    static Setup setup(ServerFixture& f)
    {
        Setup s;
        s.product = f.product(QStringLiteral("Photo Editor"));
        s.token = f.apiKey(s.product.id);
        s.admin = f.adminToken(AdminRole::Owner, QStringLiteral("alice"));
        return s;
    }

    static void strictRules(ServerFixture& f)
    {
        f.config.ipRules.tooFastRequests = 5;
        f.config.ipRules.tooFastWindowSeconds = 10;
        f.config.ipRules.unknownKeys = 4;
        f.config.ipRules.unknownKeyWindowSeconds = 60;
        f.config.ipRules.timeoutSeconds = 30;
        f.config.ipRules.blacklistAfterTimeouts = 3;
        f.config.ipRules.blacklistWindowSeconds = 3600;
    }

    static HttpResponse validate(HttpTestClient& c, const Setup& s,
                                 const QString& key = QString::fromLatin1(kMissing),
                                 const QByteArray& forwardedFor = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + s.token.toLatin1()}};
        if (!forwardedFor.isEmpty())
            headers.append({"X-Forwarded-For", forwardedFor});
        return c.request("POST", "/api/v1/validate", "{\"license_key\":\"" + key.toLatin1() + "\"}", headers);
    }

    // Sends until the answer is too_fast; returns how many were answered normally before.
    static int untilTooFast(HttpTestClient& c, const Setup& s, const QByteArray& forwardedFor = {})
    {
        for (int i = 0; i < 100; ++i) {
            const HttpResponse r = validate(c, s, QString::fromLatin1(kMissing), forwardedFor);
            if (r.status == 429 && r.text("status") == QLatin1String("too_fast"))
                return i;
        }
        return -1;
    }

    static QJsonObject ipState(HttpTestClient& c, const Setup& s, const QByteArray& ip)
    {
        return c.get("/admin/v1/ips/" + ip, s.admin).json();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInfo("backend: %s", qPrintable(TestDatabase::backendName(TestDatabase::backendFromEnvironment())));
    }

    void tooFastTimesOut()
    {
        KW_SERVER_FIXTURE(f);
        strictRules(*f);
        Setup s = setup(*f);
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        QCOMPARE(untilTooFast(c, s), 5);
        const HttpResponse r = validate(c, s);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.text("status"), QStringLiteral("too_fast"));
        QCOMPARE(r.text("message"), QStringLiteral("You're sending keys too fast. Please try again later."));
        QCOMPARE(r.header("retry-after"), QByteArray("30"));
        QCOMPARE(r.json().value(QStringLiteral("retry_after")).toInt(), 30);
        QCOMPARE(r.json().value(QStringLiteral("valid")).toBool(), false);
        // Timed-out requests are not counted toward the vendor's daily limit.
        QCOMPARE(*f->store().quota().count(s.product.id, f->clock.now()), 5);
        f->clock.advance(20'000);
        QCOMPARE(validate(c, s).header("retry-after"), QByteArray("10"));
        f->clock.advance(10'500);
        QCOMPARE(validate(c, s).status, 200);

        // The evidence reaches the support desk.
        QTRY_VERIFY_WITH_TIMEOUT(ipState(c, s, "127.0.0.1").value(QStringLiteral("timeouts")).toInt() == 1,
                                 5000);
        const QJsonObject state = ipState(c, s, "127.0.0.1");
        QCOMPARE(state.value(QStringLiteral("reason")).toString(), QStringLiteral("too_fast"));
        QCOMPARE(state.value(QStringLiteral("blacklisted")).toBool(), false);
        const QJsonArray events = state.value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 1);
        const QJsonObject detail = events.at(0).toObject().value(QStringLiteral("detail")).toObject();
        QCOMPARE(detail.value(QStringLiteral("rule")).toString(), QStringLiteral("too_fast"));
        QCOMPARE(detail.value(QStringLiteral("limit")).toInt(), 5);
        QVERIFY(!state.value(QStringLiteral("recent_requests")).toArray().isEmpty());
    }

    void unknownKeyStormTimesOut()
    {
        KW_SERVER_FIXTURE(f);
        strictRules(*f);
        f->config.ipRules.tooFastRequests = 0;
        Setup s = setup(*f);
        f->key(s.product.id, QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD"));
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        // A valid key over and over is fine; one wrong key retried is a typo.
        for (int i = 0; i < 20; ++i)
            QCOMPARE(validate(c, s, QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD")).text("status"),
                     QStringLiteral("active"));
        for (int i = 0; i < 6; ++i)
            QCOMPARE(validate(c, s, QStringLiteral("PE-TYPQ0-BBBBB-CCCCC-DDDDD")).status, 200);
        // Distinct unknown keys (stolen-key testing): the 4th in a minute times the IP out.
        for (const char* key : {"PE-ZZZZ1-BBBBB-CCCCC-DDDDD", "PE-ZZZZ2-BBBBB-CCCCC-DDDDD", "PE-BAD"})
            QCOMPARE(validate(c, s, QString::fromLatin1(key)).status, 200);
        const HttpResponse r = validate(c, s, QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD"));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.text("status"), QStringLiteral("too_fast"));
        QTRY_VERIFY_WITH_TIMEOUT(ipState(c, s, "127.0.0.1").value(QStringLiteral("reason")).toString() ==
                                     QLatin1String("unknown_keys"),
                                 5000);
        QCOMPARE(ipState(c, s, "127.0.0.1").value(QStringLiteral("last_key_hint")).toString(),
                 QStringLiteral("...DDDD"));
    }

    void repeatedTimeoutsBlacklist()
    {
        KW_SERVER_FIXTURE(f);
        strictRules(*f);
        Setup s = setup(*f);
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        for (int round = 0; round < 2; ++round) {
            QVERIFY(untilTooFast(c, s) >= 0);
            f->clock.advance(31'000);
        }
        // The third timeout blacklists: the request that causes it is already answered ip_blocked.
        HttpResponse r;
        for (int i = 0; i < 6; ++i)
            r = validate(c, s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("ip_blocked"));
        f->clock.advance(31'000);
        const qint64 before = *f->store().quota().count(s.product.id, f->clock.now());
        r = validate(c, s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("ip_blocked"));
        QCOMPARE(*f->store().quota().count(s.product.id, f->clock.now()), before + 1); // ip_blocked counts
        f->clock.advance(24LL * 3600 * 1000);
        QCOMPARE(validate(c, s).text("status"), QStringLiteral("ip_blocked"));
        QCOMPARE(*f->store().quota().count(s.product.id, f->clock.now()), 1); // a new day
        QTRY_VERIFY_WITH_TIMEOUT(ipState(c, s, "127.0.0.1").value(QStringLiteral("blacklisted")).toBool(),
                                 5000);
        const QJsonArray events = ipState(c, s, "127.0.0.1").value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(0).toObject().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("blacklist"));
        IpStateFilter banned;
        banned.state = IpStateFilter::State::Blacklisted;
        QCOMPARE(*f->store().ips().count(banned), 1);

        // Only a person lifts it: an unban request, then a restore.
        r = c.post("/api/v1/unban-requests",
                   {{QStringLiteral("license_key"), QString::fromLatin1(kMissing)},
                    {QStringLiteral("details"), QStringLiteral("My app had a retry loop.")}},
                   s.token);
        QCOMPARE(r.status, 201);
        const qint64 ticket = r.json().value(QStringLiteral("ticket_id")).toInteger();
        QCOMPARE(r.text("ip"), QStringLiteral("127.0.0.1"));
        r = c.post("/admin/v1/tickets/" + QByteArray::number(ticket) + "/status",
                   {{QStringLiteral("status"), QStringLiteral("restored")},
                    {QStringLiteral("resolution"), QStringLiteral("ok")}},
                   s.admin);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("restored"));
        QCOMPARE(validate(c, s).text("status"), QStringLiteral("license_not_found"));
    }

    void whitelistedIpsAreOnlyTimedOut()
    {
        KW_SERVER_FIXTURE(f);
        strictRules(*f);
        Setup s = setup(*f);
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        HttpResponse r = c.post("/admin/v1/whitelist",
                                {{QStringLiteral("cidr"), QStringLiteral("127.0.0.0/8")},
                                 {QStringLiteral("note"), QStringLiteral("office")}},
                                s.admin);
        QCOMPARE(r.status, 201);
        for (int round = 0; round < 5; ++round) {
            QVERIFY(untilTooFast(c, s) >= 0);
            f->clock.advance(31'000);
        }
        r = validate(c, s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("license_not_found"));
        QTRY_VERIFY_WITH_TIMEOUT(ipState(c, s, "127.0.0.1").value(QStringLiteral("timeouts")).toInt() == 5,
                                 5000);
        QCOMPARE(ipState(c, s, "127.0.0.1").value(QStringLiteral("blacklisted")).toBool(), false);
        QCOMPARE(ipState(c, s, "127.0.0.1").value(QStringLiteral("whitelisted")).toBool(), true);
    }

    void forwardedForOnlyFromTrustedProxies()
    {
        {
            // keywardd behind nginx on 127.0.0.1: the end user is the address nginx adds.
            KW_SERVER_FIXTURE(f);
            strictRules(*f);
            f->config.trustedProxies = {*Cidr::parse(QStringLiteral("127.0.0.1"))};
            Setup s = setup(*f);
            QVERIFY(f->start());
            HttpTestClient c = f->client();
            QCOMPARE(untilTooFast(c, s, "10.9.9.9, 203.0.113.9"), 5); // spoofed part left of the proxy's
            QCOMPARE(validate(c, s, QString::fromLatin1(kMissing), "203.0.113.9").status, 429);
            QCOMPARE(validate(c, s, QString::fromLatin1(kMissing), "198.51.100.3").status, 200);
            QCOMPARE(validate(c, s).status, 200); // the proxy itself is not timed out
            f->stop();
            RequestLogFilter f1;
            f1.ip = QStringLiteral("203.0.113.9");
            QCOMPARE(*f->store().requestLog().count(f1), 7);
        }
        {
            // No trusted proxy: X-Forwarded-For is the client's word and ignored.
            KW_SERVER_FIXTURE(f);
            strictRules(*f);
            Setup s = setup(*f);
            QVERIFY(f->start());
            HttpTestClient c = f->client();
            for (int i = 0; i < 5; ++i)
                QCOMPARE(validate(c, s, QString::fromLatin1(kMissing), "198.51.100." + QByteArray::number(i))
                             .status,
                         200);
            QCOMPARE(validate(c, s, QString::fromLatin1(kMissing), "198.51.100.200").status, 429);
            f->stop();
            RequestLogFilter local;
            local.ip = QStringLiteral("127.0.0.1");
            QCOMPARE(*f->store().requestLog().count(local), 6);
        }
    }

    void unbanRequests()
    {
        KW_SERVER_FIXTURE(f);
        f->config.unbanRequestsPerDay = 2;
        Setup s = setup(*f);
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        const QJsonObject body{{QStringLiteral("license_key"), QString::fromLatin1(kMissing)},
                               {QStringLiteral("details"), QStringLiteral("Blocked since the update.")}};
        QCOMPARE(c.post("/api/v1/unban-requests", body).status, 401);
        QCOMPARE(
            c.post("/api/v1/unban-requests", {{QStringLiteral("details"), QStringLiteral("no key")}}, s.token)
                .status,
            400);
        HttpResponse r = c.post("/api/v1/unban-requests", body, s.token);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.text("status"), QStringLiteral("open"));
        const qint64 first = r.json().value(QStringLiteral("ticket_id")).toInteger();
        r = c.post("/api/v1/unban-requests", body, s.token);
        QCOMPARE(r.status, 200); // one open ticket per IP
        QCOMPARE(r.json().value(QStringLiteral("ticket_id")).toInteger(), first);
        auto ticket = f->store().tickets().find(first);
        QCOMPARE(ticket->ip, QStringLiteral("127.0.0.1"));
        QCOMPARE(ticket->requester, QStringLiteral("end_user"));
        QCOMPARE(ticket->productId, std::optional<qint64>(s.product.id));
        // At most two per IP per day.
        QVERIFY(f->store().tickets().changeStatus(first, TicketStatus::Denied, QStringLiteral("no")));
        r = c.post("/api/v1/unban-requests", body, s.token);
        QCOMPARE(r.status, 201);
        QVERIFY(f->store().tickets().changeStatus(r.json().value(QStringLiteral("ticket_id")).toInteger(),
                                                  TicketStatus::Denied, QStringLiteral("no")));
        r = c.post("/api/v1/unban-requests", body, s.token);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.text("status"), QStringLiteral("too_many_requests"));
        QVERIFY(!r.header("retry-after").isEmpty());
        // And a burst is refused before the database is asked at all.
        int throttled = 0;
        for (int i = 0; i < 6; ++i)
            throttled += c.post("/api/v1/unban-requests", body, s.token).status == 429 ? 1 : 0;
        QCOMPARE(throttled, 6);
        QCOMPARE(*f->store().tickets().count({}), 2);
    }
};

QTEST_GUILESS_MAIN(TestServerAbuse)
#include "TestServerAbuse.moc"
