#pragma once

#include "IpAddress.h"
#include "IpGuard.h"
#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace keyward {

struct StoreContext;

// An end-user IP as the support desk sees it.
struct IpState
{
    QString ip;
    int strikes = 0;
    int timeouts = 0;
    QDateTime timeoutUntil;
    bool blacklisted = false;
    QDateTime blacklistedAt;
    QString reason;
    QString lastKeyHint;
    int restores = 0;
    QDateTime firstSeenAt;
    QDateTime lastSeenAt;
    QDateTime liftedAt;

    bool timedOut(const QDateTime& now) const { return timeoutUntil.isValid() && timeoutUntil > now; }
};

struct IpEventRecord
{
    qint64 id = 0;
    QString ip;
    QDateTime at;
    QString kind; // timeout, blacklist, lift, restore
    QJsonObject detail;
};

struct IpStateFilter
{
    enum class State
    {
        All,
        Blacklisted,
        TimedOut
    };
    State state = State::All;
    QString ipPrefix;
};

struct WhitelistEntry
{
    qint64 id = 0;
    QString cidr;
    QString note;
    QDateTime createdAt;
};

// Lifting a ban, the one rule for every path (a ticket, the support desk): someone found willfully
// malicious twice is never restored; someone blacklisted again after a restore needs identity
// proof first.
Status restorePolicy(const IpState& state, int maliciousFindings, bool identityProof);

// The stored side of IP abuse protection: states, evidence events, lifts and the whitelist.
class IpStore
{
public:
    explicit IpStore(StoreContext& context) : m_ctx(context) {}

    // Stores what an IpGuard decided (one transaction); not audited, the events are the record.
    Status record(const std::vector<IpEvent>& events);
    // Shared state for IpGuard::merge: bans, running timeouts, recent lifts and timeouts.
    Result<std::vector<IpStateSnapshot>> snapshot(const QDateTime& now, int windowSeconds) const;

    Result<IpState> find(const QString& ip) const; // NotFound when the IP never misbehaved
    Result<std::vector<IpState>> list(const IpStateFilter& filter, qint64 offset, int limit) const;
    Result<qint64> count(const IpStateFilter& filter) const;
    Result<std::vector<IpEventRecord>> events(const QString& ip, int limit) const;
    // Sum of the malicious findings in the tickets about this IP (or this license key).
    Result<int> maliciousFindings(const QString& ip, const QString& licenseKey = {}) const;

    // A person lifts the IP's ban or timeout, under restorePolicy; audited. Lifting a blacklist
    // counts as a restore. Returns the state after the lift.
    Result<IpState> lift(const QString& ip, bool identityProof, const QString& note,
                         const QString& licenseKey = {});

    Result<std::vector<WhitelistEntry>> whitelist() const;
    Result<std::vector<Cidr>> whitelistRanges() const;
    Result<WhitelistEntry> addToWhitelist(const QString& cidr, const QString& note);
    Status removeFromWhitelist(qint64 id);

private:
    Result<std::vector<IpState>> select(const QString& tail, const QVariantList& values) const;
    Status addEvent(const QString& ip, const QDateTime& at, const QString& kind, const QJsonObject& detail);

    StoreContext& m_ctx;
};

} // namespace keyward
