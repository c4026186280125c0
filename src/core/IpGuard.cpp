#include "IpGuard.h"

#include "KeyHint.h"
#include "UtcTime.h"

#include <QHash>
#include <QJsonArray>

#include <algorithm>

namespace keyward {
namespace {

qint64 ms(const QDateTime& t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

QDateTime time(qint64 ms)
{
    return ms > 0 ? utcFromMSecs(ms) : QDateTime();
}

template<typename T, typename Old>
void dropOld(std::vector<T>& items, Old isOld)
{
    items.erase(std::remove_if(items.begin(), items.end(), isOld), items.end());
}

constexpr size_t kHintsKept = 10;

} // namespace

IpGuard::IpGuard(const IpRules& rules) : m_rules(rules) {}

void IpGuard::setRules(const IpRules& rules)
{
    QMutexLocker lock(&m_configMutex);
    m_rules = rules;
}

IpRules IpGuard::rules() const
{
    QMutexLocker lock(&m_configMutex);
    return m_rules;
}

void IpGuard::setWhitelist(std::vector<Cidr> ranges)
{
    QMutexLocker lock(&m_configMutex);
    m_whitelist = std::move(ranges);
}

bool IpGuard::whitelisted(const QString& ip) const
{
    QMutexLocker lock(&m_configMutex);
    return whitelistedLocked(ip);
}

bool IpGuard::whitelistedLocked(const QString& ip) const
{
    if (m_whitelist.empty())
        return false;
    auto address = IpAddress::parse(ip);
    if (!address)
        return false;
    return std::any_of(m_whitelist.begin(), m_whitelist.end(),
                       [&](const Cidr& c) { return c.contains(*address); });
}

IpGuard::Shard& IpGuard::shardFor(const QString& ip)
{
    return m_shards[qHash(ip) % m_shards.size()];
}

const IpGuard::Shard& IpGuard::shardFor(const QString& ip) const
{
    return m_shards[qHash(ip) % m_shards.size()];
}

IpAdmission IpGuard::verdictOf(const Entry& entry, qint64 now) const
{
    if (entry.blacklisted)
        return {IpVerdict::Blacklisted, 0};
    if (entry.timeoutUntil > now)
        return {IpVerdict::TimedOut, std::max<qint64>(1, (entry.timeoutUntil - now + 999) / 1000)};
    return {};
}

IpAdmission IpGuard::admit(const QString& ip, const QDateTime& nowTime)
{
    const IpRules r = rules();
    const qint64 now = ms(nowTime);
    Shard& shard = shardFor(ip);
    QMutexLocker lock(&shard.mutex);
    Entry& entry = shard.entries[ip];
    entry.lastSeen = now;
    if (IpAdmission state = verdictOf(entry, now); state.verdict != IpVerdict::Allowed)
        return state;

    const qint64 window = qint64(r.tooFastWindowSeconds) * 1000;
    if (now - entry.windowStart >= window) {
        entry.windowStart = now;
        entry.windowCount = 0;
    }
    ++entry.windowCount;
    if (r.tooFastRequests <= 0 || r.tooFastWindowSeconds <= 0)
        return {};

    // A token bucket: a burst of tooFastRequests, refilled evenly over the window.
    const double capacity = r.tooFastRequests;
    if (entry.tokens < 0) {
        entry.tokens = capacity;
    } else {
        const double refill = double(now - entry.refilledAt) * capacity / double(window);
        entry.tokens = std::min(capacity, entry.tokens + std::max(0.0, refill));
    }
    entry.refilledAt = now;
    if (entry.tokens >= 1.0) {
        entry.tokens -= 1.0;
        return {};
    }
    startTimeout(ip, entry, now,
                 {{QStringLiteral("rule"), QStringLiteral("too_fast")},
                  {QStringLiteral("limit"), r.tooFastRequests},
                  {QStringLiteral("window_seconds"), r.tooFastWindowSeconds},
                  {QStringLiteral("requests_in_window"), entry.windowCount}});
    return verdictOf(entry, now);
}

IpAdmission IpGuard::check(const QString& ip, const QDateTime& now) const
{
    const Shard& shard = shardFor(ip);
    QMutexLocker lock(&shard.mutex);
    auto it = shard.entries.find(ip);
    if (it == shard.entries.end())
        return {};
    return verdictOf(it->second, ms(now));
}

void IpGuard::noteUnknownKey(const QString& ip, const QString& key, const QDateTime& nowTime)
{
    const IpRules r = rules();
    const qint64 now = ms(nowTime);
    const QString hint = keyHint(key);
    Shard& shard = shardFor(ip);
    QMutexLocker lock(&shard.mutex);
    Entry& entry = shard.entries[ip];
    entry.lastSeen = now;
    ++entry.strikes;
    if (!hint.isEmpty())
        entry.lastKeyHint = hint;
    if (r.unknownKeys <= 0 || entry.blacklisted || entry.timeoutUntil > now)
        return;
    const qint64 window = qint64(r.unknownKeyWindowSeconds) * 1000;
    dropOld(entry.unknownKeys, [&](const auto& k) { return now - k.second >= window; });
    const size_t fingerprint = qHash(key.trimmed().toUpper());
    auto same = std::find_if(entry.unknownKeys.begin(), entry.unknownKeys.end(),
                             [&](const auto& k) { return k.first == fingerprint; });
    if (same != entry.unknownKeys.end()) {
        same->second = now; // the same wrong key again is a typo retried, not a storm
        return;
    }
    entry.unknownKeys.emplace_back(fingerprint, now);
    if (int(entry.unknownKeys.size()) < r.unknownKeys)
        return;
    startTimeout(ip, entry, now,
                 {{QStringLiteral("rule"), QStringLiteral("unknown_keys")},
                  {QStringLiteral("limit"), r.unknownKeys},
                  {QStringLiteral("window_seconds"), r.unknownKeyWindowSeconds},
                  {QStringLiteral("unknown_keys_in_window"), int(entry.unknownKeys.size())},
                  {QStringLiteral("last_key_hint"), entry.lastKeyHint}});
    entry.unknownKeys.clear();
}

void IpGuard::startTimeout(const QString& ip, Entry& entry, qint64 now, const QJsonObject& evidence)
{
    IpRules r;
    bool isWhitelisted = false;
    {
        QMutexLocker lock(&m_configMutex);
        r = m_rules;
        isWhitelisted = whitelistedLocked(ip);
    }
    const qint64 window = qint64(r.blacklistWindowSeconds) * 1000;
    dropOld(entry.timeouts, [&](qint64 at) { return now - at >= window; });
    entry.timeouts.push_back(now);
    ++entry.timeoutCount;
    ++entry.strikes;
    entry.timeoutUntil = now + qint64(std::max(1, r.timeoutSeconds)) * 1000;
    entry.tokens = -1;

    QJsonObject detail = evidence;
    detail.insert(QStringLiteral("timeout_seconds"), r.timeoutSeconds);
    detail.insert(QStringLiteral("timeouts_in_window"), int(entry.timeouts.size()));
    if (isWhitelisted)
        detail.insert(QStringLiteral("whitelisted"), true);
    const bool blacklist = r.blacklistAfterTimeouts > 0 &&
                           int(entry.timeouts.size()) >= r.blacklistAfterTimeouts && !isWhitelisted;
    if (blacklist) {
        entry.blacklisted = true;
        entry.blacklistedAt = now;
        detail.insert(QStringLiteral("blacklist_after_timeouts"), r.blacklistAfterTimeouts);
        detail.insert(QStringLiteral("blacklist_window_seconds"), r.blacklistWindowSeconds);
    }
    push(eventFor(ip, entry, now, blacklist ? QStringLiteral("blacklist") : QStringLiteral("timeout"),
                  detail));
}

IpEvent IpGuard::eventFor(const QString& ip, const Entry& entry, qint64 now, const QString& kind,
                          const QJsonObject& detail) const
{
    IpEvent e;
    e.ip = ip;
    e.at = time(now);
    e.kind = kind;
    e.detail = detail;
    e.strikes = entry.strikes;
    e.timeouts = entry.timeoutCount;
    e.timeoutUntil = time(entry.timeoutUntil);
    e.blacklisted = entry.blacklisted;
    e.blacklistedAt = time(entry.blacklistedAt);
    e.reason = detail.value(QStringLiteral("rule")).toString();
    e.lastKeyHint = entry.lastKeyHint;
    return e;
}

void IpGuard::push(IpEvent event)
{
    QMutexLocker lock(&m_eventMutex);
    m_events.push_back(std::move(event));
}

std::vector<IpEvent> IpGuard::takeEvents()
{
    QMutexLocker lock(&m_eventMutex);
    std::vector<IpEvent> out;
    out.swap(m_events);
    return out;
}

void IpGuard::merge(const std::vector<IpStateSnapshot>& states, const QDateTime& nowTime)
{
    const qint64 now = ms(nowTime);
    for (const IpStateSnapshot& state : states) {
        Shard& shard = shardFor(state.ip);
        QMutexLocker lock(&shard.mutex);
        Entry& entry = shard.entries[state.ip];
        if (entry.lastSeen == 0)
            entry.lastSeen = now;
        const qint64 lifted = ms(state.liftedAt);
        if (lifted > entry.liftedAt) {
            // A person lifted the ban or timeout after what this instance knows happened.
            entry.liftedAt = lifted;
            if (entry.blacklistedAt <= lifted) {
                entry.blacklisted = false;
                entry.blacklistedAt = 0;
            }
            dropOld(entry.timeouts, [&](qint64 at) { return at <= lifted; });
            if (entry.timeouts.empty())
                entry.timeoutUntil = 0;
            entry.unknownKeys.clear();
            entry.tokens = -1;
        }
        if (state.blacklisted && !entry.blacklisted) {
            entry.blacklisted = true;
            entry.blacklistedAt = now;
        }
        entry.timeoutUntil = std::max(entry.timeoutUntil, ms(state.timeoutUntil));
        for (const QDateTime& t : state.recentTimeouts) {
            const qint64 at = ms(t);
            if (at > entry.liftedAt &&
                std::find(entry.timeouts.begin(), entry.timeouts.end(), at) == entry.timeouts.end())
                entry.timeouts.push_back(at);
        }
        std::sort(entry.timeouts.begin(), entry.timeouts.end());
    }
}

void IpGuard::forget(const QString& ip)
{
    Shard& shard = shardFor(ip);
    QMutexLocker lock(&shard.mutex);
    shard.entries.erase(ip);
}

void IpGuard::sweep(const QDateTime& nowTime)
{
    const IpRules r = rules();
    const qint64 now = ms(nowTime);
    const qint64 quiet =
        qint64(std::max({r.tooFastWindowSeconds, r.unknownKeyWindowSeconds, r.blacklistWindowSeconds, 1})) *
        1000;
    for (Shard& shard : m_shards) {
        QMutexLocker lock(&shard.mutex);
        for (auto it = shard.entries.begin(); it != shard.entries.end();) {
            const Entry& e = it->second;
            const bool idle = !e.blacklisted && e.timeoutUntil <= now && now - e.lastSeen >= quiet;
            it = idle ? shard.entries.erase(it) : std::next(it);
        }
    }
}

size_t IpGuard::trackedCount() const
{
    size_t n = 0;
    for (const Shard& shard : m_shards) {
        QMutexLocker lock(&shard.mutex);
        n += shard.entries.size();
    }
    return n;
}

} // namespace keyward
