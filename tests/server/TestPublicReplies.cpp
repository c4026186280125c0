#include "PublicReplies.h"

#include <QJsonDocument>
#include <QTest>

using namespace keyward;
using namespace keyward::server;

// The answers of the public API: the bytes written directly on the hot path are exactly what the
// JSON objects would give, for every kind of decision and for text that needs escaping.
class TestPublicReplies : public QObject
{
    Q_OBJECT

    const QDateTime now = QDateTime::fromString(QStringLiteral("2026-03-01T10:00:00Z"), Qt::ISODate);

private Q_SLOTS:
    void directBytesMatchTheObjects_data()
    {
        QTest::addColumn<int>("kind");
        for (int i = 0; i < 6; ++i)
            QTest::newRow(qPrintable(QStringLiteral("case %1").arg(i))) << i;
    }

    void directBytesMatchTheObjects()
    {
        QFETCH(int, kind);
        Product p;
        p.name = QStringLiteral("Phöto \"Editor\"\\ \t\n\x01");
        LicenseKey k;
        k.id = 7;
        k.key = QStringLiteral("PE-AAAAA-BBBBB-CCCCC-DDDDD");
        ValidationDecision d;
        switch (kind) {
        case 0:
            d = Validator::decide(k, {}, now);
            break;
        case 1:
            k.expiresAt = now.addDays(3);
            k.maxDomains = 2;
            k.tokenBalance = 0;
            k.domains = {QStringLiteral("a.example.com"), QStringLiteral("b.example.com")};
            k.uuids = {QStringLiteral("6f9619ff-8b86-d011-b42d-00c04fc964ff")};
            d = Validator::decide(k, {QString(), QString(), QStringLiteral("c.example.com")}, now);
            break;
        case 2:
            d = Validator::decide(std::nullopt, {}, now);
            break;
        case 3: {
            QString normalized;
            d = *Validator::precheck(p, *p.format(), QStringLiteral("PE-x"), normalized);
            break;
        }
        case 4:
            d = Validator::ipBlocked();
            break;
        default:
            k.status = KeyStatus::Revoked;
            k.maxUuids = 1;
            d = Validator::decide(k, {}, now);
            break;
        }
        const HttpReply direct = PublicReplies::decisionReply(200, d, p, now);
        const QByteArray expected =
            QJsonDocument(PublicReplies::decision(d, p, now)).toJson(QJsonDocument::Compact);
        QCOMPARE(direct.body, expected);
        QVERIFY(!QJsonDocument::fromJson(direct.body).isNull());
    }

    void fixedAnswers()
    {
        const HttpReply limited = PublicReplies::rateLimitExceeded(
            QDateTime::fromString(QStringLiteral("2026-03-01T23:30:00Z"), Qt::ISODate));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.headers.value(0).first, QByteArray("Retry-After"));
        QCOMPARE(limited.headers.value(0).second, QByteArray("1800"));
        const QJsonObject o = QJsonDocument::fromJson(limited.body).object();
        QCOMPARE(o.value(QStringLiteral("retry_after")).toInt(), 1800);
        QCOMPARE(o.value(QStringLiteral("message")).toString(),
                 QString::fromLatin1(PublicReplies::rateLimitMessage()));
        const HttpReply fast = PublicReplies::tooFast(42);
        QCOMPARE(fast.headers.value(0).second, QByteArray("42"));
        QCOMPARE(QJsonDocument::fromJson(fast.body).object().value(QStringLiteral("message")).toString(),
                 QStringLiteral("You're sending keys too fast. Please try again later."));
        QCOMPARE(PublicReplies::invalidApiKey().body,
                 QByteArray("{\"status\":\"invalid_api_key\",\"valid\":false}"));
    }
};

QTEST_GUILESS_MAIN(TestPublicReplies)
#include "TestPublicReplies.moc"
