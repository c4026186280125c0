#pragma once

#include "IpAddress.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMutex>
#include <QString>

#include <array>
#include <unordered_map>
#include <vector>

namespace keyward {

// Per-IP abuse rules of the public API. Every threshold can be changed; 0 turns a rule off.
struct IpRules
{
    int tooFastRequests = 30;           // requests an IP may send in a burst...
    int tooFastWindowSeconds = 10;      // ...refilled evenly over this many seconds
    int unknownKeys = 10;               // distinct unknown or malformed keys...
    int unknownKeyWindowSeconds = 600;  // ...within this many seconds
    int timeoutSeconds = 300;           // how long a timeout lasts
    int blacklistAfterTimeouts = 3;     // this many timeouts...
    int blacklistWindowSeconds = 86400; // ...within this window blacklist the IP (never a whitelisted one)
};

enum class IpVerdict
{
    Allowed,
    TimedOut,
    Blacklisted
};

struct IpAdmission
{
    IpVerdict verdict = IpVerdict::Allowed;
    qint64 retryAfterSeconds = 0; // while timed out
};

// One change of an IP's state, with its evidence and the state after it, for the support desk.
struct IpEvent
{
    QString ip;
    QDateTime at;
    QString kind; // "timeout" or "blacklist"
    QJsonObject detail;
    int strikes = 0;
    int timeouts = 0;
    QDateTime timeoutUntil;
    bool blacklisted = false;
    QDateTime blacklistedAt;
    QString reason;
    QString lastKeyHint;
};

// What the database says about an IP (written by any server instance or a person).
struct IpStateSnapshot
{
    QString ip;
    QDateTime timeoutUntil;
    bool blacklisted = false;
    QDateTime liftedAt;
    std::vector<QDateTime> recentTimeouts;
};

// Decides, in memory and thread-safely, whether a request from an IP is allowed: too-fast bursts
// and storms of unknown keys (stolen-key testing) time an IP out; repeated timeouts blacklist it,
// which only a person lifts. Whitelisted IPs and ranges are timed out but never blacklisted.
// Changes are queued as IpEvents for the caller to store.
class IpGuard
{
public:
    explicit IpGuard(const IpRules& rules = {});

    void setRules(const IpRules& rules);
    IpRules rules() const;
    void setWhitelist(std::vector<Cidr> ranges);
    bool whitelisted(const QString& ip) const;

    // Counts one request from ip and says whether it may be answered.
    IpAdmission admit(const QString& ip, const QDateTime& now);
    // The IP's state without counting a request.
    IpAdmission check(const QString& ip, const QDateTime& now) const;
    // A request from ip named a key that does not exist or is malformed.
    void noteUnknownKey(const QString& ip, const QString& key, const QDateTime& now);

    // Brings in the shared state: timeouts and blacklists from other instances, lifts by a person.
    void merge(const std::vector<IpStateSnapshot>& states, const QDateTime& now);
    // A person lifted the IP's ban or timeout here; forgets its counters and state.
    void forget(const QString& ip);
    std::vector<IpEvent> takeEvents();
    // Drops IPs that have been quiet longer than every window (bounded memory).
    void sweep(const QDateTime& now);
    size_t trackedCount() const;

private:
    struct Entry
    {
        double tokens = -1; // < 0: a full bucket
        qint64 refilledAt = 0;
        qint64 windowStart = 0;
        int windowCount = 0;
        std::vector<std::pair<size_t, qint64>> unknownKeys; // fingerprint, when
        std::vector<qint64> timeouts;                       // when each recent timeout started
        qint64 timeoutUntil = 0;
        bool blacklisted = false;
        qint64 blacklistedAt = 0;
        qint64 liftedAt = 0;
        int strikes = 0;
        int timeoutCount = 0;
        QString lastKeyHint;
        qint64 lastSeen = 0;
    };
    struct Shard
    {
        mutable QMutex mutex;
        std::unordered_map<QString, Entry> entries;
    };

    Shard& shardFor(const QString& ip);
    const Shard& shardFor(const QString& ip) const;
    IpAdmission verdictOf(const Entry& entry, qint64 now) const;
    void startTimeout(const QString& ip, Entry& entry, qint64 now, const QJsonObject& evidence);
    IpEvent eventFor(const QString& ip, const Entry& entry, qint64 now, const QString& kind,
                     const QJsonObject& detail) const;
    void push(IpEvent event);
    bool whitelistedLocked(const QString& ip) const;

    mutable QMutex m_configMutex;
    IpRules m_rules;
    std::vector<Cidr> m_whitelist;
    std::array<Shard, 16> m_shards;
    QMutex m_eventMutex;
    std::vector<IpEvent> m_events;
};

} // namespace keyward
