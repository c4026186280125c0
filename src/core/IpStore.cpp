#include "IpStore.h"

#include "AuditLog.h"
#include "Database.h"
#include "SqlValues.h"
#include "StoreContext.h"

#include <QHash>
#include <QJsonDocument>

namespace keyward {
namespace {

const QString kSelect = QStringLiteral("SELECT ip, strikes, timeouts, timeout_until, blacklisted, "
                                       "blacklisted_at, reason, last_key_hint, restores, "
                                       "first_seen_at, last_seen_at, lifted_at FROM ip_states ");

IpState readState(const QSqlQuery& q)
{
    IpState s;
    s.ip = q.value(0).toString();
    s.strikes = q.value(1).toInt();
    s.timeouts = q.value(2).toInt();
    s.timeoutUntil = sql::toTime(q.value(3));
    s.blacklisted = q.value(4).toInt() != 0;
    s.blacklistedAt = sql::toTime(q.value(5));
    s.reason = q.value(6).toString();
    s.lastKeyHint = q.value(7).toString();
    s.restores = q.value(8).toInt();
    s.firstSeenAt = sql::toTime(q.value(9));
    s.lastSeenAt = sql::toTime(q.value(10));
    s.liftedAt = sql::toTime(q.value(11));
    return s;
}

QString json(const QJsonObject& o)
{
    return o.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString filterSql(const IpStateFilter& f, const QDateTime& now, QVariantList& values)
{
    QStringList terms;
    switch (f.state) {
    case IpStateFilter::State::All:
        break;
    case IpStateFilter::State::Blacklisted:
        terms << QStringLiteral("blacklisted = 1");
        break;
    case IpStateFilter::State::TimedOut:
        terms << QStringLiteral("blacklisted = 0 AND timeout_until > ?");
        values << sql::time(now);
        break;
    }
    if (!f.ipPrefix.trimmed().isEmpty()) {
        terms << QStringLiteral("ip LIKE ?");
        QString prefix = f.ipPrefix.trimmed();
        prefix.remove(QLatin1Char('%')).remove(QLatin1Char('_'));
        values << QString(prefix + QLatin1Char('%'));
    }
    return terms.isEmpty() ? QString() : QStringLiteral("WHERE ") + terms.join(QLatin1String(" AND "));
}

} // namespace

Status restorePolicy(const IpState& state, int maliciousFindings, bool identityProof)
{
    if (maliciousFindings >= 2)
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("%1 was found willfully malicious %2 times and cannot be restored.")
                             .arg(state.ip)
                             .arg(maliciousFindings));
    if (state.blacklisted && state.restores >= 1 && !identityProof)
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral("%1 was restored before and has been blacklisted again: record proof of "
                           "identity before restoring it.")
                .arg(state.ip));
    return {};
}

Result<std::vector<IpState>> IpStore::select(const QString& tail, const QVariantList& values) const
{
    auto q = m_ctx.db.exec(kSelect + tail, values);
    if (!q)
        return q.error();
    std::vector<IpState> out;
    while (q->next())
        out.push_back(readState(*q));
    return out;
}

Status IpStore::addEvent(const QString& ip, const QDateTime& at, const QString& kind,
                         const QJsonObject& detail)
{
    auto q = m_ctx.db.exec(QStringLiteral("INSERT INTO ip_events (ip, at, kind, detail) VALUES (?, ?, ?, ?)"),
                           {ip, sql::time(at), kind, sql::text(json(detail))});
    if (!q)
        return q.error();
    return {};
}

Status IpStore::record(const std::vector<IpEvent>& events)
{
    if (events.empty())
        return {};
    Database& db = m_ctx.db;
    Transaction tx(db);
    if (!tx)
        return tx.error();
    for (const IpEvent& e : events) {
        if (auto q = db.exec(
                QStringLiteral("INSERT INTO ip_states (ip, first_seen_at, last_seen_at) VALUES (?, ?, ?) "
                               "ON CONFLICT (ip) DO NOTHING"),
                {e.ip, sql::time(e.at), sql::time(e.at)});
            !q)
            return q.error();
        auto row = select(QStringLiteral("WHERE ip = ?") +
                              (db.isSqlite() ? QString() : QStringLiteral(" FOR UPDATE")),
                          {e.ip});
        if (!row)
            return row.error();
        if (row->empty())
            return makeError(ErrorKind::Internal,
                             QStringLiteral("The state of %1 was not stored.").arg(e.ip));
        const IpState& current = row->front();
        // A person lifted the IP after this happened: keep the evidence, not the stale state.
        const bool stale = current.liftedAt.isValid() && current.liftedAt >= e.at;
        if (!stale) {
            const QDateTime timeoutUntil =
                current.timeoutUntil.isValid() && current.timeoutUntil > e.timeoutUntil ? current.timeoutUntil
                                                                                        : e.timeoutUntil;
            const bool blacklisted = current.blacklisted || e.blacklisted;
            const QDateTime blacklistedAt = current.blacklisted ? current.blacklistedAt : e.blacklistedAt;
            auto q =
                db.exec(QStringLiteral("UPDATE ip_states SET strikes = ?, timeouts = timeouts + 1, "
                                       "timeout_until = ?, blacklisted = ?, blacklisted_at = ?, reason = ?, "
                                       "last_key_hint = ?, last_seen_at = ? WHERE ip = ?"),
                        {std::max(current.strikes, e.strikes), sql::time(timeoutUntil),
                         sql::flag(blacklisted), sql::time(blacklistedAt), sql::text(e.reason),
                         sql::text(e.lastKeyHint.isEmpty() ? current.lastKeyHint : e.lastKeyHint),
                         sql::time(e.at), e.ip});
            if (!q)
                return q.error();
        }
        if (Status s = addEvent(e.ip, e.at, e.kind, e.detail); !s)
            return s;
    }
    return tx.commit();
}

Result<std::vector<IpStateSnapshot>> IpStore::snapshot(const QDateTime& now, int windowSeconds) const
{
    const QDateTime since = now.addSecs(-qint64(std::max(windowSeconds, 1)));
    auto q =
        m_ctx.db.exec(QStringLiteral("SELECT ip, timeout_until, blacklisted, lifted_at FROM ip_states WHERE "
                                     "blacklisted = 1 OR timeout_until > ? OR lifted_at > ?"),
                      {sql::time(now), sql::time(since)});
    if (!q)
        return q.error();
    std::vector<IpStateSnapshot> out;
    QHash<QString, size_t> index;
    while (q->next()) {
        IpStateSnapshot s;
        s.ip = q->value(0).toString();
        s.timeoutUntil = sql::toTime(q->value(1));
        s.blacklisted = q->value(2).toInt() != 0;
        s.liftedAt = sql::toTime(q->value(3));
        index.insert(s.ip, out.size());
        out.push_back(std::move(s));
    }
    auto events =
        m_ctx.db.exec(QStringLiteral("SELECT ip, at FROM ip_events WHERE kind IN ('timeout', 'blacklist') "
                                     "AND at > ? ORDER BY at"),
                      {sql::time(since)});
    if (!events)
        return events.error();
    while (events->next()) {
        const QString ip = events->value(0).toString();
        auto it = index.constFind(ip);
        if (it == index.constEnd()) {
            IpStateSnapshot s;
            s.ip = ip;
            it = index.insert(ip, out.size());
            out.push_back(std::move(s));
        }
        out[*it].recentTimeouts.push_back(sql::toTime(events->value(1)));
    }
    return out;
}

Result<IpState> IpStore::find(const QString& ip) const
{
    auto r = select(QStringLiteral("WHERE ip = ?"), {ip});
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("%1 has never been timed out or blacklisted.").arg(ip));
    return r->front();
}

Result<std::vector<IpState>> IpStore::list(const IpStateFilter& filter, qint64 offset, int limit) const
{
    QVariantList values;
    const QString where = filterSql(filter, m_ctx.now(), values);
    values << limit << offset;
    return select(where + QStringLiteral(" ORDER BY last_seen_at DESC, ip LIMIT ? OFFSET ?"), values);
}

Result<qint64> IpStore::count(const IpStateFilter& filter) const
{
    QVariantList values;
    const QString where = filterSql(filter, m_ctx.now(), values);
    return m_ctx.db.scalar(QStringLiteral("SELECT COUNT(*) FROM ip_states ") + where, values);
}

Result<std::vector<IpEventRecord>> IpStore::events(const QString& ip, int limit) const
{
    auto q = m_ctx.db.exec(QStringLiteral("SELECT id, ip, at, kind, detail FROM ip_events WHERE ip = ? "
                                          "ORDER BY at DESC, id DESC LIMIT ?"),
                           {ip, limit});
    if (!q)
        return q.error();
    std::vector<IpEventRecord> out;
    while (q->next()) {
        IpEventRecord e;
        e.id = q->value(0).toLongLong();
        e.ip = q->value(1).toString();
        e.at = sql::toTime(q->value(2));
        e.kind = q->value(3).toString();
        e.detail = QJsonDocument::fromJson(q->value(4).toString().toUtf8()).object();
        out.push_back(std::move(e));
    }
    return out;
}

Result<int> IpStore::maliciousFindings(const QString& ip, const QString& licenseKey) const
{
    auto n = m_ctx.db.scalar(
        QStringLiteral("SELECT COALESCE(SUM(malicious_findings), 0) FROM tickets WHERE ip = ? OR "
                       "(? <> '' AND license_key = ?)"),
        {ip, sql::text(licenseKey.trimmed()), sql::text(licenseKey.trimmed())});
    if (!n)
        return n.error();
    return int(*n);
}

Result<IpState> IpStore::lift(const QString& rawIp, bool identityProof, const QString& note,
                              const QString& licenseKey)
{
    auto address = IpAddress::parse(rawIp);
    if (!address)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("\"%1\" is not an IP address.").arg(rawIp.trimmed()));
    const QString ip = address->toString();
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto state = find(ip);
    if (!state)
        return state.error();
    const QDateTime now = m_ctx.now();
    if (!state->blacklisted && !state->timedOut(now))
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("%1 is neither blacklisted nor timed out.").arg(ip));
    auto findings = maliciousFindings(ip, licenseKey);
    if (!findings)
        return findings.error();
    if (Status s = restorePolicy(*state, *findings, identityProof); !s)
        return s.error();

    const bool restore = state->blacklisted;
    auto q = m_ctx.db.exec(
        QStringLiteral("UPDATE ip_states SET blacklisted = 0, blacklisted_at = NULL, timeout_until = "
                       "NULL, strikes = 0, lifted_at = ?, restores = restores + ? WHERE ip = ?"),
        {sql::time(now), restore ? 1 : 0, ip});
    if (!q)
        return q.error();
    QJsonObject detail{{QStringLiteral("by"), m_ctx.actor},
                       {QStringLiteral("was_blacklisted"), state->blacklisted},
                       {QStringLiteral("identity_proof"), identityProof}};
    if (!note.trimmed().isEmpty())
        detail.insert(QStringLiteral("note"), note.trimmed());
    const QString kind = restore ? QStringLiteral("restore") : QStringLiteral("lift");
    if (Status s = addEvent(ip, now, kind, detail); !s)
        return s.error();
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("ip.") + kind, QStringLiteral("ip"),
                                      ip, detail);
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return find(ip);
}

Result<std::vector<WhitelistEntry>> IpStore::whitelist() const
{
    auto q = m_ctx.db.exec(QStringLiteral("SELECT id, cidr, note, created_at FROM ip_whitelist ORDER BY id"));
    if (!q)
        return q.error();
    std::vector<WhitelistEntry> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toString(),
                       sql::toTime(q->value(3))});
    return out;
}

Result<std::vector<Cidr>> IpStore::whitelistRanges() const
{
    auto entries = whitelist();
    if (!entries)
        return entries.error();
    std::vector<Cidr> out;
    for (const WhitelistEntry& e : *entries) {
        if (auto c = Cidr::parse(e.cidr))
            out.push_back(*c);
    }
    return out;
}

Result<WhitelistEntry> IpStore::addToWhitelist(const QString& text, const QString& note)
{
    auto cidr = Cidr::parse(text);
    if (!cidr)
        return cidr.error();
    if (note.size() > 1000)
        return makeError(ErrorKind::Invalid, QStringLiteral("The note is longer than 1,000 characters."));
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    const QString canonical = cidr->toString();
    auto existing =
        m_ctx.db.scalar(QStringLiteral("SELECT COUNT(*) FROM ip_whitelist WHERE cidr = ?"), {canonical});
    if (!existing)
        return existing.error();
    if (*existing > 0)
        return makeError(ErrorKind::Conflict, QStringLiteral("%1 is already whitelisted.").arg(canonical));
    const QDateTime now = m_ctx.now();
    auto q = m_ctx.db.exec(
        QStringLiteral("INSERT INTO ip_whitelist (cidr, note, created_at) VALUES (?, ?, ?) RETURNING id"),
        {canonical, sql::text(note.trimmed()), sql::time(now)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorKind::Internal, QStringLiteral("The whitelist entry's id was not returned."));
    WhitelistEntry entry{q->value(0).toLongLong(), canonical, note.trimmed(), now};
    q->finish();
    if (Status s =
            m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("whitelist.add"), QStringLiteral("whitelist"),
                               QString::number(entry.id),
                               {{QStringLiteral("cidr"), canonical}, {QStringLiteral("note"), entry.note}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return entry;
}

Status IpStore::removeFromWhitelist(qint64 id)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto q = m_ctx.db.exec(QStringLiteral("SELECT cidr FROM ip_whitelist WHERE id = ?"), {id});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("There is no whitelist entry with id %1.").arg(id));
    const QString cidr = q->value(0).toString();
    q->finish();
    if (auto d = m_ctx.db.exec(QStringLiteral("DELETE FROM ip_whitelist WHERE id = ?"), {id}); !d)
        return d.error();
    if (Status s = m_ctx.audit.record(m_ctx.now(), m_ctx.actor, QStringLiteral("whitelist.remove"),
                                      QStringLiteral("whitelist"), QString::number(id),
                                      {{QStringLiteral("cidr"), cidr}});
        !s)
        return s;
    return tx.commit();
}

} // namespace keyward
