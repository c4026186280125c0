#include "PublicApi.h"

#include "ConnectionGuard.h"
#include "DbExecutor.h"
#include "KeyHint.h"
#include "PublicReplies.h"
#include "SecretToken.h"
#include "ServerContext.h"
#include "Store.h"
#include "Validation.h"
#include "ValidationPipeline.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <cmath>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace {

constexpr int kMaxKeyLength = 200;
constexpr qint64 kMaxConsume = 1'000'000'000;
constexpr int kUnbanBurst = 5;             // unban requests per IP...
constexpr qint64 kUnbanWindowMs = 600'000; // ...per 10 minutes, before the database is asked at all

// An optional string field: absent or null is "", any other type is a problem.
bool optionalString(const QJsonObject& body, const char* name, QString& out, QString& problem)
{
    const QJsonValue v = body.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString()) {
        problem = QStringLiteral("\"%1\" must be a string.").arg(QLatin1String(name));
        return false;
    }
    out = v.toString().trimmed();
    return true;
}

} // namespace

void PublicApi::addRoutes(RouteTable& routes)
{
    auto add = [&](const char* method, const char* path, PublicEndpoint endpoint) {
        routes.add(QString::fromLatin1(method), QString::fromLatin1(path),
                   [this, endpoint](const HttpCall& call) { handle(endpoint, call); });
    };
    add("POST", "/api/v1/validate", PublicEndpoint::Validate);
    add("POST", "/api/v1/activate", PublicEndpoint::Activate);
    add("POST", "/api/v1/deactivate", PublicEndpoint::Deactivate);
    add("POST", "/api/v1/consume", PublicEndpoint::Consume);
    add("GET", "/api/v1/license/{key}", PublicEndpoint::License);
    routes.add(QStringLiteral("POST"), QStringLiteral("/api/v1/unban-requests"),
               [this](const HttpCall& call) { unbanRequest(call); });
}

void PublicApi::answerHere(const HttpCall& call, PublicEndpoint endpoint, const QString& outcome,
                           HttpReply reply, const QString& licenseKey)
{
    RequestLogEntry entry;
    entry.at = call.request->receivedAt;
    entry.ip = call.request->clientIp;
    entry.endpoint = publicEndpointName(endpoint);
    entry.outcome = outcome;
    entry.httpStatus = reply.status;
    entry.keyHint = keyHint(licenseKey);
    m_ctx.requestLog.add(std::move(entry));
    call.reply.send(std::move(reply));
}

void PublicApi::handle(PublicEndpoint endpoint, const HttpCall& call)
{
    const HttpRequestInfo& request = *call.request;
    const QDateTime now = request.receivedAt;

    // A timed-out IP is refused before anything else (and not counted toward the daily limit).
    const IpAdmission admission = m_ctx.ipGuard.admit(request.clientIp, now);
    if (admission.verdict == IpVerdict::TimedOut) {
        answerHere(call, endpoint, QStringLiteral("too_fast"),
                   PublicReplies::tooFast(admission.retryAfterSeconds));
        return;
    }

    ValidationJob job;
    job.endpoint = endpoint;
    job.reply = call.reply;
    job.ip = request.clientIp;
    job.ipBlocked = admission.verdict == IpVerdict::Blacklisted;
    job.receivedAt = now;

    const QString token = request.bearerToken();
    if (token.isEmpty()) {
        answerHere(call, endpoint, QStringLiteral("invalid_api_key"), PublicReplies::invalidApiKey());
        return;
    }
    job.tokenHash = SecretToken::hash(token);
    job.apiKey = m_ctx.apiKeys.find(job.tokenHash);
    if (!job.apiKey && m_ctx.apiKeys.knownBad(job.tokenHash, ConnectionGuard::monotonicMs())) {
        answerHere(call, endpoint, QStringLiteral("invalid_api_key"), PublicReplies::invalidApiKey());
        return;
    }

    if (endpoint == PublicEndpoint::License)
        job.licenseKey = call.args.value(0).trimmed().left(kMaxKeyLength + 1);
    else
        job.badRequest = readBody(endpoint, request, job);
    if (job.badRequest.isEmpty() && (job.licenseKey.isEmpty() || job.licenseKey.size() > kMaxKeyLength))
        job.badRequest =
            job.licenseKey.isEmpty()
                ? QStringLiteral("\"license_key\" is required.")
                : QStringLiteral("\"license_key\" is longer than %1 characters.").arg(kMaxKeyLength);
    m_ctx.validation->submit(std::move(job));
}

QString PublicApi::readBody(PublicEndpoint endpoint, const HttpRequestInfo& request, ValidationJob& job) const
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("The body is not valid JSON (%1 at offset %2).")
            .arg(error.errorString())
            .arg(error.offset);
    if (!doc.isObject())
        return QStringLiteral("The body must be a JSON object.");
    const QJsonObject body = doc.object();
    const QJsonValue key = body.value(QLatin1String("license_key"));
    if (!key.isString())
        return key.isUndefined() || key.isNull() ? QStringLiteral("\"license_key\" is required.")
                                                 : QStringLiteral("\"license_key\" must be a string.");
    job.licenseKey = key.toString().trimmed();

    QString problem;
    if (!optionalString(body, "uuid", job.uuid, problem) ||
        !optionalString(body, "domain", job.domain, problem))
        return problem;
    if (!job.uuid.isEmpty() && !validation::isValidUuid(job.uuid))
        return QStringLiteral("\"uuid\" is not a device UUID (e.g. 6f9619ff-8b86-d011-b42d-00c04fc964ff).");
    if (!job.domain.isEmpty() && !validation::isValidDomain(job.domain))
        return QStringLiteral("\"domain\" is not a domain name.");

    if (endpoint == PublicEndpoint::Activate || endpoint == PublicEndpoint::Deactivate) {
        if (job.uuid.isEmpty() == job.domain.isEmpty())
            return QStringLiteral("Send exactly one of \"uuid\" or \"domain\".");
        job.activationKind = job.uuid.isEmpty() ? ActivationKind::Domain : ActivationKind::Uuid;
        job.activationValue = job.uuid.isEmpty() ? job.domain : job.uuid;
    }
    if (endpoint == PublicEndpoint::Consume) {
        const QJsonValue amount = body.value(QLatin1String("amount"));
        const double value = amount.toDouble(-1);
        if (!amount.isDouble() || value < 1 || value > double(kMaxConsume) || std::floor(value) != value)
            return QStringLiteral("\"amount\" must be a whole number from 1 to %1.").arg(kMaxConsume);
        job.amount = qint64(value);
    }
    return {};
}

bool PublicApi::unbanThrottled(const QString& ip, const QDateTime& now, qint64& retryAfter)
{
    const qint64 ms = now.toMSecsSinceEpoch();
    QMutexLocker lock(&m_unbanMutex);
    if (m_unbanWindows.size() > 100'000)
        m_unbanWindows.clear(); // bounded memory under a flood of addresses
    auto& [start, count] = m_unbanWindows[ip];
    if (ms - start >= kUnbanWindowMs) {
        start = ms;
        count = 0;
    }
    if (++count <= kUnbanBurst)
        return false;
    retryAfter = std::max<qint64>(1, (start + kUnbanWindowMs - ms + 999) / 1000);
    return true;
}

void PublicApi::unbanRequest(const HttpCall& call)
{
    const HttpRequestInfo& request = *call.request;
    const QDateTime now = request.receivedAt;
    auto answer = [this, &call](const QString& outcome, HttpReply reply) {
        RequestLogEntry entry;
        entry.at = call.request->receivedAt;
        entry.ip = call.request->clientIp;
        entry.endpoint = QStringLiteral("unban");
        entry.outcome = outcome;
        entry.httpStatus = reply.status;
        m_ctx.requestLog.add(std::move(entry));
        call.reply.send(std::move(reply));
    };
    qint64 retryAfter = 0;
    if (unbanThrottled(request.clientIp, now, retryAfter)) {
        HttpReply r = HttpReply::error(
            429, QStringLiteral("too_many_requests"),
            QStringLiteral("Too many unban requests from this address; please wait for an answer."), true);
        r.withHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfter));
        answer(QStringLiteral("too_many_requests"), r);
        return;
    }
    const QString token = request.bearerToken();
    if (token.isEmpty()) {
        answer(QStringLiteral("invalid_api_key"), PublicReplies::invalidApiKey());
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        answer(QStringLiteral("invalid_request"),
               PublicReplies::invalidRequest(QStringLiteral("The body must be a JSON object.")));
        return;
    }
    const QJsonObject body = doc.object();
    QString key;
    QString details;
    QString problem;
    if (!optionalString(body, "license_key", key, problem) ||
        !optionalString(body, "details", details, problem)) {
        answer(QStringLiteral("invalid_request"), PublicReplies::invalidRequest(problem));
        return;
    }
    if (key.isEmpty()) {
        answer(QStringLiteral("invalid_request"),
               PublicReplies::invalidRequest(QStringLiteral("\"license_key\" is required.")));
        return;
    }

    const QString tokenHash = SecretToken::hash(token);
    const QString ip = request.clientIp;
    const int perDay = m_ctx.config.unbanRequestsPerDay;
    ServerContext* ctx = &m_ctx;
    ReplySink reply = call.reply;
    m_ctx.database->post([ctx, reply, tokenHash, ip, key, details, perDay](Store& store) {
        auto log = [ctx, ip, &key, &reply](const QString& outcome, const HttpReply& r) {
            RequestLogEntry entry;
            entry.at = ctx->now();
            entry.ip = ip;
            entry.endpoint = QStringLiteral("unban");
            entry.outcome = outcome;
            entry.httpStatus = r.status;
            entry.keyHint = keyHint(key);
            ctx->requestLog.add(std::move(entry));
            reply.send(r);
        };
        auto identity = store.apiKeys().authenticateHash(tokenHash);
        if (!identity) {
            log(QStringLiteral("unavailable"), PublicReplies::unavailable());
            return;
        }
        if (!identity->has_value()) {
            log(QStringLiteral("invalid_api_key"), PublicReplies::invalidApiKey());
            return;
        }
        NewTicket ticket;
        ticket.productId = (*identity)->productId;
        ticket.licenseKey = key;
        ticket.ip = ip;
        ticket.details = details;
        ticket.requester = QStringLiteral("end_user");
        auto result = store.tickets().requestUnban(ticket, perDay);
        if (!result) {
            switch (result.errorKind()) {
            case ErrorKind::LimitReached:
                log(QStringLiteral("too_many_requests"),
                    HttpReply::error(429, QStringLiteral("too_many_requests"), result.errorMessage(), true)
                        .withHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("86400")));
                return;
            case ErrorKind::Invalid:
                log(QStringLiteral("invalid_request"), PublicReplies::invalidRequest(result.errorMessage()));
                return;
            default:
                log(QStringLiteral("unavailable"), PublicReplies::unavailable());
                return;
            }
        }
        const QJsonObject answerBody{
            {QStringLiteral("ticket_id"), result->ticket.id},
            {QStringLiteral("status"), ticketStatusToString(result->ticket.status)},
            {QStringLiteral("ip"), result->ticket.ip},
            {QStringLiteral("message"),
             result->existing
                 ? QStringLiteral(
                       "An unban request for this IP address is already open; it will be reviewed.")
                 : QStringLiteral("Your unban request was received and will be reviewed.")}};
        log(result->existing ? QStringLiteral("ticket_exists") : QStringLiteral("ticket_opened"),
            HttpReply::json(result->existing ? 200 : 201, answerBody));
    });
}

} // namespace keyward::server
