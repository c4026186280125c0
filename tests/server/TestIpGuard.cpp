#include "IpAddress.h"
#include "IpGuard.h"

#include <QJsonArray>
#include <QTest>

using namespace keyward;

// The per-IP abuse rules, in memory, with an explicit clock.
class TestIpGuard : public QObject
{
    Q_OBJECT

    const QDateTime t0 = QDateTime::fromString(QStringLiteral("2026-03-01T10:00:00Z"), Qt::ISODate);
    const QString ip = QStringLiteral("203.0.113.7");

    static IpRules rules()
    {
        IpRules r;
        r.tooFastRequests = 5;
        r.tooFastWindowSeconds = 10;
        r.unknownKeys = 4;
        r.unknownKeyWindowSeconds = 60;
        r.timeoutSeconds = 30;
        r.blacklistAfterTimeouts = 3;
        r.blacklistWindowSeconds = 3600;
        return r;
    }

    // Sends requests until the guard times the IP out; returns how many were allowed.
    static int burstUntilTimeout(IpGuard& guard, const QString& ip, const QDateTime& at)
    {
        int allowed = 0;
        while (guard.admit(ip, at).verdict == IpVerdict::Allowed && allowed < 1000)
            ++allowed;
        return allowed;
    }

private Q_SLOTS:
    void addressesAndRanges()
    {
        QCOMPARE(IpAddress::parse(QStringLiteral("::ffff:127.0.0.1"))->toString(),
                 QStringLiteral("127.0.0.1"));
        QVERIFY(IpAddress::parse(QStringLiteral("::ffff:127.0.0.1"))->isV4());
        QCOMPARE(IpAddress::parse(QStringLiteral("2001:DB8:0::1"))->toString(),
                 QStringLiteral("2001:db8::1"));
        QVERIFY(!IpAddress::parse(QStringLiteral("300.1.1.1")));
        QVERIFY(!IpAddress::parse(QStringLiteral("example.com")));
        QVERIFY(!IpAddress::parse(QString()));

        auto net = Cidr::parse(QStringLiteral("10.1.2.3/8"));
        QVERIFY(net);
        QCOMPARE(net->toString(), QStringLiteral("10.0.0.0/8"));
        QVERIFY(net->contains(QStringLiteral("10.255.0.1")));
        QVERIFY(net->contains(QStringLiteral("::ffff:10.0.0.9")));
        QVERIFY(!net->contains(QStringLiteral("11.0.0.1")));
        QVERIFY(!net->contains(QStringLiteral("2001:db8::1")));
        auto odd = Cidr::parse(QStringLiteral("192.168.4.0/22"));
        QVERIFY(odd->contains(QStringLiteral("192.168.7.255")));
        QVERIFY(!odd->contains(QStringLiteral("192.168.8.0")));
        auto v6 = Cidr::parse(QStringLiteral("2001:db8::/32"));
        QVERIFY(v6->contains(QStringLiteral("2001:db8:ffff::1")));
        QVERIFY(!v6->contains(QStringLiteral("2001:db9::1")));
        QCOMPARE(Cidr::parse(QStringLiteral("198.51.100.4"))->toString(), QStringLiteral("198.51.100.4/32"));
        QVERIFY(Cidr::parse(QStringLiteral("0.0.0.0/0"))->contains(QStringLiteral("8.8.8.8")));
        QVERIFY(!Cidr::parse(QStringLiteral("10.0.0.0/33")));
        QVERIFY(!Cidr::parse(QStringLiteral("10.0.0.0/x")));
        QVERIFY(!Cidr::parse(QStringLiteral("nonsense/8")));
    }

    void tooFastTimesOut()
    {
        IpGuard guard(rules());
        QCOMPARE(burstUntilTimeout(guard, ip, t0), 5);
        IpAdmission refused = guard.admit(ip, t0);
        QCOMPARE(refused.verdict, IpVerdict::TimedOut);
        QCOMPARE(refused.retryAfterSeconds, 30);
        QCOMPARE(guard.admit(ip, t0.addSecs(20)).retryAfterSeconds, 10);
        QCOMPARE(guard.check(ip, t0.addMSecs(29500)).retryAfterSeconds, 1);
        // Other IPs are not affected.
        QCOMPARE(guard.admit(QStringLiteral("198.51.100.1"), t0).verdict, IpVerdict::Allowed);
        // After the timeout the IP starts with a full burst again.
        QCOMPARE(burstUntilTimeout(guard, ip, t0.addSecs(31)), 5);

        const std::vector<IpEvent> events = guard.takeEvents();
        QCOMPARE(events.size(), size_t(2));
        const IpEvent& e = events.front();
        QCOMPARE(e.ip, ip);
        QCOMPARE(e.kind, QStringLiteral("timeout"));
        QCOMPARE(e.reason, QStringLiteral("too_fast"));
        QCOMPARE(e.detail.value(QStringLiteral("limit")).toInt(), 5);
        QCOMPARE(e.detail.value(QStringLiteral("requests_in_window")).toInt(), 6);
        QCOMPARE(e.timeoutUntil, t0.addSecs(30));
        QCOMPARE(e.timeouts, 1);
        QVERIFY(guard.takeEvents().empty());
    }

    void steadyTrafficBelowTheRateIsFine()
    {
        IpGuard guard(rules()); // 5 per 10 s: one request every 2 s forever
        for (int i = 0; i < 200; ++i)
            QCOMPARE(guard.admit(ip, t0.addSecs(2 * i)).verdict, IpVerdict::Allowed);
        QVERIFY(guard.takeEvents().empty());
    }

    void unknownKeyStorm()
    {
        IpGuard guard(rules());
        // The same wrong key retried is a typo, not a storm.
        for (int i = 0; i < 10; ++i)
            guard.noteUnknownKey(ip, QStringLiteral("AAAAA-BBBBB-CCCCC-DDDDD"), t0.addSecs(i * 3));
        QCOMPARE(guard.check(ip, t0.addSecs(30)).verdict, IpVerdict::Allowed);
        // Distinct keys (the retried one counts once): the fourth within a minute times the IP out.
        for (int i = 0; i < 2; ++i)
            guard.noteUnknownKey(ip, QStringLiteral("KEY-%1-XXXXXXXXXXXX").arg(i), t0.addSecs(40 + i));
        QCOMPARE(guard.check(ip, t0.addSecs(43)).verdict, IpVerdict::Allowed);
        guard.noteUnknownKey(ip, QStringLiteral("KEY-9-XXXXXXXXWXYZ"), t0.addSecs(44));
        QCOMPARE(guard.check(ip, t0.addSecs(44)).verdict, IpVerdict::TimedOut);
        const auto events = guard.takeEvents();
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events.front().reason, QStringLiteral("unknown_keys"));
        QCOMPARE(events.front().lastKeyHint, QStringLiteral("...WXYZ"));
        QCOMPARE(events.front().detail.value(QStringLiteral("unknown_keys_in_window")).toInt(), 4);
        QVERIFY(!events.front()
                     .detail.value(QStringLiteral("last_key_hint"))
                     .toString()
                     .contains(QLatin1String("KEY-9")));

        // Spread over more than the window they do not add up.
        IpGuard slow(rules());
        for (int i = 0; i < 20; ++i)
            slow.noteUnknownKey(ip, QStringLiteral("SLOW-%1-XXXXXXXXXXXX").arg(i), t0.addSecs(i * 25));
        QCOMPARE(slow.check(ip, t0.addSecs(500)).verdict, IpVerdict::Allowed);
    }

    void repeatedTimeoutsBlacklist()
    {
        IpGuard guard(rules());
        QDateTime now = t0;
        for (int round = 1; round <= 2; ++round) {
            burstUntilTimeout(guard, ip, now);
            QCOMPARE(guard.admit(ip, now).verdict, IpVerdict::TimedOut);
            now = now.addSecs(31);
        }
        burstUntilTimeout(guard, ip, now);
        QCOMPARE(guard.admit(ip, now).verdict, IpVerdict::Blacklisted);
        // Blacklisted for good: a day later still blocked.
        QCOMPARE(guard.admit(ip, now.addDays(1)).verdict, IpVerdict::Blacklisted);
        const auto events = guard.takeEvents();
        QCOMPARE(events.size(), size_t(3));
        QCOMPARE(events.back().kind, QStringLiteral("blacklist"));
        QVERIFY(events.back().blacklisted);
        QCOMPARE(events.back().timeouts, 3);
        QCOMPARE(events.back().detail.value(QStringLiteral("timeouts_in_window")).toInt(), 3);

        // Timeouts further apart than the blacklist window do not blacklist.
        IpGuard spread(rules());
        for (int round = 0; round < 6; ++round) {
            const QDateTime at = t0.addSecs(round * 3601);
            burstUntilTimeout(spread, ip, at);
            QCOMPARE(spread.admit(ip, at).verdict, IpVerdict::TimedOut);
        }
    }

    void whitelistedIpsAreOnlyTimedOut()
    {
        IpGuard guard(rules());
        guard.setWhitelist({*Cidr::parse(QStringLiteral("203.0.113.0/24"))});
        QVERIFY(guard.whitelisted(ip));
        QVERIFY(!guard.whitelisted(QStringLiteral("203.0.114.1")));
        QDateTime now = t0;
        for (int round = 0; round < 6; ++round) {
            burstUntilTimeout(guard, ip, now);
            QCOMPARE(guard.admit(ip, now).verdict, IpVerdict::TimedOut);
            now = now.addSecs(31);
        }
        QCOMPARE(guard.admit(ip, now).verdict, IpVerdict::Allowed);
        const auto events = guard.takeEvents();
        QCOMPARE(events.size(), size_t(6));
        for (const IpEvent& e : events) {
            QCOMPARE(e.kind, QStringLiteral("timeout"));
            QVERIFY(!e.blacklisted);
            QVERIFY(e.detail.value(QStringLiteral("whitelisted")).toBool());
        }
    }

    void rulesCanBeTurnedOff()
    {
        IpRules r = rules();
        r.tooFastRequests = 0;
        r.unknownKeys = 0;
        IpGuard guard(r);
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(guard.admit(ip, t0).verdict, IpVerdict::Allowed);
        for (int i = 0; i < 100; ++i)
            guard.noteUnknownKey(ip, QStringLiteral("OFF-%1-XXXXXXXXXXXX").arg(i), t0);
        QCOMPARE(guard.check(ip, t0).verdict, IpVerdict::Allowed);
    }

    void sharedStateIsMerged()
    {
        IpGuard guard(rules());
        // Another instance blacklisted this IP and timed out a second one.
        IpStateSnapshot banned;
        banned.ip = ip;
        banned.blacklisted = true;
        IpStateSnapshot waiting;
        waiting.ip = QStringLiteral("198.51.100.9");
        waiting.timeoutUntil = t0.addSecs(12);
        guard.merge({banned, waiting}, t0);
        QCOMPARE(guard.admit(ip, t0).verdict, IpVerdict::Blacklisted);
        QCOMPARE(guard.admit(waiting.ip, t0).retryAfterSeconds, 12);

        // A person lifted the ban: every instance drops it at its next merge.
        banned.blacklisted = false;
        banned.liftedAt = t0.addSecs(5);
        guard.merge({banned}, t0.addSecs(6));
        QCOMPARE(guard.admit(ip, t0.addSecs(6)).verdict, IpVerdict::Allowed);
        // Merging the same lift again changes nothing.
        guard.merge({banned}, t0.addSecs(7));

        // Timeouts recorded elsewhere count toward this instance's blacklist decision.
        IpStateSnapshot history;
        history.ip = QStringLiteral("192.0.2.1");
        history.recentTimeouts = {t0.addSecs(-100), t0.addSecs(-50)};
        guard.merge({history}, t0);
        burstUntilTimeout(guard, history.ip, t0);
        QCOMPARE(guard.admit(history.ip, t0).verdict, IpVerdict::Blacklisted);
    }

    void forgetAndSweep()
    {
        IpGuard guard(rules());
        burstUntilTimeout(guard, ip, t0);
        QCOMPARE(guard.admit(ip, t0).verdict, IpVerdict::TimedOut);
        guard.forget(ip);
        QCOMPARE(guard.admit(ip, t0).verdict, IpVerdict::Allowed);
        for (int i = 0; i < 50; ++i)
            guard.admit(QStringLiteral("10.0.0.%1").arg(i), t0);
        QVERIFY(guard.trackedCount() >= 50);
        guard.sweep(t0.addSecs(7200));
        QCOMPARE(guard.trackedCount(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestIpGuard)
#include "TestIpGuard.moc"
