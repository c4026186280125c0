#include "PublicConnection.h"

#include <QTest>

using namespace keyward::server;

// The request-head reading of the public API's own HTTP connections: which requests stay on it,
// and what a head must look like (the rest is QtHttpServer's, see TestServerHttp).
class TestPublicConnection : public QObject
{
    Q_OBJECT

    static bool parse(const QByteArray& head, HttpHead& out, int& status)
    {
        QString message;
        status = 0;
        const bool ok = PublicConnection::parseHead(head.constData(), head.size(), out, status, message);
        if (!ok && message.isEmpty())
            status = -1; // a refusal must say why
        return ok;
    }

private Q_SLOTS:
    void publicRequestsAreRecognised_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("isPublic");
        QTest::addColumn<bool>("decided");
        QTest::newRow("validate") << QByteArray("POST /api/v1/validate HTTP/1.1\r\n") << true << true;
        QTest::newRow("lookup") << QByteArray("GET /api/v1/license/PE-1 HTTP/1.1") << true << true;
        QTest::newRow("exactly the prefix") << QByteArray("GET /api/") << true << true;
        QTest::newRow("admin") << QByteArray("GET /admin/v1/keys HTTP/1.1\r\n") << false << true;
        QTest::newRow("root") << QByteArray("GET / HTTP/1.1\r\n") << false << true;
        QTest::newRow("api without slash") << QByteArray("GET /apix HTTP/1.1") << false << true;
        QTest::newRow("lower-case method") << QByteArray("post /api/v1/validate HTTP/1.1") << false << true;
        QTest::newRow("tls hello") << QByteArray("\x16\x03\x01\x02\x00", 5) << false << true;
        QTest::newRow("method too long") << QByteArray("ABCDEFGHIJKLMNOPQRS /api/") << false << true;
        QTest::newRow("part of a method") << QByteArray("PO") << false << false;
        QTest::newRow("part of the path") << QByteArray("POST /ap") << false << false;
        QTest::newRow("nothing yet") << QByteArray() << false << false;
    }

    void publicRequestsAreRecognised()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, isPublic);
        QFETCH(bool, decided);
        bool wasDecided = !decided;
        QCOMPARE(PublicConnection::isPublicRequest(bytes.constData(), bytes.size(), wasDecided), isPublic);
        QCOMPARE(wasDecided, decided);
    }

    void headFields()
    {
        HttpHead head;
        int status = 0;
        QVERIFY(parse("POST /api/v1/validate?x=1 HTTP/1.1\r\nHost: a\r\ncontent-LENGTH:  42 \r\n"
                      "Authorization: Bearer kw_abc\r\nX-Forwarded-For: 10.0.0.1\r\n"
                      "x-forwarded-for: 10.0.0.2\r\nExpect: 100-Continue",
                      head, status));
        QCOMPARE(head.method, QByteArray("POST"));
        QCOMPARE(head.target, QByteArray("/api/v1/validate?x=1"));
        QCOMPARE(head.contentLength, 42);
        QCOMPARE(head.authorization, QByteArray("Bearer kw_abc"));
        QCOMPARE(head.forwardedFor, QByteArray("10.0.0.1, 10.0.0.2")); // several headers are one list
        QVERIFY(head.expectContinue);
        QVERIFY(!head.wantsClose);
    }

    void connectionPersistence_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("close");
        QTest::newRow("1.1 default") << QByteArray("GET /api/ HTTP/1.1\r\nHost: a") << false;
        QTest::newRow("1.1 close") << QByteArray("GET /api/ HTTP/1.1\r\nConnection: Close") << true;
        QTest::newRow("1.1 list with close")
            << QByteArray("GET /api/ HTTP/1.1\r\nConnection: keep-alive, close") << true;
        QTest::newRow("1.0 default") << QByteArray("GET /api/ HTTP/1.0") << true;
        QTest::newRow("1.0 keep-alive")
            << QByteArray("GET /api/ HTTP/1.0\r\nConnection: Keep-Alive") << false;
        QTest::newRow("bare line feeds") << QByteArray("GET /api/ HTTP/1.1\nConnection: close") << true;
    }

    void connectionPersistence()
    {
        QFETCH(QByteArray, head);
        QFETCH(bool, close);
        HttpHead parsed;
        int status = 0;
        QVERIFY(parse(head, parsed, status));
        QCOMPARE(parsed.wantsClose, close);
    }

    void badHeadsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("status");
        QTest::newRow("no version") << QByteArray("GET /api/v1/license/x") << 400;
        QTest::newRow("http/2") << QByteArray("GET /api/ HTTP/2.0") << 400;
        QTest::newRow("empty target") << QByteArray("GET  HTTP/1.1") << 400;
        QTest::newRow("extra space") << QByteArray("GET /api/ x HTTP/1.1") << 400;
        QTest::newRow("header without colon") << QByteArray("GET /api/ HTTP/1.1\r\nHost a") << 400;
        QTest::newRow("empty header name") << QByteArray("GET /api/ HTTP/1.1\r\n: a") << 400;
        QTest::newRow("space in name") << QByteArray("GET /api/ HTTP/1.1\r\nContent Length: 1") << 400;
        QTest::newRow("folded line") << QByteArray("GET /api/ HTTP/1.1\r\nHost: a\r\n b") << 400;
        QTest::newRow("signed length") << QByteArray("POST /api/ HTTP/1.1\r\nContent-Length: +5") << 400;
        QTest::newRow("empty length") << QByteArray("POST /api/ HTTP/1.1\r\nContent-Length:") << 400;
        QTest::newRow("huge length") << QByteArray(
                                            "POST /api/ HTTP/1.1\r\nContent-Length: 99999999999999999999")
                                     << 400;
        QTest::newRow("lengths disagree")
            << QByteArray("POST /api/ HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6") << 400;
        QTest::newRow("chunked") << QByteArray("POST /api/ HTTP/1.1\r\nTransfer-Encoding: chunked") << 411;
    }

    void badHeadsAreRefused()
    {
        QFETCH(QByteArray, head);
        QFETCH(int, status);
        HttpHead parsed;
        int got = 0;
        QVERIFY(!parse(head, parsed, got));
        QCOMPARE(got, status);
    }

    void sameLengthTwiceIsAccepted()
    {
        HttpHead head;
        int status = 0;
        QVERIFY(parse("POST /api/ HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5", head, status));
        QCOMPARE(head.contentLength, 5);
    }
};

QTEST_GUILESS_MAIN(TestPublicConnection)
#include "TestPublicConnection.moc"
