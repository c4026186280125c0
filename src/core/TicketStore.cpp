#include "TicketStore.h"

#include "AuditLog.h"
#include "Database.h"
#include "IpAddress.h"
#include "IpStore.h"
#include "KeyHint.h"
#include "SqlValues.h"
#include "StoreContext.h"

#include <QJsonObject>

namespace keyward {
namespace {

const QString kSelect = QStringLiteral(
    "SELECT id, product_id, license_key, ip, details, requester, status, identity_proof, malicious_findings, "
    "resolution, created_at, updated_at, closed_at FROM tickets ");

Ticket readTicket(const QSqlQuery& q)
{
    Ticket t;
    t.id = q.value(0).toLongLong();
    t.productId = sql::toOptionalInt64(q.value(1));
    t.licenseKey = q.value(2).toString();
    t.ip = q.value(3).toString();
    t.details = q.value(4).toString();
    t.requester = q.value(5).toString();
    t.status = ticketStatusFromString(q.value(6).toString()).value_or(TicketStatus::Open);
    t.identityProof = q.value(7).toInt() != 0;
    t.maliciousFindings = q.value(8).toInt();
    t.resolution = q.value(9).toString();
    t.createdAt = sql::toTime(q.value(10));
    t.updatedAt = sql::toTime(q.value(11));
    t.closedAt = sql::toTime(q.value(12));
    return t;
}

QString filterSql(const TicketFilter& f, QVariantList& values)
{
    QStringList terms;
    if (f.status) {
        terms << QStringLiteral("status = ?");
        values << ticketStatusToString(*f.status);
    }
    if (f.openOnly)
        terms << QStringLiteral("status NOT IN ('restored', 'denied')");
    if (!f.ip.trimmed().isEmpty()) {
        terms << QStringLiteral("ip = ?");
        values << f.ip.trimmed();
    }
    return terms.isEmpty() ? QString() : QStringLiteral("WHERE ") + terms.join(QLatin1String(" AND "));
}

} // namespace

QString ticketStatusToString(TicketStatus status)
{
    switch (status) {
    case TicketStatus::Open:
        return QStringLiteral("open");
    case TicketStatus::InReview:
        return QStringLiteral("in_review");
    case TicketStatus::NeedsProof:
        return QStringLiteral("needs_proof");
    case TicketStatus::Restored:
        return QStringLiteral("restored");
    case TicketStatus::Denied:
        return QStringLiteral("denied");
    }
    return {};
}

std::optional<TicketStatus> ticketStatusFromString(const QString& text)
{
    const QString t = text.trimmed().toLower();
    for (TicketStatus s : {TicketStatus::Open, TicketStatus::InReview, TicketStatus::NeedsProof,
                           TicketStatus::Restored, TicketStatus::Denied}) {
        if (ticketStatusToString(s) == t)
            return s;
    }
    return std::nullopt;
}

bool ticketStatusIsFinal(TicketStatus status)
{
    return status == TicketStatus::Restored || status == TicketStatus::Denied;
}

bool ticketTransitionAllowed(TicketStatus from, TicketStatus to)
{
    if (from == to || ticketStatusIsFinal(from))
        return false;
    return to != TicketStatus::Open; // nothing goes back to "open"
}

Status TicketStore::validate(const NewTicket& t) const
{
    if (t.ip.trimmed().isEmpty() && t.licenseKey.trimmed().isEmpty())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("An unban ticket needs the user's IP address or license key."));
    if (!t.ip.trimmed().isEmpty() && !IpAddress::parse(t.ip))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("\"%1\" is not an IP address.").arg(t.ip.trimmed()));
    if (t.licenseKey.size() > 200)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("The license key is longer than 200 characters."));
    if (t.details.size() > kMaxDetails)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("The details are longer than %1 characters.").arg(kMaxDetails));
    if (t.requester != QLatin1String("end_user") && t.requester != QLatin1String("vendor"))
        return makeError(ErrorKind::Invalid, QStringLiteral("The requester is \"end_user\" or \"vendor\"."));
    return {};
}

Result<std::vector<Ticket>> TicketStore::select(const QString& tail, const QVariantList& values) const
{
    auto q = m_ctx.db.exec(kSelect + tail, values);
    if (!q)
        return q.error();
    std::vector<Ticket> out;
    while (q->next())
        out.push_back(readTicket(*q));
    return out;
}

Result<Ticket> TicketStore::insert(const NewTicket& t, const QDateTime& now)
{
    const QString ip = t.ip.trimmed().isEmpty() ? QString() : IpAddress::parse(t.ip)->toString();
    auto q =
        m_ctx.db.exec(QStringLiteral("INSERT INTO tickets (product_id, license_key, ip, details, requester, "
                                     "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?) "
                                     "RETURNING id"),
                      {sql::optional(t.productId), sql::text(t.licenseKey.trimmed()), sql::text(ip),
                       sql::text(t.details.trimmed()), t.requester, sql::time(now), sql::time(now)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorKind::Internal, QStringLiteral("The new ticket's id was not returned."));
    const qint64 id = q->value(0).toLongLong();
    q->finish();
    return find(id);
}

Result<Ticket> TicketStore::open(const NewTicket& ticket)
{
    if (Status s = validate(ticket); !s)
        return s.error();
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    const QDateTime now = m_ctx.now();
    auto created = insert(ticket, now);
    if (!created)
        return created.error();
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("ticket.open"),
                                      QStringLiteral("ticket"), QString::number(created->id),
                                      {{QStringLiteral("ip"), created->ip},
                                       {QStringLiteral("key_hint"), keyHint(created->licenseKey)},
                                       {QStringLiteral("requester"), created->requester}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return created;
}

Result<UnbanRequestResult> TicketStore::requestUnban(const NewTicket& ticket, int maxPerDay)
{
    if (Status s = validate(ticket); !s)
        return s.error();
    if (ticket.ip.trimmed().isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("The request's IP address is unknown."));
    const QString ip = IpAddress::parse(ticket.ip)->toString();
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    const QDateTime now = m_ctx.now();
    auto open = select(
        QStringLiteral("WHERE ip = ? AND status NOT IN ('restored', 'denied') ORDER BY id LIMIT 1"), {ip});
    if (!open)
        return open.error();
    if (!open->empty())
        return UnbanRequestResult{open->front(), true};
    auto recent =
        m_ctx.db.scalar(QStringLiteral("SELECT COUNT(*) FROM tickets WHERE ip = ? AND created_at > ?"),
                        {ip, sql::time(now.addSecs(-86400))});
    if (!recent)
        return recent.error();
    if (*recent >= maxPerDay)
        return makeError(
            ErrorKind::LimitReached,
            QStringLiteral("This IP address has sent %1 unban requests in the last 24 hours; please "
                           "wait for an answer.")
                .arg(*recent));
    auto created = insert(ticket, now);
    if (!created)
        return created.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return UnbanRequestResult{*created, false};
}

Result<Ticket> TicketStore::find(qint64 id) const
{
    auto r = select(QStringLiteral("WHERE id = ?"), {id});
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorKind::NotFound, QStringLiteral("There is no ticket %1.").arg(id));
    return r->front();
}

Result<std::vector<Ticket>> TicketStore::list(const TicketFilter& filter, qint64 offset, int limit) const
{
    QVariantList values;
    const QString where = filterSql(filter, values);
    values << limit << offset;
    return select(where + QStringLiteral(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"), values);
}

Result<qint64> TicketStore::count(const TicketFilter& filter) const
{
    QVariantList values;
    const QString where = filterSql(filter, values);
    return m_ctx.db.scalar(QStringLiteral("SELECT COUNT(*) FROM tickets ") + where, values);
}

Result<std::vector<TicketNote>> TicketStore::notes(qint64 ticketId) const
{
    auto q = m_ctx.db.exec(
        QStringLiteral("SELECT id, ticket_id, at, author, body FROM ticket_notes WHERE ticket_id = ? "
                       "ORDER BY at, id"),
        {ticketId});
    if (!q)
        return q.error();
    std::vector<TicketNote> out;
    while (q->next())
        out.push_back({q->value(0).toLongLong(), q->value(1).toLongLong(), sql::toTime(q->value(2)),
                       q->value(3).toString(), q->value(4).toString()});
    return out;
}

Result<Ticket> TicketStore::openTicket(qint64 ticketId) const
{
    auto ticket = find(ticketId);
    if (!ticket)
        return ticket.error();
    if (ticketStatusIsFinal(ticket->status))
        return makeError(ErrorKind::Conflict, QStringLiteral("Ticket %1 is closed (%2).")
                                                  .arg(ticketId)
                                                  .arg(ticketStatusToString(ticket->status)));
    return ticket;
}

Status TicketStore::insertNote(qint64 ticketId, const QDateTime& at, const QString& body)
{
    auto q = m_ctx.db.exec(
        QStringLiteral("INSERT INTO ticket_notes (ticket_id, at, author, body) VALUES (?, ?, ?, ?)"),
        {ticketId, sql::time(at), m_ctx.actor, body});
    if (!q)
        return q.error();
    if (auto u = m_ctx.db.exec(QStringLiteral("UPDATE tickets SET updated_at = ? WHERE id = ?"),
                               {sql::time(at), ticketId});
        !u)
        return u.error();
    return {};
}

Result<TicketNote> TicketStore::addNote(qint64 ticketId, const QString& rawBody)
{
    const QString body = rawBody.trimmed();
    if (body.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("A note needs some text."));
    if (body.size() > kMaxDetails)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("The note is longer than %1 characters.").arg(kMaxDetails));
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto ticket = find(ticketId);
    if (!ticket)
        return ticket.error();
    const QDateTime now = m_ctx.now();
    if (Status s = insertNote(ticketId, now, body); !s)
        return s.error();
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("ticket.note"),
                                      QStringLiteral("ticket"), QString::number(ticketId));
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    auto all = notes(ticketId);
    if (!all)
        return all.error();
    return all->back();
}

Result<Ticket> TicketStore::setIdentityProof(qint64 ticketId, bool received, const QString& note)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto ticket = openTicket(ticketId);
    if (!ticket)
        return ticket.error();
    const QDateTime now = m_ctx.now();
    if (auto q = m_ctx.db.exec(
            QStringLiteral("UPDATE tickets SET identity_proof = ?, updated_at = ? WHERE id = ?"),
            {sql::flag(received), sql::time(now), ticketId});
        !q)
        return q.error();
    const QString text = (received ? QStringLiteral("Identity proof received.")
                                   : QStringLiteral("Identity proof withdrawn.")) +
                         (note.trimmed().isEmpty() ? QString() : QLatin1Char(' ') + note.trimmed());
    if (Status s = insertNote(ticketId, now, text); !s)
        return s.error();
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("ticket.identity_proof"),
                                      QStringLiteral("ticket"), QString::number(ticketId),
                                      {{QStringLiteral("received"), received}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return find(ticketId);
}

Result<Ticket> TicketStore::addMaliciousFinding(qint64 ticketId, const QString& note)
{
    if (note.trimmed().isEmpty())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("Describe the malicious behaviour that was found."));
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto ticket = find(ticketId);
    if (!ticket)
        return ticket.error();
    const QDateTime now = m_ctx.now();
    if (auto q =
            m_ctx.db.exec(QStringLiteral("UPDATE tickets SET malicious_findings = malicious_findings + 1, "
                                         "updated_at = ? WHERE id = ?"),
                          {sql::time(now), ticketId});
        !q)
        return q.error();
    if (Status s = insertNote(ticketId, now, QStringLiteral("Malicious finding: ") + note.trimmed()); !s)
        return s.error();
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("ticket.malicious_finding"),
                                      QStringLiteral("ticket"), QString::number(ticketId),
                                      {{QStringLiteral("ip"), ticket->ip}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return find(ticketId);
}

Result<Ticket> TicketStore::changeStatus(qint64 ticketId, TicketStatus status, const QString& resolution)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto ticket = openTicket(ticketId);
    if (!ticket)
        return ticket.error();
    if (!ticketTransitionAllowed(ticket->status, status))
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("A ticket cannot go from %1 to %2.")
                             .arg(ticketStatusToString(ticket->status), ticketStatusToString(status)));
    if (status == TicketStatus::Denied && resolution.trimmed().isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("Say why the request is denied (resolution)."));

    if (status == TicketStatus::Restored) {
        // The restore policy is checked by the lift, against every ticket about this IP or key.
        if (!ticket->ip.isEmpty()) {
            auto state = m_ips.find(ticket->ip);
            const bool banned = state && (state->blacklisted || state->timedOut(m_ctx.now()));
            if (!state && state.errorKind() != ErrorKind::NotFound)
                return state.error();
            if (banned) {
                auto lifted =
                    m_ips.lift(ticket->ip, ticket->identityProof,
                               QStringLiteral("Ticket %1: %2").arg(ticketId).arg(resolution.trimmed()),
                               ticket->licenseKey);
                if (!lifted)
                    return lifted.error();
            } else {
                auto findings = m_ips.maliciousFindings(ticket->ip, ticket->licenseKey);
                if (!findings)
                    return findings.error();
                IpState unbanned;
                unbanned.ip = ticket->ip;
                if (Status s = restorePolicy(unbanned, *findings, ticket->identityProof); !s)
                    return s.error();
            }
        }
    }

    const QDateTime now = m_ctx.now();
    const bool closing = ticketStatusIsFinal(status);
    auto q = m_ctx.db.exec(
        QStringLiteral("UPDATE tickets SET status = ?, resolution = ?, updated_at = ?, closed_at = ? "
                       "WHERE id = ?"),
        {ticketStatusToString(status), sql::text(resolution.trimmed()), sql::time(now),
         closing ? sql::time(now) : sql::time(QDateTime()), ticketId});
    if (!q)
        return q.error();
    if (Status s = m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("ticket.status"),
                                      QStringLiteral("ticket"), QString::number(ticketId),
                                      {{QStringLiteral("from"), ticketStatusToString(ticket->status)},
                                       {QStringLiteral("to"), ticketStatusToString(status)},
                                       {QStringLiteral("resolution"), resolution.trimmed()}});
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return find(ticketId);
}

} // namespace keyward
