#include "IpGuard.h"
#include "Store.h"
#include "TestDatabase.h"

#include <QTest>

using namespace keyward;

// Unban tickets, the restore policy and the stored IP evidence.
class TestTicketStore : public QObject
{
    Q_OBJECT

    const QDateTime t0 = QDateTime::fromString(QStringLiteral("2026-03-01T10:00:00Z"), Qt::ISODate);
    const QString ip = QStringLiteral("203.0.113.7");

    // Blacklists ip the way the server does: an IpGuard decides, the store records its events.
    static void blacklist(Store& store, const QString& ip, const QDateTime& at)
    {
        IpRules rules;
        rules.tooFastRequests = 1;
        rules.blacklistAfterTimeouts = 1;
        IpGuard guard(rules);
        guard.admit(ip, at);
        QCOMPARE(guard.admit(ip, at).verdict, IpVerdict::Blacklisted);
        QVERIFY(store.ips().record(guard.takeEvents()));
    }

    static void timeOut(Store& store, const QString& ip, const QDateTime& at)
    {
        IpRules rules;
        rules.tooFastRequests = 1;
        rules.blacklistAfterTimeouts = 0;
        IpGuard guard(rules);
        guard.admit(ip, at);
        QCOMPARE(guard.admit(ip, at).verdict, IpVerdict::TimedOut);
        QVERIFY(store.ips().record(guard.takeEvents()));
    }

    Ticket openTicket(Store& store, const QString& key = QStringLiteral("PE-AAAAA-BBBBB-CCCCC"))
    {
        NewTicket t;
        t.ip = ip;
        t.licenseKey = key;
        t.details = QStringLiteral("I was blocked after a bad update of the app.");
        t.requester = QStringLiteral("vendor");
        auto created = store.tickets().open(t);
        if (!created)
            qFatal("%s", qPrintable(created.errorMessage()));
        return *created;
    }

    std::unique_ptr<Store> openStore(TestDatabase& tdb)
    {
        auto store = tdb.open();
        if (store) {
            store->setActor(QStringLiteral("test:support"));
            QDateTime now = t0;
            store->setClock([this] { return m_now; });
            m_now = now;
        }
        return store;
    }

    QDateTime m_now;

private Q_SLOTS:
    void ipEvidenceIsStored()
    {
        KW_TEST_DATABASE(tdb);
        auto store = openStore(*tdb);
        QVERIFY(store);
        timeOut(*store, ip, t0);
        auto state = store->ips().find(ip);
        QVERIFY2(state, qPrintable(state.errorMessage()));
        QCOMPARE(state->timeouts, 1);
        QVERIFY(!state->blacklisted);
        QVERIFY(state->timedOut(t0));
        QCOMPARE(state->reason, QStringLiteral("too_fast"));
        auto events = store->ips().events(ip, 10);
        QCOMPARE(events->size(), size_t(1));
        QCOMPARE(events->front().kind, QStringLiteral("timeout"));
        QCOMPARE(events->front().detail.value(QStringLiteral("rule")).toString(), QStringLiteral("too_fast"));

        blacklist(*store, ip, t0.addSecs(1));
        state = store->ips().find(ip);
        QVERIFY(state->blacklisted);
        QCOMPARE(state->timeouts, 2);
        QCOMPARE(store->ips().events(ip, 10)->size(), size_t(2));

        IpStateFilter banned;
        banned.state = IpStateFilter::State::Blacklisted;
        QCOMPARE(*store->ips().count(banned), 1);
        IpStateFilter waiting;
        waiting.state = IpStateFilter::State::TimedOut;
        timeOut(*store, QStringLiteral("198.51.100.2"), t0);
        QCOMPARE(*store->ips().count(waiting), 1);
        QCOMPARE(*store->ips().count({}), 2);
        QCOMPARE(store->ips().list({}, 0, 10)->size(), size_t(2));

        auto snapshot = store->ips().snapshot(t0, 3600);
        QVERIFY(snapshot);
        QCOMPARE(snapshot->size(), size_t(2));
        for (const IpStateSnapshot& s : *snapshot) {
            if (s.ip == ip) {
                QVERIFY(s.blacklisted);
                QCOMPARE(s.recentTimeouts.size(), size_t(2));
            }
        }
        QCOMPARE(store->ips().find(QStringLiteral("192.0.2.200")).errorKind(), ErrorKind::NotFound);
    }

    void workflow()
    {
        KW_TEST_DATABASE(tdb);
        auto store = openStore(*tdb);
        QVERIFY(store);
        Ticket t = openTicket(*store);
        QCOMPARE(t.status, TicketStatus::Open);
        QCOMPARE(t.requester, QStringLiteral("vendor"));
        QVERIFY(store->tickets().addNote(t.id, QStringLiteral("Asked for the order number.")));
        QCOMPARE(store->tickets().addNote(t.id, QStringLiteral("  ")).errorKind(), ErrorKind::Invalid);
        QVERIFY(store->tickets().changeStatus(t.id, TicketStatus::InReview, {}));
        QCOMPARE(store->tickets().changeStatus(t.id, TicketStatus::Open, {}).errorKind(),
                 ErrorKind::Conflict);
        QVERIFY(store->tickets().changeStatus(t.id, TicketStatus::NeedsProof, {}));
        QCOMPARE(store->tickets().changeStatus(t.id, TicketStatus::Denied, {}).errorKind(),
                 ErrorKind::Invalid);
        auto denied =
            store->tickets().changeStatus(t.id, TicketStatus::Denied, QStringLiteral("No proof sent."));
        QVERIFY(denied);
        QCOMPARE(denied->status, TicketStatus::Denied);
        QVERIFY(denied->closedAt.isValid());
        // Closed is final.
        QCOMPARE(store->tickets().changeStatus(t.id, TicketStatus::InReview, {}).errorKind(),
                 ErrorKind::Conflict);
        QCOMPARE(store->tickets().setIdentityProof(t.id, true, {}).errorKind(), ErrorKind::Conflict);
        auto notes = store->tickets().notes(t.id);
        QCOMPARE(notes->size(), size_t(1));
        QCOMPARE(notes->front().author, QStringLiteral("test:support"));

        AuditFilter f;
        f.objectType = QStringLiteral("ticket");
        QCOMPARE(*store->audit().count(f), 5); // open, note, 3 status changes

        TicketFilter open;
        open.openOnly = true;
        QCOMPARE(*store->tickets().count(open), 0);
        QCOMPARE(*store->tickets().count({}), 1);

        NewTicket bad;
        QCOMPARE(store->tickets().open(bad).errorKind(), ErrorKind::Invalid);
        bad.ip = QStringLiteral("not-an-ip");
        QCOMPARE(store->tickets().open(bad).errorKind(), ErrorKind::Invalid);
    }

    void restoreLiftsTheBan()
    {
        KW_TEST_DATABASE(tdb);
        auto store = openStore(*tdb);
        QVERIFY(store);
        blacklist(*store, ip, t0);
        Ticket t = openTicket(*store);
        auto restored =
            store->tickets().changeStatus(t.id, TicketStatus::Restored, QStringLiteral("Good faith."));
        QVERIFY2(restored, qPrintable(restored.errorMessage()));
        auto state = store->ips().find(ip);
        QVERIFY(!state->blacklisted);
        QCOMPARE(state->restores, 1);
        QVERIFY(state->liftedAt.isValid());
        QCOMPARE(store->ips().events(ip, 10)->front().kind, QStringLiteral("restore"));
        AuditFilter f;
        f.actionPrefix = QStringLiteral("ip.restore");
        QCOMPARE(*store->audit().count(f), 1);
    }

    // "A user blacklisted again after being restored needs identity proof before another restore."
    void repeatBanNeedsIdentityProof()
    {
        KW_TEST_DATABASE(tdb);
        auto store = openStore(*tdb);
        QVERIFY(store);
        blacklist(*store, ip, t0);
        QVERIFY(store->ips().lift(ip, false, QStringLiteral("first time")));
        m_now = t0.addDays(1);
        blacklist(*store, ip, m_now.addSecs(1));
        m_now = m_now.addSecs(2);

        Ticket t = openTicket(*store);
        auto refused = store->tickets().changeStatus(t.id, TicketStatus::Restored, QStringLiteral("again"));
        QCOMPARE(refused.errorKind(), ErrorKind::Conflict);
        QVERIFY(refused.errorMessage().contains(QLatin1String("identity")));
        QVERIFY(store->ips().find(ip)->blacklisted);
        QCOMPARE(store->tickets().find(t.id)->status, TicketStatus::Open);
        // The direct lift follows the same rule.
        QCOMPARE(store->ips().lift(ip, false, {}).errorKind(), ErrorKind::Conflict);

        QVERIFY(store->tickets().setIdentityProof(t.id, true, QStringLiteral("Passport checked.")));
        QVERIFY(
            store->tickets().changeStatus(t.id, TicketStatus::Restored, QStringLiteral("Identity proven.")));
        QVERIFY(!store->ips().find(ip)->blacklisted);
        QCOMPARE(store->ips().find(ip)->restores, 2);
    }

    // "End users proven to be willfully malicious multiple times will not be restored."
    void twiceMaliciousIsNeverRestored()
    {
        KW_TEST_DATABASE(tdb);
        auto store = openStore(*tdb);
        QVERIFY(store);
        blacklist(*store, ip, t0);
        Ticket first = openTicket(*store);
        QVERIFY(store->tickets().addMaliciousFinding(first.id, QStringLiteral("Tested 400 stolen keys.")));
        QCOMPARE(store->tickets().addMaliciousFinding(first.id, {}).errorKind(), ErrorKind::Invalid);
        QVERIFY(store->tickets().changeStatus(first.id, TicketStatus::Denied, QStringLiteral("Malicious.")));

        Ticket second = openTicket(*store);
        QVERIFY(store->tickets().addMaliciousFinding(second.id, QStringLiteral("Again, from the same key.")));
        QVERIFY(store->tickets().setIdentityProof(second.id, true, {}));
        QCOMPARE(*store->ips().maliciousFindings(ip), 2);
        auto refused =
            store->tickets().changeStatus(second.id, TicketStatus::Restored, QStringLiteral("please"));
        QCOMPARE(refused.errorKind(), ErrorKind::Conflict);
        QVERIFY(refused.errorMessage().contains(QLatin1String("malicious")));
        QCOMPARE(store->ips().lift(ip, true, {}).errorKind(), ErrorKind::Conflict);
        QVERIFY(store->ips().find(ip)->blacklisted);

        // Findings follow the license key to another IP as well.
        const QString other = QStringLiteral("198.51.100.77");
        QCOMPARE(*store->ips().maliciousFindings(other, QStringLiteral("PE-AAAAA-BBBBB-CCCCC")), 2);
        QCOMPARE(*store->ips().maliciousFindings(other), 0);
    }

    void unbanRequestsAreRateLimited()
    {
        KW_TEST_DATABASE(tdb);
        auto store = openStore(*tdb);
        QVERIFY(store);
        NewTicket request;
        request.ip = ip;
        request.licenseKey = QStringLiteral("PE-AAAAA-BBBBB-CCCCC");
        request.details = QStringLiteral("Blocked since this morning.");
        auto first = store->tickets().requestUnban(request, 2);
        QVERIFY2(first, qPrintable(first.errorMessage()));
        QVERIFY(!first->existing);
        QCOMPARE(first->ticket.requester, QStringLiteral("end_user"));
        // While it is open, asking again returns the same ticket.
        auto again = store->tickets().requestUnban(request, 2);
        QVERIFY(again->existing);
        QCOMPARE(again->ticket.id, first->ticket.id);
        QVERIFY(store->tickets().changeStatus(first->ticket.id, TicketStatus::Denied, QStringLiteral("no")));
        auto second = store->tickets().requestUnban(request, 2);
        QVERIFY(second && !second->existing);
        QVERIFY(store->tickets().changeStatus(second->ticket.id, TicketStatus::Denied, QStringLiteral("no")));
        QCOMPARE(store->tickets().requestUnban(request, 2).errorKind(), ErrorKind::LimitReached);
        // A day later it may ask again.
        m_now = t0.addSecs(86401);
        QVERIFY(store->tickets().requestUnban(request, 2));
        request.ip.clear();
        QCOMPARE(store->tickets().requestUnban(request, 2).errorKind(), ErrorKind::Invalid);
    }

    void liftTimeoutAndWhitelist()
    {
        KW_TEST_DATABASE(tdb);
        auto store = openStore(*tdb);
        QVERIFY(store);
        timeOut(*store, ip, t0);
        auto lifted = store->ips().lift(ip, false, QStringLiteral("support call"));
        QVERIFY2(lifted, qPrintable(lifted.errorMessage()));
        QVERIFY(!lifted->timedOut(t0));
        QCOMPARE(lifted->restores, 0); // lifting a timeout is not a restore
        QCOMPARE(store->ips().lift(ip, false, {}).errorKind(), ErrorKind::Conflict);
        QCOMPARE(store->ips().lift(QStringLiteral("bogus"), false, {}).errorKind(), ErrorKind::Invalid);

        auto added = store->ips().addToWhitelist(QStringLiteral("10.1.2.3/16"), QStringLiteral("office"));
        QVERIFY2(added, qPrintable(added.errorMessage()));
        QCOMPARE(added->cidr, QStringLiteral("10.1.0.0/16"));
        QCOMPARE(store->ips().addToWhitelist(QStringLiteral("10.1.0.0/16"), {}).errorKind(),
                 ErrorKind::Conflict);
        QCOMPARE(store->ips().addToWhitelist(QStringLiteral("10.1.0.0/99"), {}).errorKind(),
                 ErrorKind::Invalid);
        QCOMPARE(store->ips().whitelistRanges()->size(), size_t(1));
        QVERIFY(store->ips().whitelistRanges()->front().contains(QStringLiteral("10.1.200.1")));
        QVERIFY(store->ips().removeFromWhitelist(added->id));
        QCOMPARE(store->ips().removeFromWhitelist(added->id).errorKind(), ErrorKind::NotFound);
        AuditFilter f;
        f.actionPrefix = QStringLiteral("whitelist.");
        QCOMPARE(*store->audit().count(f), 2);
    }

    void requestLog()
    {
        KW_TEST_DATABASE(tdb);
        auto store = openStore(*tdb);
        QVERIFY(store);
        std::vector<RequestLogEntry> entries;
        for (int i = 0; i < 450; ++i) {
            RequestLogEntry e;
            e.at = t0.addSecs(i);
            e.ip = i % 2 ? ip : QStringLiteral("198.51.100.1");
            e.endpoint = QStringLiteral("validate");
            e.outcome = i % 3 ? QStringLiteral("active") : QStringLiteral("license_not_found");
            e.keyHint = QStringLiteral("...ABCD");
            entries.push_back(e);
        }
        QVERIFY(store->requestLog().append(entries));
        QCOMPARE(*store->requestLog().count({}), 450);
        RequestLogFilter byIp;
        byIp.ip = ip;
        QCOMPARE(*store->requestLog().count(byIp), 225);
        auto page = store->requestLog().list(byIp, 0, 10);
        QCOMPARE(page->size(), size_t(10));
        QCOMPARE(page->front().at, t0.addSecs(449)); // newest first
        QCOMPARE(*store->requestLog().purgeBefore(t0.addSecs(100)), 100);
        QCOMPARE(*store->requestLog().count({}), 350);

        RequestLogBuffer buffer;
        buffer.add(entries.front());
        buffer.add(entries.back());
        QCOMPARE(buffer.size(), size_t(2));
        QCOMPARE(buffer.take().size(), size_t(2));
        QCOMPARE(buffer.size(), size_t(0));
    }

    // Rows go in many to a statement (and as text narrowed to ASCII where it is ASCII): every
    // field of every row must come back as it was, in whole statements and in the rest.
    void requestLogKeepsEveryField()
    {
        KW_TEST_DATABASE(tdb);
        auto store = openStore(*tdb);
        QVERIFY(store);
        std::vector<RequestLogEntry> entries;
        for (int i = 0; i < 37; ++i) {
            RequestLogEntry e;
            e.at = t0.addMSecs(i * 1001);
            if (i % 4)
                e.productId = 1000 + i;
            if (i % 3)
                e.keyId = 5000 + i;
            e.keyHint = QStringLiteral("...K%1").arg(i);
            e.ip = i % 5 ? QStringLiteral("2001:db8::%1").arg(i) : QStringLiteral("198.51.100.%1").arg(i);
            e.endpoint = i % 2 ? QStringLiteral("activate") : QStringLiteral("validate");
            e.outcome = QStringLiteral("outcome_%1").arg(i);
            e.httpStatus = 200 + i;
            if (i == 7)
                e.detail = QStringLiteral("Zürich – ✓ %1").arg(i);
            else if (i == 20)
                e.detail = QString(300, QLatin1Char('x'));
            else if (i == 33)
                e.detail = QString(300, QLatin1Char('y')) + QStringLiteral("é");
            else if (i % 2)
                e.detail = QStringLiteral("detail %1").arg(i);
            entries.push_back(e);
        }
        QVERIFY(store->requestLog().append(entries));
        auto all = store->requestLog().list({}, 0, 100);
        QVERIFY(all);
        QCOMPARE(all->size(), entries.size());
        for (size_t n = 0; n < entries.size(); ++n) {
            const RequestLogEntry& want = entries[entries.size() - 1 - n]; // newest first
            const RequestLogEntry& got = (*all)[n];
            QCOMPARE(got.at, want.at);
            QCOMPARE(got.productId, want.productId);
            QCOMPARE(got.keyId, want.keyId);
            QCOMPARE(got.keyHint, want.keyHint);
            QCOMPARE(got.ip, want.ip);
            QCOMPARE(got.endpoint, want.endpoint);
            QCOMPARE(got.outcome, want.outcome);
            QCOMPARE(got.httpStatus, want.httpStatus);
            QCOMPARE(got.detail, want.detail);
        }
    }
};

QTEST_GUILESS_MAIN(TestTicketStore)
#include "TestTicketStore.moc"
