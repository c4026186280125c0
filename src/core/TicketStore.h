#pragma once

#include "Result.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace keyward {

class IpStore;
struct StoreContext;

// The workflow of an unban ticket: open -> in_review / needs_proof -> restored or denied (final).
enum class TicketStatus
{
    Open,
    InReview,
    NeedsProof,
    Restored,
    Denied
};

QString ticketStatusToString(TicketStatus status);
std::optional<TicketStatus> ticketStatusFromString(const QString& text);
bool ticketStatusIsFinal(TicketStatus status);
bool ticketTransitionAllowed(TicketStatus from, TicketStatus to);

struct Ticket
{
    qint64 id = 0;
    std::optional<qint64> productId;
    QString licenseKey;
    QString ip;
    QString details;
    QString requester; // "end_user" or "vendor"
    TicketStatus status = TicketStatus::Open;
    bool identityProof = false;
    int maliciousFindings = 0;
    QString resolution;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime closedAt;
};

struct TicketNote
{
    qint64 id = 0;
    qint64 ticketId = 0;
    QDateTime at;
    QString author;
    QString body;
};

struct NewTicket
{
    std::optional<qint64> productId;
    QString licenseKey;
    QString ip;
    QString details;
    QString requester = QStringLiteral("end_user");
};

struct TicketFilter
{
    std::optional<TicketStatus> status;
    bool openOnly = false; // not restored or denied
    QString ip;
};

// What happened to an end user's unban request.
struct UnbanRequestResult
{
    Ticket ticket;
    bool existing = false; // an open ticket for the IP already existed
};

// Unban tickets and their rules. Restoring goes through IpStore::lift, so the restore policy
// (identity proof after a repeat ban, never after two malicious findings) holds here too.
class TicketStore
{
public:
    static constexpr int kMaxDetails = 5000;

    TicketStore(StoreContext& context, IpStore& ips) : m_ctx(context), m_ips(ips) {}

    // Opened by a person (vendor) through the admin API: audited.
    Result<Ticket> open(const NewTicket& ticket);
    // Opened by an end user's app: at most one open ticket per IP (the open one is returned) and
    // at most maxPerDay requests per IP in 24 hours (LimitReached beyond).
    Result<UnbanRequestResult> requestUnban(const NewTicket& ticket, int maxPerDay);

    Result<Ticket> find(qint64 id) const;
    Result<std::vector<Ticket>> list(const TicketFilter& filter, qint64 offset, int limit) const;
    Result<qint64> count(const TicketFilter& filter) const;
    Result<std::vector<TicketNote>> notes(qint64 ticketId) const;

    Result<TicketNote> addNote(qint64 ticketId, const QString& body);
    Result<Ticket> setIdentityProof(qint64 ticketId, bool received, const QString& note);
    Result<Ticket> addMaliciousFinding(qint64 ticketId, const QString& note);
    // Moves the ticket along its workflow; "restored" lifts the IP's ban under the restore policy.
    Result<Ticket> changeStatus(qint64 ticketId, TicketStatus status, const QString& resolution);

private:
    Result<Ticket> insert(const NewTicket& ticket, const QDateTime& now);
    Status validate(const NewTicket& ticket) const;
    Result<std::vector<Ticket>> select(const QString& tail, const QVariantList& values) const;
    Result<Ticket> openTicket(qint64 ticketId) const; // NotFound, or Conflict when closed
    Status insertNote(qint64 ticketId, const QDateTime& at, const QString& body);

    StoreContext& m_ctx;
    IpStore& m_ips;
};

} // namespace keyward
