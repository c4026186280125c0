#include "DailyQuota.h"
#include "IpGuard.h"
#include "LoadRunner.h"
#include "ServerFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTest>

using namespace keyward;

// The public validation API over real HTTP: every status, activations, tokens, lookups and the
// daily limit with the reference service's counting rules. Runs on SQLite and on PostgreSQL.
class TestServerValidation : public QObject
{
    Q_OBJECT

    static constexpr const char* kKey = "PE-AAAAA-BBBBB-CCCCC-DDDDD";

    struct Setup
    {
        Product product;
        QString token;
    };

    static Setup setup(ServerFixture& f, const std::function<void(Product&)>& shape = {})
    {
        Setup s;
        s.product = f.product(QStringLiteral("Photo Editor"), shape);
        s.token = f.apiKey(s.product.id);
        return s;
    }

    static HttpResponse validate(HttpTestClient& c, const QString& token, const QString& key,
                                 const QJsonObject& extra = {})
    {
        QJsonObject body = extra;
        body.insert(QStringLiteral("license_key"), key);
        return c.post("/api/v1/validate", body, token);
    }

    static qint64 count(ServerFixture& f, qint64 product)
    {
        return *f.store().quota().count(product, f.clock.now());
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInfo("backend: %s", qPrintable(TestDatabase::backendName(TestDatabase::backendFromEnvironment())));
    }

    void activeKey()
    {
        KW_SERVER_FIXTURE(f);
        Setup s = setup(*f);
        f->key(s.product.id, QString::fromLatin1(kKey), [&](NewKey& k) {
            k.expiresAt = f->clock.now().addDays(30);
            k.maxDomains = 3;
            k.tokenBalance = 5;
        });
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        const HttpResponse r = validate(c, s.token, QStringLiteral("pe-aaaaa-bbbbb-ccccc-ddddd"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
        const QJsonObject license = o.value(QStringLiteral("license")).toObject();
        QCOMPARE(license.value(QStringLiteral("key")).toString(), QString::fromLatin1(kKey));
        QCOMPARE(license.value(QStringLiteral("product")).toString(), QStringLiteral("Photo Editor"));
        QCOMPARE(license.value(QStringLiteral("max_domains")).toInt(), 3);
        QCOMPARE(license.value(QStringLiteral("tokens")).toInt(), 5);
        QVERIFY(!license.value(QStringLiteral("expires_at")).toString().isEmpty());
        QVERIFY(!license.contains(QStringLiteral("customer_email"))); // no personal data to end users
    }

    void everyStatus()
    {
        KW_SERVER_FIXTURE(f);
        Setup s = setup(*f);
        f->key(s.product.id, QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD"));
        auto revoked = f->store().keys().find(QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD"));
        QVERIFY(f->store().keys().revoke(revoked->id, RevokeReason::Refund, {}));
        f->key(s.product.id, QStringLiteral("PE-SSPND-BBBBB-CCCCC-DDDDD"),
               [](NewKey& k) { k.status = KeyStatus::Suspended; });
        f->key(s.product.id, QStringLiteral("PE-EXPRD-BBBBB-CCCCC-DDDDD"),
               [&](NewKey& k) { k.expiresAt = f->clock.now().addSecs(-1); });
        const LicenseKey domainKey = f->key(s.product.id, QStringLiteral("PE-DMNNN-BBBBB-CCCCC-DDDDD"));
        QVERIFY(f->store().keys().activate(domainKey.id, ActivationKind::Domain,
                                           QStringLiteral("shop.example.com")));
        const LicenseKey deviceKey = f->key(s.product.id, QStringLiteral("PE-DVCE0-BBBBB-CCCCC-DDDDD"));
        QVERIFY(f->store().keys().activate(deviceKey.id, ActivationKind::Uuid,
                                           QStringLiteral("6f9619ff-8b86-d011-b42d-00c04fc964ff")));
        QVERIFY(f->start());
        HttpTestClient c = f->client();

        struct Case
        {
            QString key;
            QJsonObject extra;
            QString status;
            QString code;
        };
        const std::vector<Case> cases = {
            {QStringLiteral("PE-ZZZZZ-BBBBB-CCCCC-DDDDD"), {}, QStringLiteral("license_not_found"), {}},
            {QStringLiteral("PE-AAAAA-BBBBB"), {}, QStringLiteral("invalid_format"), QStringLiteral("L3n7")},
            {QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDD!"),
             {},
             QStringLiteral("invalid_format"),
             QStringLiteral("C4r5")},
            {QStringLiteral("PE-AAAAAB-BBBBCCCCC-DDDDDD"),
             {},
             QStringLiteral("invalid_format"),
             QStringLiteral("P477")},
            {QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD"), {}, QStringLiteral("revoked"), {}},
            {QStringLiteral("PE-SSPND-BBBBB-CCCCC-DDDDD"), {}, QStringLiteral("suspended"), {}},
            {QStringLiteral("PE-EXPRD-BBBBB-CCCCC-DDDDD"), {}, QStringLiteral("expired"), {}},
            {QStringLiteral("PE-DMNNN-BBBBB-CCCCC-DDDDD"),
             {{QStringLiteral("domain"), QStringLiteral("evil.example.com")}},
             QStringLiteral("domain_mismatch"),
             {}},
            {QStringLiteral("PE-DMNNN-BBBBB-CCCCC-DDDDD"), {}, QStringLiteral("domain_mismatch"), {}},
            {QStringLiteral("PE-DMNNN-BBBBB-CCCCC-DDDDD"),
             {{QStringLiteral("domain"), QStringLiteral("https://SHOP.example.com/x")}},
             QStringLiteral("active"),
             {}},
            {QStringLiteral("PE-DVCE0-BBBBB-CCCCC-DDDDD"),
             {{QStringLiteral("uuid"), QStringLiteral("00000000-0000-0000-0000-000000000001")}},
             QStringLiteral("uuid_mismatch"),
             {}},
            {QStringLiteral("PE-DVCE0-BBBBB-CCCCC-DDDDD"),
             {{QStringLiteral("uuid"), QStringLiteral("6F9619FF-8B86-D011-B42D-00C04FC964FF")}},
             QStringLiteral("active"),
             {}},
        };
        for (const Case& k : cases) {
            const HttpResponse r = validate(c, s.token, k.key, k.extra);
            QCOMPARE(r.status, 200); // license_not_found too: a 200, not a 404
            QCOMPARE(r.text("status"), k.status);
            QCOMPARE(r.json().value(QStringLiteral("valid")).toBool(), k.status == QLatin1String("active"));
            if (!k.code.isEmpty()) {
                QCOMPARE(r.text("code"), k.code);
                QCOMPARE(r.text("message"), QStringLiteral("Invalid license key (CODE: %1)").arg(k.code));
            }
            if (k.status != QLatin1String("active"))
                QVERIFY(!r.text("message").isEmpty());
        }

        // product_archived: the vendor archived the product.
        Product archived = s.product;
        archived.archived = true;
        QVERIFY(f->store().products().update(archived));
        f->refresh();
        HttpResponse r = validate(c, s.token, QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("product_archived"));
        archived.archived = false;
        QVERIFY(f->store().products().update(archived));
        f->refresh();

        // ip_blocked: another instance blacklisted this IP (the server learns it at its refresh).
        IpRules rules;
        rules.tooFastRequests = 1;
        rules.blacklistAfterTimeouts = 1;
        IpGuard elsewhere(rules);
        elsewhere.admit(QStringLiteral("127.0.0.1"), f->clock.now());
        elsewhere.admit(QStringLiteral("127.0.0.1"), f->clock.now());
        QVERIFY(f->store().ips().record(elsewhere.takeEvents()));
        f->refresh();
        r = validate(c, s.token, QStringLiteral("PE-ZZZZZ-BBBBB-CCCCC-DDDDD"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("ip_blocked"));
        QCOMPARE(r.json().value(QStringLiteral("valid")).toBool(), false);
    }

    void invalidApiKey()
    {
        KW_SERVER_FIXTURE(f);
        Setup s = setup(*f);
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        const QByteArray body = QByteArrayLiteral("{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\"}");
        const QList<QList<QPair<QByteArray, QByteArray>>> variants = {
            {},
            {{"Authorization", "Bearer"}},
            {{"Authorization", "Bearer "}},
            {{"Authorization", "Basic dXNlcjpwYXNz"}},
            {{"Authorization", "Bearer kw_not-a-real-key"}},
            {{"Authorization", "Bearer kw_<script>"}},
            {{"Authorization", "Bearer " + s.token.toLatin1() + "x"}},
        };
        for (const auto& headers : variants) {
            const HttpResponse r = c.request("POST", "/api/v1/validate", body, headers);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.json(), (QJsonObject{{QStringLiteral("valid"), false},
                                            {QStringLiteral("status"), QStringLiteral("invalid_api_key")}}));
        }
        QCOMPARE(count(*f, s.product.id), 0); // 401s are not counted

        // A revoked API key stops working (at once on the server that revoked it, at the next
        // refresh elsewhere: here the refresh).
        QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey)).status, 200);
        auto keys = f->store().apiKeys().list(s.product.id);
        QVERIFY(f->store().apiKeys().revoke(keys->front().id));
        f->refresh();
        QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey)).status, 401);
        // A key created after the server started works without waiting for a refresh.
        auto fresh = f->store().apiKeys().create(s.product.id);
        QCOMPARE(validate(c, fresh->token, QString::fromLatin1(kKey)).status, 200);
    }

    void activateAndDeactivate()
    {
        KW_SERVER_FIXTURE(f);
        Setup s = setup(*f);
        f->key(s.product.id, QString::fromLatin1(kKey), [](NewKey& k) {
            k.maxDomains = 2;
            k.maxUuids = 1;
        });
        f->key(s.product.id, QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD"));
        QVERIFY(
            f->store().keys().revoke(f->store().keys().find(QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD"))->id,
                                     RevokeReason::Chargeback, {}));
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        auto call = [&](const char* path, const QJsonObject& extra,
                        const QString& key = QString::fromLatin1(kKey)) {
            QJsonObject body = extra;
            body.insert(QStringLiteral("license_key"), key);
            return c.post(path, body, s.token);
        };
        const QJsonObject d1{{QStringLiteral("domain"), QStringLiteral("one.example.com")}};
        const QJsonObject d2{{QStringLiteral("domain"), QStringLiteral("two.example.com")}};
        const QJsonObject d3{{QStringLiteral("domain"), QStringLiteral("three.example.com")}};
        HttpResponse r = call("/api/v1/activate", d1);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("active"));
        QCOMPARE(
            r.json().value(QStringLiteral("activation")).toObject().value(QStringLiteral("value")).toString(),
            QStringLiteral("one.example.com"));
        QCOMPARE(call("/api/v1/activate", d2).text("status"), QStringLiteral("active"));
        r = call("/api/v1/activate", d3);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("activation_limit_reached"));
        QCOMPARE(r.json().value(QStringLiteral("valid")).toBool(), false);
        // Binding one that is already bound is fine (it only refreshes when it was last seen).
        QCOMPARE(call("/api/v1/activate", d1).text("status"), QStringLiteral("active"));
        QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey), d1).text("status"),
                 QStringLiteral("active"));
        QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey), d3).text("status"),
                 QStringLiteral("domain_mismatch"));

        r = call("/api/v1/deactivate", d2);
        QCOMPARE(r.text("status"), QStringLiteral("deactivated"));
        QCOMPARE(r.json().value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(call("/api/v1/deactivate", d2).text("status"), QStringLiteral("not_activated"));
        QCOMPARE(call("/api/v1/activate", d3).text("status"), QStringLiteral("active"));
        QCOMPARE(f->store().keys().find(QString::fromLatin1(kKey))->domains.size(), 2);

        const QJsonObject u1{
            {QStringLiteral("uuid"), QStringLiteral("6f9619ff-8b86-d011-b42d-00c04fc964ff")}};
        const QJsonObject u2{
            {QStringLiteral("uuid"), QStringLiteral("11111111-2222-3333-4444-555555555555")}};
        QCOMPARE(call("/api/v1/activate", u1).text("status"), QStringLiteral("active"));
        QCOMPARE(call("/api/v1/activate", u2).text("status"), QStringLiteral("activation_limit_reached"));

        // Bad requests: both, neither, malformed values.
        QJsonObject both = d1;
        both.insert(QStringLiteral("uuid"), u1.value(QStringLiteral("uuid")));
        QCOMPARE(call("/api/v1/activate", both).status, 400);
        QCOMPARE(call("/api/v1/activate", {}).status, 400);
        QCOMPARE(call("/api/v1/activate", {{QStringLiteral("uuid"), QStringLiteral("not-a-uuid")}}).status,
                 400);
        QCOMPARE(call("/api/v1/activate", {{QStringLiteral("domain"), QStringLiteral("no spaces allowed")}})
                     .status,
                 400);
        QCOMPARE(call("/api/v1/activate", {{QStringLiteral("domain"), 42}}).status, 400);
        // A revoked key cannot be activated; an unknown one is not found.
        QCOMPARE(call("/api/v1/activate", d1, QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD")).text("status"),
                 QStringLiteral("revoked"));
        QCOMPARE(call("/api/v1/activate", d1, QStringLiteral("PE-ZZZZZ-BBBBB-CCCCC-DDDDD")).text("status"),
                 QStringLiteral("license_not_found"));
        // Activations by apps are not audited as a person's change (the request log has them).
        AuditFilter audit;
        audit.actionPrefix = QStringLiteral("key.activate");
        QCOMPARE(*f->store().audit().count(audit), 0);
    }

    void consumeTokens()
    {
        KW_SERVER_FIXTURE(f);
        Setup s = setup(*f);
        f->key(s.product.id, QString::fromLatin1(kKey), [](NewKey& k) { k.tokenBalance = 10; });
        f->key(s.product.id, QStringLiteral("PE-NTKNS-BBBBB-CCCCC-DDDDD"));
        f->key(s.product.id, QStringLiteral("PE-MANY0-BBBBB-CCCCC-DDDDD"),
               [](NewKey& k) { k.tokenBalance = 25; });
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        auto consume = [&](const QJsonValue& amount, const QString& key = QString::fromLatin1(kKey)) {
            return c.post("/api/v1/consume",
                          {{QStringLiteral("license_key"), key}, {QStringLiteral("amount"), amount}},
                          s.token);
        };
        HttpResponse r = consume(3);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("active"));
        QCOMPARE(r.json().value(QStringLiteral("tokens")).toInt(), 7);
        QCOMPARE(r.json().value(QStringLiteral("consumed")).toInt(), 3);
        r = consume(8);
        QCOMPARE(r.text("status"), QStringLiteral("insufficient_tokens"));
        QCOMPARE(r.json().value(QStringLiteral("tokens")).toInt(), 7);
        QCOMPARE(consume(7).json().value(QStringLiteral("tokens")).toInt(), 0);
        QCOMPARE(consume(1).text("status"), QStringLiteral("insufficient_tokens"));
        QCOMPARE(consume(1, QStringLiteral("PE-NTKNS-BBBBB-CCCCC-DDDDD")).text("status"),
                 QStringLiteral("not_token_key"));
        for (const QJsonValue& bad :
             {QJsonValue(0), QJsonValue(-1), QJsonValue(1.5), QJsonValue(QStringLiteral("3")),
              QJsonValue(true), QJsonValue(QJsonValue::Null), QJsonValue(1e12)})
            QCOMPARE(consume(bad).status, 400);

        // Concurrent consumers cannot overspend: 40 requests for 25 tokens.
        const QByteArray body =
            QByteArrayLiteral("{\"license_key\":\"PE-MANY0-BBBBB-CCCCC-DDDDD\",\"amount\":1}");
        const QByteArray request =
            "POST /api/v1/consume HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + s.token.toLatin1() +
            "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n\r\n" + body;
        const QMap<int, int> statuses = LoadRunner::run({f->port()}, request, 40, 20);
        QCOMPARE(statuses.value(200), 40);
        QCOMPARE(*f->store().keys().find(QStringLiteral("PE-MANY0-BBBBB-CCCCC-DDDDD"))->tokenBalance, 0);
        // 25 consumed, 15 refused: never below zero.
        RequestLogFilter refused;
        refused.outcome = QStringLiteral("insufficient_tokens");
        f->stop();
        QCOMPARE(*f->store().requestLog().count(refused), 15 + 2);
        AuditFilter audit;
        audit.actionPrefix = QStringLiteral("key.consume");
        QCOMPARE(*f->store().audit().count(audit), 0);
    }

    void licenseLookup()
    {
        KW_SERVER_FIXTURE(f);
        Setup s = setup(*f);
        f->key(s.product.id, QString::fromLatin1(kKey));
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        HttpResponse r = c.get("/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD", s.token);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("active"));
        QCOMPARE(r.json().value(QStringLiteral("license")).toObject().value(QStringLiteral("key")).toString(),
                 QString::fromLatin1(kKey));
        r = c.get("/api/v1/license/PE-ZZZZZ-BBBBB-CCCCC-DDDDD", s.token);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.text("status"), QStringLiteral("license_not_found"));
        r = c.get("/api/v1/license/PE-short", s.token);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.text("code"), QStringLiteral("L3n7"));
        QCOMPARE(c.get("/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD").status, 401);
        QCOMPARE(c.request("POST", "/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD", "{}").status, 405);
        // Lookups count, the 404 ones too.
        QCOMPARE(count(*f, s.product.id), 3);
    }

    // The reference's rules: counted once the API key authenticated (license_not_found, revoked,
    // ip_blocked, product_archived, 404 lookups); not counted: 401s and 429s; limit checked first.
    void countingRules()
    {
        KW_SERVER_FIXTURE(f);
        Setup s = setup(*f, [](Product& p) { p.dailyLimitOverride = 6; });
        f->key(s.product.id, QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD"));
        QVERIFY(
            f->store().keys().revoke(f->store().keys().find(QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD"))->id,
                                     RevokeReason::Abuse, {}));
        f->clock.set(QDateTime::fromString(QStringLiteral("2026-03-01T23:00:00Z"), Qt::ISODate));
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        QCOMPARE(validate(c, QStringLiteral("kw_wrong"), QString::fromLatin1(kKey)).status, 401);
        QCOMPARE(count(*f, s.product.id), 0);
        QCOMPARE(validate(c, s.token, QStringLiteral("PE-ZZZZZ-BBBBB-CCCCC-DDDDD")).text("status"),
                 QStringLiteral("license_not_found"));
        QCOMPARE(validate(c, s.token, QStringLiteral("PE-REVKD-BBBBB-CCCCC-DDDDD")).text("status"),
                 QStringLiteral("revoked"));
        QCOMPARE(validate(c, s.token, QStringLiteral("PE-1")).text("status"),
                 QStringLiteral("invalid_format"));
        QCOMPARE(c.get("/api/v1/license/PE-ZZZZZ-BBBBB-CCCCC-DDDDD", s.token).status, 404);
        QCOMPARE(c.request("POST", "/api/v1/validate", "{not json",
                           {{"Authorization", "Bearer " + s.token.toLatin1()}})
                     .status,
                 400); // authenticated: a bad body counts too
        QCOMPARE(count(*f, s.product.id), 5);
        QCOMPARE(validate(c, s.token, QStringLiteral("PE-ZZZZZ-BBBBB-CCCCC-DDDDD")).status,
                 200); // the 6th and last
        QCOMPARE(count(*f, s.product.id), 6);

        const HttpResponse limited = validate(c, s.token, QStringLiteral("PE-ZZZZZ-BBBBB-CCCCC-DDDDD"));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.header("retry-after"), QByteArray("3600"));
        const QJsonObject o = limited.json();
        QCOMPARE(o.value(QStringLiteral("valid")).toBool(), false);
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("rate_limit_exceeded"));
        QCOMPARE(o.value(QStringLiteral("retry_after")).toInt(), 3600);
        QVERIFY(o.value(QStringLiteral("message")).toString().contains(QLatin1String("midnight UTC")));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(c.get("/api/v1/license/PE-ZZZZZ-BBBBB-CCCCC-DDDDD", s.token).status, 429);
        QCOMPARE(count(*f, s.product.id), 6); // 429s are not counted
        QCOMPARE(validate(c, QStringLiteral("kw_wrong"), QString::fromLatin1(kKey)).status,
                 401); // auth comes first

        // Retry-After follows the clock to midnight UTC, and the count starts over at midnight.
        f->clock.set(QDateTime::fromString(QStringLiteral("2026-03-01T23:59:15.400Z"), Qt::ISODate));
        QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey)).header("retry-after"), QByteArray("45"));
        f->clock.set(QDateTime::fromString(QStringLiteral("2026-03-02T00:00:00Z"), Qt::ISODate));
        const HttpResponse next = validate(c, s.token, QString::fromLatin1(kKey));
        QCOMPARE(next.status, 200);
        QCOMPARE(count(*f, s.product.id), 1);
        auto usage = f->store().quota().usage(s.product.id, QStringLiteral("2026-03-01"),
                                              QStringLiteral("2026-03-02"));
        QCOMPARE(usage->size(), size_t(2));
        QCOMPARE(usage->front().count, 6);
    }

    void countsSurviveARestart()
    {
        KW_SERVER_FIXTURE(f);
        Setup s = setup(*f, [](Product& p) { p.dailyLimitOverride = 5; });
        QVERIFY(f->start());
        {
            HttpTestClient c = f->client();
            for (int i = 0; i < 3; ++i)
                QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey)).status, 200);
        }
        QVERIFY(f->restart());
        QCOMPARE(count(*f, s.product.id), 3);
        HttpTestClient c = f->client();
        QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey)).status, 200);
        QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey)).status, 200);
        QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey)).status, 429);
        QCOMPARE(count(*f, s.product.id), 5);
    }

    // Many connections at once against one server: exactly the limit is answered.
    void exactUnderConcurrency()
    {
        KW_SERVER_FIXTURE(f);
        f->config.maxConnections = 2000;
        Setup s = setup(*f, [](Product& p) { p.dailyLimitOverride = 150; });
        QVERIFY(f->start());
        const QByteArray body = QByteArrayLiteral("{\"license_key\":\"PE-ZZZZZ-BBBBB-CCCCC-DDDDD\"}");
        const QByteArray request =
            "POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + s.token.toLatin1() +
            "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        const QMap<int, int> statuses = LoadRunner::run({f->port()}, request, 500, 100);
        QCOMPARE(statuses.value(200), 150);
        QCOMPARE(statuses.value(429), 350);
        QCOMPARE(count(*f, s.product.id), 150);
    }

    void requestLogNeverHoldsAFullKey()
    {
        KW_SERVER_FIXTURE(f);
        Setup s = setup(*f);
        f->key(s.product.id, QString::fromLatin1(kKey));
        QVERIFY(f->start());
        HttpTestClient c = f->client();
        QCOMPARE(validate(c, s.token, QString::fromLatin1(kKey)).status, 200);
        QCOMPARE(validate(c, s.token, QStringLiteral("PE-ZZZZZ-BBBBB-CCCCC-QQQQQ")).status, 200);
        QCOMPARE(validate(c, QStringLiteral("kw_nope"), QString::fromLatin1(kKey)).status, 401);
        f->stop(); // a clean stop writes every entry
        auto entries = f->store().requestLog().list({}, 0, 100);
        QVERIFY(entries);
        QCOMPARE(entries->size(), size_t(3));
        QSqlQuery q(f->store().database().connection());
        QVERIFY(q.exec(QStringLiteral("SELECT key_hint, ip, endpoint, outcome, detail FROM request_log")));
        while (q.next()) {
            for (int i = 0; i < 5; ++i) {
                QVERIFY(!q.value(i).toString().contains(QLatin1String("BBBBB-CCCCC")));
            }
        }
        QStringList outcomes;
        for (const RequestLogEntry& e : *entries)
            outcomes << e.outcome;
        outcomes.sort();
        QCOMPARE(outcomes, (QStringList{QStringLiteral("active"), QStringLiteral("invalid_api_key"),
                                        QStringLiteral("license_not_found")}));
        for (const RequestLogEntry& e : *entries) {
            QCOMPARE(e.ip, QStringLiteral("127.0.0.1"));
            if (e.outcome == QLatin1String("active")) {
                QCOMPARE(e.keyHint, QStringLiteral("...DDDD"));
                QVERIFY(e.keyId.has_value());
                QCOMPARE(e.productId, std::optional<qint64>(s.product.id));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestServerValidation)
#include "TestServerValidation.moc"
