#include "SupportAdmin.h"

#include "AdminApi.h"
#include "AdminJson.h"
#include "ServerContext.h"
#include "Store.h"

#include <QJsonArray>

namespace keyward::server {
namespace {

using P = AdminPermission;

// The IP of a path parameter, canonical; empty (with the request failed) when it is not one.
QString ipArg(AdminRequest& r)
{
    auto address = IpAddress::parse(r.arg());
    if (!address) {
        r.fail(QStringLiteral("\"%1\" is not an IP address.").arg(r.arg().left(60)));
        return {};
    }
    return address->toString();
}

HttpReply listIps(AdminRequest& r)
{
    qint64 offset = 0;
    int limit = 50;
    r.paging(offset, limit);
    IpStateFilter filter;
    const QString state = r.query("state");
    if (state == QLatin1String("blacklisted"))
        filter.state = IpStateFilter::State::Blacklisted;
    else if (state == QLatin1String("timed_out"))
        filter.state = IpStateFilter::State::TimedOut;
    else if (!state.isEmpty() && state != QLatin1String("all"))
        r.fail(QStringLiteral("state is all, blacklisted or timed_out."));
    filter.ipPrefix = r.query("ip").left(60);
    if (r.failed())
        return r.badRequest();
    auto states = r.store.ips().list(filter, offset, limit);
    if (!states)
        return AdminApi::errorReply(states.error());
    auto total = r.store.ips().count(filter);
    if (!total)
        return AdminApi::errorReply(total.error());
    const QDateTime now = r.ctx.now();
    QJsonArray items;
    for (const IpState& s : *states)
        items.append(AdminJson::ipState(s, r.ctx.ipGuard.whitelisted(s.ip), now));
    return listReply(items, *total, offset, limit);
}

HttpReply getIp(AdminRequest& r)
{
    const QString ip = ipArg(r);
    if (r.failed())
        return r.badRequest();
    auto state = r.store.ips().find(ip);
    if (!state)
        return AdminApi::errorReply(state.error());
    auto events = r.store.ips().events(ip, 100);
    if (!events)
        return AdminApi::errorReply(events.error());
    RequestLogFilter byIp;
    byIp.ip = ip;
    auto requests = r.store.requestLog().list(byIp, 0, 100);
    if (!requests)
        return AdminApi::errorReply(requests.error());
    TicketFilter ticketFilter;
    ticketFilter.ip = ip;
    auto tickets = r.store.tickets().list(ticketFilter, 0, 100);
    if (!tickets)
        return AdminApi::errorReply(tickets.error());
    auto findings = r.store.ips().maliciousFindings(ip);
    QJsonArray eventItems, requestItems, ticketItems;
    for (const IpEventRecord& e : *events)
        eventItems.append(AdminJson::ipEvent(e));
    for (const RequestLogEntry& e : *requests)
        requestItems.append(AdminJson::requestLogEntry(e));
    for (const Ticket& t : *tickets)
        ticketItems.append(AdminJson::ticket(t));
    QJsonObject o = AdminJson::ipState(*state, r.ctx.ipGuard.whitelisted(ip), r.ctx.now());
    o.insert(QStringLiteral("events"), eventItems);
    o.insert(QStringLiteral("recent_requests"), requestItems);
    o.insert(QStringLiteral("tickets"), ticketItems);
    o.insert(QStringLiteral("malicious_findings"), findings ? *findings : 0);
    return HttpReply::json(200, o);
}

HttpReply liftIp(AdminRequest& r)
{
    const QString ip = ipArg(r);
    JsonFields in = r.fields();
    const bool proof = in.boolean("identity_proof").value_or(false);
    const QString note = in.string("note", false, 2000);
    const QString key = in.string("license_key", false, 200);
    if (r.failed())
        return r.badRequest();
    auto lifted = r.store.ips().lift(ip, proof, note, key);
    if (!lifted)
        return AdminApi::errorReply(lifted.error());
    r.ctx.ipGuard.forget(ip); // this instance at once; the others at their next refresh
    return HttpReply::json(200, AdminJson::ipState(*lifted, r.ctx.ipGuard.whitelisted(ip), r.ctx.now()));
}

void reloadWhitelist(AdminRequest& r)
{
    if (auto ranges = r.store.ips().whitelistRanges())
        r.ctx.ipGuard.setWhitelist(*ranges);
}

HttpReply listWhitelist(AdminRequest& r)
{
    auto entries = r.store.ips().whitelist();
    if (!entries)
        return AdminApi::errorReply(entries.error());
    QJsonArray items;
    for (const WhitelistEntry& e : *entries)
        items.append(AdminJson::whitelistEntry(e));
    return listReply(items, items.size(), 0, int(items.size()));
}

HttpReply addWhitelist(AdminRequest& r)
{
    JsonFields in = r.fields();
    const QString cidr = in.string("cidr", true, 60);
    const QString note = in.string("note", false, 1000);
    if (r.failed())
        return r.badRequest();
    auto added = r.store.ips().addToWhitelist(cidr, note);
    if (!added)
        return AdminApi::errorReply(added.error());
    reloadWhitelist(r);
    return HttpReply::json(201, AdminJson::whitelistEntry(*added));
}

HttpReply removeWhitelist(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    if (Status s = r.store.ips().removeFromWhitelist(id); !s)
        return AdminApi::errorReply(s.error());
    reloadWhitelist(r);
    return deletedReply(QString::number(id));
}

HttpReply ticketReply(AdminRequest& r, const Ticket& t, int status = 200)
{
    QJsonObject o = AdminJson::ticket(t);
    QJsonArray notes;
    if (auto all = r.store.tickets().notes(t.id)) {
        for (const TicketNote& n : *all)
            notes.append(AdminJson::ticketNote(n));
    }
    o.insert(QStringLiteral("notes"), notes);
    if (!t.ip.isEmpty()) {
        if (auto state = r.store.ips().find(t.ip))
            o.insert(QStringLiteral("ip_state"),
                     AdminJson::ipState(*state, r.ctx.ipGuard.whitelisted(t.ip), r.ctx.now()));
        if (auto findings = r.store.ips().maliciousFindings(t.ip, t.licenseKey))
            o.insert(QStringLiteral("malicious_findings_total"), *findings);
    }
    return HttpReply::json(status, o);
}

HttpReply listTickets(AdminRequest& r)
{
    qint64 offset = 0;
    int limit = 50;
    r.paging(offset, limit);
    TicketFilter filter;
    if (const QString status = r.query("status"); !status.isEmpty()) {
        filter.status = ticketStatusFromString(status);
        if (!filter.status)
            r.fail(QStringLiteral("status is open, in_review, needs_proof, restored or denied."));
    }
    filter.openOnly = r.query("open") == QLatin1String("true");
    filter.ip = r.query("ip").left(60);
    if (r.failed())
        return r.badRequest();
    auto tickets = r.store.tickets().list(filter, offset, limit);
    if (!tickets)
        return AdminApi::errorReply(tickets.error());
    auto total = r.store.tickets().count(filter);
    if (!total)
        return AdminApi::errorReply(total.error());
    QJsonArray items;
    for (const Ticket& t : *tickets)
        items.append(AdminJson::ticket(t));
    return listReply(items, *total, offset, limit);
}

HttpReply openTicket(AdminRequest& r)
{
    JsonFields in = r.fields();
    NewTicket t;
    t.licenseKey = in.string("license_key", false, 200);
    t.ip = in.string("ip", false, 60);
    t.details = in.string("details", false, TicketStore::kMaxDetails);
    t.productId = in.integer("product_id", 1, qint64(1) << 50);
    t.requester = QStringLiteral("vendor");
    if (r.failed())
        return r.badRequest();
    auto created = r.store.tickets().open(t);
    if (!created)
        return AdminApi::errorReply(created.error());
    return ticketReply(r, *created, 201);
}

HttpReply getTicket(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    auto t = r.store.tickets().find(id);
    if (!t)
        return AdminApi::errorReply(t.error());
    return ticketReply(r, *t);
}

HttpReply changeTicketStatus(AdminRequest& r)
{
    const qint64 id = r.id();
    JsonFields in = r.fields();
    const QString statusText = in.string("status", true, 20);
    const QString resolution = in.string("resolution", false, 2000);
    if (r.failed())
        return r.badRequest();
    auto status = ticketStatusFromString(statusText);
    if (!status)
        return HttpReply::error(400, QStringLiteral("invalid_request"),
                                QStringLiteral("\"status\" is in_review, needs_proof, restored or denied."),
                                false);
    auto changed = r.store.tickets().changeStatus(id, *status, resolution);
    if (!changed)
        return AdminApi::errorReply(changed.error());
    if (*status == TicketStatus::Restored && !changed->ip.isEmpty())
        r.ctx.ipGuard.forget(changed->ip);
    return ticketReply(r, *changed);
}

HttpReply addNote(AdminRequest& r)
{
    const qint64 id = r.id();
    const QString body = r.fields().string("body", true, TicketStore::kMaxDetails);
    if (r.failed())
        return r.badRequest();
    auto note = r.store.tickets().addNote(id, body);
    if (!note)
        return AdminApi::errorReply(note.error());
    return HttpReply::json(201, AdminJson::ticketNote(*note));
}

HttpReply identityProof(AdminRequest& r)
{
    const qint64 id = r.id();
    JsonFields in = r.fields();
    const bool received = in.boolean("received", true).value_or(false);
    const QString note = in.string("note", false, 2000);
    if (r.failed())
        return r.badRequest();
    auto t = r.store.tickets().setIdentityProof(id, received, note);
    if (!t)
        return AdminApi::errorReply(t.error());
    return ticketReply(r, *t);
}

HttpReply maliciousFinding(AdminRequest& r)
{
    const qint64 id = r.id();
    const QString note = r.fields().string("note", true, 2000);
    if (r.failed())
        return r.badRequest();
    auto t = r.store.tickets().addMaliciousFinding(id, note);
    if (!t)
        return AdminApi::errorReply(t.error());
    return ticketReply(r, *t);
}

} // namespace

void SupportAdmin::addRoutes(AdminApi& api)
{
    api.add("GET", "/admin/v1/ips", P::Read, listIps);
    api.add("GET", "/admin/v1/ips/{ip}", P::Read, getIp);
    api.add("POST", "/admin/v1/ips/{ip}/lift", P::ManageSupport, liftIp);
    api.add("GET", "/admin/v1/whitelist", P::Read, listWhitelist);
    api.add("POST", "/admin/v1/whitelist", P::ManageSupport, addWhitelist);
    api.add("DELETE", "/admin/v1/whitelist/{id}", P::ManageSupport, removeWhitelist);
    api.add("GET", "/admin/v1/tickets", P::Read, listTickets);
    api.add("POST", "/admin/v1/tickets", P::ManageSupport, openTicket);
    api.add("GET", "/admin/v1/tickets/{id}", P::Read, getTicket);
    api.add("POST", "/admin/v1/tickets/{id}/status", P::ManageSupport, changeTicketStatus);
    api.add("POST", "/admin/v1/tickets/{id}/notes", P::ManageSupport, addNote);
    api.add("POST", "/admin/v1/tickets/{id}/identity-proof", P::ManageSupport, identityProof);
    api.add("POST", "/admin/v1/tickets/{id}/malicious-findings", P::ManageSupport, maliciousFinding);
}

} // namespace keyward::server
