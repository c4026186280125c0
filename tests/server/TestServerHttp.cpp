#include "LoadRunner.h"
#include "ServerFixture.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace keyward;

// What the HTTP layer must survive and answer clearly: bad JSON and types (400), wrong methods
// (405), unknown routes (404), oversized heads and bodies (431, 413), bodies without a length
// (411), slow and idle clients (408, close), the connection cap (503), Connection: close,
// pipelining, Expect: 100-continue and random garbage, without ever crashing.
class TestServerHttp : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerFixture> f;
    QString token;

    QByteArray validateRequest(const QByteArray& body, const QByteArray& extraHeaders = {}) const
    {
        return "POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.toLatin1() +
               "\r\n" + extraHeaders + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
               body;
    }

    HttpResponse send(const QByteArray& raw)
    {
        HttpTestClient c = f->client();
        if (!c.sendRaw(raw))
            return {};
        return c.readResponse(5000);
    }

    bool serverStillAnswers()
    {
        const HttpResponse r = send(validateRequest("{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\"}"));
        return r.status == 200 && r.text("status") == QLatin1String("active");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString problem;
        bool skip = false;
        f = ServerFixture::create(problem, skip);
        QVERIFY2(f, qPrintable(problem));
        f->config.requestTimeoutMs = 1000;
        f->config.idleTimeoutMs = 1500;
        f->config.maxConnections = 40;
        f->config.httpThreads = 2;
        const Product p = f->product(QStringLiteral("Photo Editor"));
        token = f->apiKey(p.id);
        f->key(p.id, QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD"));
        QVERIFY(f->start());
    }

    void cleanupTestCase() { f.reset(); }

    // New connections take turns among the HTTP threads: each thread decides the validations it
    // reads, so an uneven share would leave a core idle. (First, while no other test's
    // connections are still open.)
    void connectionsTakeTurnsAmongHttpThreads()
    {
        QTRY_COMPARE(f->server().connectionsPerHttpThread(), QList<int>({0, 0}));
        // All at once, as a load generator connects: one thread would otherwise accept them all.
        std::vector<HttpTestClient> clients;
        for (int i = 0; i < 16; ++i) {
            clients.push_back(f->client());
            QVERIFY(clients.back().connect());
        }
        for (HttpTestClient& c : clients)
            QCOMPARE(c.request("GET", "/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD", {},
                               {{"Authorization", "Bearer " + token.toLatin1()}})
                         .status,
                     200);
        QCOMPARE(f->server().connectionsPerHttpThread(), QList<int>({8, 8}));
        clients.clear();
        QTRY_COMPARE(f->server().connectionsPerHttpThread(), QList<int>({0, 0}));
    }

    void malformedBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{\"license_key\":") << QStringLiteral("JSON");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("JSON");
        QTest::newRow("array") << QByteArray("[\"PE-AAAAA\"]") << QStringLiteral("object");
        QTest::newRow("string") << QByteArray("\"PE-AAAAA\"") << QStringLiteral("JSON");
        QTest::newRow("missing key") << QByteArray("{\"uuid\":\"x\"}") << QStringLiteral("license_key");
        QTest::newRow("null key") << QByteArray("{\"license_key\":null}") << QStringLiteral("license_key");
        QTest::newRow("number key") << QByteArray("{\"license_key\":42}") << QStringLiteral("string");
        QTest::newRow("object key") << QByteArray("{\"license_key\":{}}") << QStringLiteral("string");
        QTest::newRow("empty key") << QByteArray("{\"license_key\":\"  \"}") << QStringLiteral("license_key");
        QTest::newRow("long key") << QByteArray("{\"license_key\":\"" + QByteArray(500, 'A') + "\"}")
                                  << QStringLiteral("longer");
        QTest::newRow("uuid type") << QByteArray(
                                          "{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\",\"uuid\":5}")
                                   << QStringLiteral("uuid");
        QTest::newRow("bad uuid") << QByteArray(
                                         "{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\",\"uuid\":\"xyz\"}")
                                  << QStringLiteral("uuid");
        QTest::newRow("bad domain")
            << QByteArray("{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\",\"domain\":\"a b\"}")
            << QStringLiteral("domain");
        QTest::newRow("invalid utf-8")
            << QByteArray("{\"license_key\":\"\xff\xfe\"}") << QStringLiteral("JSON");
    }

    void malformedBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        const HttpResponse r = send(validateRequest(body));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.text("error"), QStringLiteral("invalid_request"));
        QCOMPARE(r.text("status"), QStringLiteral("invalid_request"));
        QCOMPARE(r.json().value(QStringLiteral("valid")).toBool(true), false);
        QVERIFY2(r.text("message").contains(mentions, Qt::CaseInsensitive), qPrintable(r.text("message")));
    }

    void wrongMethodAndUnknownRoute()
    {
        HttpTestClient c = f->client();
        HttpResponse r = c.get("/api/v1/validate", token);
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("POST"));
        QCOMPARE(r.text("error"), QStringLiteral("method_not_allowed"));
        r = c.request("PUT", "/admin/v1/products", "{}");
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("GET, POST"));
        QCOMPARE(c.request("HEAD", "/api/v1/validate").status, 405);
        r = c.get("/api/v1/nothing-here", token);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.text("error"), QStringLiteral("not_found"));
        QCOMPARE(r.text("status"), QStringLiteral("not_found"));
        QCOMPARE(c.get("/").status, 404);
        QCOMPARE(c.get("/api/v1/validate/").status, 404);
        r = c.get("/admin/v1/nope");
        QCOMPARE(r.status, 404);
        QVERIFY(!r.json().contains(QStringLiteral("valid"))); // admin errors have no public-API fields
        QCOMPARE(c.get("/" + QByteArray(8000, 'x')).status, 404);
    }

    void oversizedRequestsAreRefusedEarly()
    {
        // Public routes: 16 KiB. The answer comes before the body is sent at all.
        HttpTestClient c = f->client();
        QVERIFY(c.sendRaw("POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n"));
        HttpResponse r = c.readResponse(5000);
        QCOMPARE(r.status, 413);
        QCOMPARE(r.text("error"), QStringLiteral("payload_too_large"));
        QCOMPARE(r.header("connection"), QByteArray("close"));
        QVERIFY(c.waitForClose(3000));
        // Admin routes allow larger bodies (8 MiB by default): this one reaches the route (and its 401).
        r = f->client().request("POST", "/admin/v1/keys/bulk-trash", QByteArray(20000, ' '));
        QCOMPARE(r.status, 401);
        // Headers: 16 KiB.
        r = send("GET /api/v1/license/x HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(20000, 'a') +
                 "\r\n\r\n");
        QCOMPARE(r.status, 431);
        r = send("GET /api/v1/license/x HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(20000, 'a'));
        QCOMPARE(r.status, 431); // no end of the head in sight
        // No length: refused.
        r = send("POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                 "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        QCOMPARE(r.status, 411);
        r = send("POST /api/v1/validate HTTP/1.1\r\nContent-Length: -5\r\n\r\n");
        QCOMPARE(r.status, 400);
        r = send("POST /api/v1/validate HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        QCOMPARE(r.status, 400);
        QVERIFY(serverStillAnswers());
    }

    void slowAndIdleClientsAreClosed()
    {
        // A head that never completes: 408 after the request timeout.
        HttpTestClient slow = f->client();
        QElapsedTimer t;
        t.start();
        QVERIFY(slow.sendRaw("POST /api/v1/validate HTTP/1.1\r\nHost: x\r\n"));
        HttpResponse r = slow.readResponse(6000);
        QCOMPARE(r.status, 408);
        QVERIFY(t.elapsed() >= 900);
        QVERIFY(slow.waitForClose(3000));
        // A body that stops half way: the same.
        HttpTestClient partial = f->client();
        QVERIFY(partial.sendRaw("POST /api/v1/validate HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"license"));
        QCOMPARE(partial.readResponse(6000).status, 408);
        // An idle keep-alive connection is closed quietly.
        HttpTestClient idle = f->client();
        QCOMPARE(
            idle.request("POST", "/api/v1/validate", "{}", {{"Authorization", "Bearer " + token.toLatin1()}})
                .status,
            400);
        t.restart();
        QVERIFY(idle.waitForClose(6000));
        QVERIFY(t.elapsed() >= 1000);
        // A busy connection is not closed: requests every 500 ms for 3 seconds.
        HttpTestClient busy = f->client();
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(busy.request("GET", "/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD", {},
                                  {{"Authorization", "Bearer " + token.toLatin1()}})
                         .status,
                     200);
            QTest::qWait(500);
        }
    }

    void connectionCap()
    {
        std::vector<std::unique_ptr<HttpTestClient>> held;
        // Up to the cap (40) connections are served; one more is refused with 503.
        int refused = 0;
        for (int i = 0; i < 45; ++i) {
            auto c = std::make_unique<HttpTestClient>(f->port());
            const HttpResponse r = c->request("GET", "/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD", {},
                                              {{"Authorization", "Bearer " + token.toLatin1()}});
            if (r.status == 503) {
                QCOMPARE(r.text("error"), QStringLiteral("too_many_connections"));
                ++refused;
            } else {
                QCOMPARE(r.status, 200);
            }
            held.push_back(std::move(c));
        }
        QCOMPARE(refused, 5);
        held.clear(); // closing them frees the places
        QTRY_VERIFY_WITH_TIMEOUT(serverStillAnswers(), 5000);
    }

    void connectionCloseAndKeepAlive()
    {
        HttpTestClient c = f->client();
        for (int i = 0; i < 50; ++i)
            QCOMPARE(c.request("GET", "/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD", {},
                               {{"Authorization", "Bearer " + token.toLatin1()}})
                         .status,
                     200);
        QVERIFY(c.connected()); // one connection for all of them
        const HttpResponse r =
            c.request("GET", "/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD", {},
                      {{"Authorization", "Bearer " + token.toLatin1()}, {"Connection", "close"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("connection").toLower(), QByteArray("close"));
        QVERIFY(c.waitForClose(3000));
        // Also for answers made on the spot (an unknown route, a wrong method).
        for (const QByteArray& path : {QByteArray("/nothing"), QByteArray("/api/v1/validate")}) {
            HttpTestClient once = f->client();
            const HttpResponse quick = once.request("GET", path, {}, {{"Connection", "close"}});
            QVERIFY(quick.status == 404 || quick.status == 405);
            QVERIFY(once.waitForClose(3000));
        }
    }

    void pipelinedRequestsAreAnsweredInOrder()
    {
        HttpTestClient c = f->client();
        const QByteArray a = validateRequest("{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\"}");
        const QByteArray b = validateRequest("{\"license_key\":\"PE-ZZZZZ-BBBBB-CCCCC-DDDDD\"}");
        QVERIFY(c.sendRaw(a));
        QTest::qWait(5);
        QVERIFY(c.sendRaw(b + a));
        QCOMPARE(c.readResponse(5000).text("status"), QStringLiteral("active"));
        QCOMPARE(c.readResponse(5000).text("status"), QStringLiteral("license_not_found"));
        QCOMPARE(c.readResponse(5000).text("status"), QStringLiteral("active"));
    }

    // Public API requests are served by the server's own HTTP code; the first request for anything
    // else gives the connection to QtHttpServer, unread, and the public API works there too.
    void connectionChangesHandsForOtherRoutes()
    {
        HttpTestClient c = f->client();
        QCOMPARE(c.get("/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD", token).status, 200);
        const HttpResponse admin = c.get("/admin/v1/products");
        QCOMPARE(admin.status, 401);
        QCOMPARE(admin.text("error"), QStringLiteral("unauthorized"));
        QCOMPARE(c.get("/api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD", token).status, 200);
        QCOMPARE(c.get("/api/v1/license/PE-NOPE0-BBBBB-CCCCC-DDDDD", token).status, 404);
        QVERIFY(c.connected()); // one connection for all of them

        // Pipelined: the public answer first, then QtHttpServer's, in request order.
        HttpTestClient p = f->client();
        QVERIFY(p.sendRaw(validateRequest("{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\"}") +
                          "GET /admin/v1/products HTTP/1.1\r\nHost: x\r\n\r\n"));
        QCOMPARE(p.readResponse(5000).text("status"), QStringLiteral("active"));
        QCOMPARE(p.readResponse(5000).status, 401);
    }

    void requestLineInPieces()
    {
        // Too short to tell where it goes: QtHttpServer takes it and gets the same answer.
        HttpTestClient c = f->client();
        const QByteArray raw = validateRequest("{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\"}");
        QVERIFY(c.sendRaw(raw.left(3)));
        QTest::qWait(50);
        QVERIFY(c.sendRaw(raw.mid(3, 20)));
        QTest::qWait(50);
        QVERIFY(c.sendRaw(raw.mid(23)));
        QCOMPARE(c.readResponse(5000).text("status"), QStringLiteral("active"));
        // A head and a body that arrive in pieces on the public side.
        HttpTestClient d = f->client();
        QVERIFY(d.sendRaw(raw.left(40)));
        QTest::qWait(50);
        QVERIFY(d.sendRaw(raw.mid(40, raw.size() - 50)));
        QTest::qWait(50);
        QVERIFY(d.sendRaw(raw.right(10)));
        QCOMPARE(d.readResponse(5000).text("status"), QStringLiteral("active"));
        QVERIFY(d.connected());
    }

    void http10ClosesUnlessKeptAlive()
    {
        HttpTestClient c = f->client();
        QVERIFY(
            c.sendRaw("GET /api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD HTTP/1.0\r\nAuthorization: Bearer " +
                      token.toLatin1() + "\r\n\r\n"));
        const HttpResponse r = c.readResponse(5000);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("connection").toLower(), QByteArray("close"));
        QVERIFY(c.waitForClose(3000));
        HttpTestClient k = f->client();
        for (int i = 0; i < 2; ++i) {
            QVERIFY(k.sendRaw(
                "GET /api/v1/license/PE-AAAAA-BBBBB-CCCCC-DDDDD HTTP/1.0\r\nConnection: keep-alive\r\n"
                "Authorization: Bearer " +
                token.toLatin1() + "\r\n\r\n"));
            QCOMPARE(k.readResponse(5000).status, 200);
        }
        QVERIFY(k.connected());
    }

    void expectContinue()
    {
        HttpTestClient c = f->client();
        const QByteArray body = "{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\"}";
        QVERIFY(c.sendRaw(
            "POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.toLatin1() +
            "\r\nExpect: 100-continue\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"));
        QVERIFY(c.socket().waitForReadyRead(3000));
        QVERIFY(c.socket().peek(64).startsWith("HTTP/1.1 100 Continue"));
        QVERIFY(c.sendRaw(body));
        const HttpResponse r = c.readResponse(5000);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("status"), QStringLiteral("active"));
    }

    void garbageNeverCrashes()
    {
        const QList<QByteArray> garbage = {
            QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), // a TLS hello
            "GET\r\n\r\n",
            "GET / HTTP/9.9\r\n\r\n",
            "\r\n\r\n\r\n",
            "POST /api/v1/validate HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
            "POST /api/v1/validate HTTP/1.1\r\nNoColonHere\r\nContent-Length: 2\r\n\r\n{}",
            QByteArray(3000, '\0'),
        };
        {
            std::vector<std::unique_ptr<HttpTestClient>> clients;
            for (const QByteArray& bytes : garbage) {
                clients.push_back(std::make_unique<HttpTestClient>(f->port()));
                clients.back()->sendRaw(bytes);
            }
            for (auto& c : clients)
                QVERIFY(c->waitForClose(4000)); // each is refused or times out: none stays open
        }
        // Random mutations of a valid request, then a clean one.
        QRandomGenerator random(4242);
        const QByteArray valid =
            validateRequest("{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\",\"uuid\":null}");
        // Thirty connections at a time (the cap is 40); a mutation may leave the server waiting
        // for more bytes, which the request timeout ends.
        for (int round = 0; round < 3; ++round) {
            std::vector<std::unique_ptr<HttpTestClient>> clients;
            for (int i = 0; i < 30; ++i) {
                QByteArray bytes = valid;
                const int edits = 1 + int(random.bounded(6));
                for (int e = 0; e < edits; ++e) {
                    const int at = int(random.bounded(bytes.size()));
                    switch (random.bounded(3)) {
                    case 0:
                        bytes[at] = char(random.bounded(256));
                        break;
                    case 1:
                        bytes.remove(at, 1 + int(random.bounded(8)));
                        break;
                    default:
                        bytes.insert(at, QByteArray(1 + int(random.bounded(8)), char(random.bounded(256))));
                        break;
                    }
                }
                clients.push_back(std::make_unique<HttpTestClient>(f->port()));
                clients.back()->sendRaw(bytes);
            }
            for (auto& c : clients) {
                const HttpResponse r = c->readResponse(2500);
                QVERIFY(r.status == 0 || (r.status >= 200 && r.status < 600));
            }
        }
        // Clients that vanish half way through.
        for (int i = 0; i < 20; ++i) {
            HttpTestClient c = f->client();
            c.sendRaw(valid.left(valid.size() - 5));
            c.socket().abort();
        }
        QVERIFY(serverStillAnswers());
    }

    void manyConnectionsAtOnce()
    {
        const QMap<int, int> statuses = LoadRunner::run(
            {f->port()}, validateRequest("{\"license_key\":\"PE-AAAAA-BBBBB-CCCCC-DDDDD\"}"), 400, 35);
        QCOMPARE(statuses.value(200), 400);
    }
};

QTEST_GUILESS_MAIN(TestServerHttp)
#include "TestServerHttp.moc"
