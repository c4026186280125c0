#include "ValidationWorker.h"

#include "ConnectionGuard.h"
#include "KeyHint.h"
#include "PublicReplies.h"
#include "ServerContext.h"
#include "Store.h"
#include "Validation.h"
#include "ValidationPipeline.h"

#include <QHash>
#include <QLoggingCategory>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace {

constexpr size_t kLogBatch = 1000; // entries that make a flush due before its interval
constexpr size_t kLogChunk = 256;  // entries written with (or between) two batches of validations

HttpReply statusReply(bool valid, const QString& status, const QString& message,
                      const QJsonObject& extra = {})
{
    QJsonObject o = extra;
    o.insert(QStringLiteral("valid"), valid);
    o.insert(QStringLiteral("status"), status);
    if (!message.isEmpty())
        o.insert(QStringLiteral("message"), message);
    return HttpReply::json(200, o);
}

} // namespace

ValidationWorker::ValidationWorker(ServerContext& context, ValidationPipeline& pipeline, int index)
    : m_ctx(context), m_pipeline(pipeline), m_index(index)
{
    setObjectName(QStringLiteral("validation-%1").arg(index));
}

ValidationWorker::~ValidationWorker()
{
    wait();
}

Status ValidationWorker::waitReady()
{
    m_ready.acquire();
    return m_openStatus;
}

Status ValidationWorker::open()
{
    m_lookup.reset();
    m_store.reset();
    auto store = Store::open(m_ctx.location, {});
    if (!store)
        return store.error();
    m_store = std::move(store).value();
    m_store->setActor(QStringLiteral("api"));
    m_store->setClock(m_ctx.clock);
    m_lookup = std::make_unique<LicenseLookup>(m_store->database());
    return {};
}

void ValidationWorker::run()
{
    m_openStatus = open();
    m_ready.release();
    if (!m_openStatus)
        return;
    m_lastFlush = ConnectionGuard::monotonicMs();
    std::vector<ValidationJob> batch;
    batch.reserve(ValidationPipeline::kMaxBatch);
    for (;;) {
        const qint64 sinceFlush = ConnectionGuard::monotonicMs() - m_lastFlush;
        batch.clear();
        // While the request log is being written in chunks, only look for new jobs between them.
        const int wait = m_flushing ? 0 : int(std::max<qint64>(1, m_ctx.config.logFlushMs - sinceFlush));
        const bool more = m_pipeline.take(batch, wait);
        bool logged = false;
        if (!batch.empty()) {
            if (m_reopen) {
                // The connection failed earlier (e.g. PostgreSQL restarted): try a fresh one.
                if (Status s = open(); s)
                    m_reopen = false;
            }
            logged = process(batch);
        }
        if (!logged || !more)
            flushLog(!more);
        if (!more)
            break;
    }
    // The connection belongs to this thread: close it here, not in the destructor.
    m_lookup.reset();
    m_store.reset();
}

std::shared_ptr<const ProductInfo> ValidationWorker::product(qint64 id)
{
    if (auto cached = m_ctx.products.find(id))
        return cached;
    auto loaded = m_store->products().find(id);
    if (!loaded)
        return nullptr;
    return m_ctx.products.put(*loaded);
}

bool ValidationWorker::process(std::vector<ValidationJob>& jobs)
{
    const QDateTime now = m_ctx.now();
    m_answers.clear();
    bool logged = false;
    if (m_store && m_store->database().isSqlite()) {
        // One transaction for the batch: SQLite takes its locks once instead of per statement, and
        // no answer leaves before the counts it depends on are committed.
        std::optional<Transaction> tx;
        tx.emplace(m_store->database());
        if (!*tx) {
            const Outcome down = unavailable(tx->error());
            for (ValidationJob& job : jobs)
                answer(job, down, std::nullopt);
        } else {
            decideAll(jobs, now);
            // The request log's chunk that is due shares the commit (in a savepoint of its own).
            std::vector<RequestLogEntry> chunk = dueLog(false);
            logged = true;
            if (!chunk.empty()) {
                if (Status s = m_store->requestLog().append(chunk); !s) {
                    keepLog(std::move(chunk), s.error());
                    chunk.clear();
                }
            }
            if (Status s = tx->commit(); !s) {
                const Outcome down = unavailable(s.error());
                for (Answer& a : m_answers)
                    a.outcome = down;
                if (!chunk.empty())
                    keepLog(std::move(chunk), s.error());
            }
        }
    } else {
        decideAll(jobs, now); // PostgreSQL: each statement commits by itself, row locks stay short
    }
    std::vector<std::pair<ReplySink, HttpReply>> replies;
    replies.reserve(m_answers.size());
    for (Answer& a : m_answers) {
        log(a);
        replies.emplace_back(a.job->reply, std::move(a.outcome.reply));
    }
    m_answers.clear();
    ReplySink::sendAll(std::move(replies));
    return logged;
}

void ValidationWorker::decideAll(std::vector<ValidationJob>& jobs, const QDateTime& now)
{
    // Who is asking: most jobs arrive authenticated by the cache; the rest are looked up once here.
    std::vector<ValidationJob*> authenticated;
    authenticated.reserve(jobs.size());
    for (ValidationJob& job : jobs) {
        if (!job.apiKey && m_store) {
            auto identity = m_store->apiKeys().authenticateHash(job.tokenHash);
            if (!identity) {
                answer(job, unavailable(identity.error()), std::nullopt);
                continue;
            }
            if (!identity->has_value()) {
                m_ctx.apiKeys.rememberBad(job.tokenHash, ConnectionGuard::monotonicMs());
                answer(job, {PublicReplies::invalidApiKey(), QStringLiteral("invalid_api_key"), {}},
                       std::nullopt);
                continue;
            }
            job.apiKey = ApiKeyCache::Entry{(*identity)->id, (*identity)->productId};
            m_ctx.apiKeys.remember(job.tokenHash, *job.apiKey);
        }
        if (!m_store) {
            answer(job, unavailable(Error(ErrorKind::Unreachable, QStringLiteral("no database connection"))),
                   std::nullopt);
            continue;
        }
        m_ctx.apiKeys.noteUsed(job.apiKey->apiKeyId);
        authenticated.push_back(&job);
    }

    // Per product, in arrival order: one statement counts what fits under the daily limit.
    QHash<qint64, std::vector<ValidationJob*>> byProduct;
    std::vector<qint64> order;
    for (ValidationJob* job : authenticated) {
        auto& group = byProduct[job->apiKey->productId];
        if (group.empty())
            order.push_back(job->apiKey->productId);
        group.push_back(job);
    }
    for (qint64 productId : order) {
        std::vector<ValidationJob*>& group = byProduct[productId];
        auto info = product(productId);
        if (!info) {
            for (ValidationJob* job : group)
                answer(*job, {PublicReplies::invalidApiKey(), QStringLiteral("invalid_api_key"), {}},
                       std::nullopt);
            continue;
        }
        auto granted =
            m_store->quota().grant(productId, info->product.dailyLimit(), qint64(group.size()), now);
        if (!granted) {
            const Outcome down = unavailable(granted.error());
            for (ValidationJob* job : group)
                answer(*job, down, productId);
            continue;
        }
        for (size_t i = 0; i < group.size(); ++i) {
            if (qint64(i) >= *granted) {
                answer(*group[i],
                       {PublicReplies::rateLimitExceeded(now), QStringLiteral("rate_limit_exceeded"), {}},
                       productId);
                continue;
            }
            answer(*group[i], run(*group[i], *info, now), productId);
        }
    }
}

ValidationWorker::Outcome ValidationWorker::run(ValidationJob& job, const ProductInfo& product,
                                                const QDateTime& now)
{
    // Counted from here on: the request authenticated and fitted under the daily limit.
    if (!job.badRequest.isEmpty())
        return {PublicReplies::invalidRequest(job.badRequest), QStringLiteral("invalid_request"), {}};
    if (job.ipBlocked) {
        const ValidationDecision blocked = Validator::ipBlocked();
        return {HttpReply::json(200, PublicReplies::decision(blocked, product.product, now)),
                validationStatusToString(blocked.status),
                {}};
    }
    switch (job.endpoint) {
    case PublicEndpoint::Validate:
        return validate(job, product, now);
    case PublicEndpoint::Activate:
        return activate(job, product, now);
    case PublicEndpoint::Deactivate:
        return deactivate(job, product, now);
    case PublicEndpoint::Consume:
        return consume(job, product, now);
    case PublicEndpoint::License:
        return lookup(job, product, now);
    }
    return {PublicReplies::invalidRequest(QStringLiteral("Unknown endpoint.")),
            QStringLiteral("invalid_request"),
            {}};
}

Result<ValidationDecision> ValidationWorker::decide(ValidationJob& job, const ProductInfo& product,
                                                    const QDateTime& now, bool checkBindings)
{
    QString normalized;
    if (auto early = Validator::precheck(product.product, product.format, job.licenseKey, normalized)) {
        if (early->unknownKey())
            m_ctx.ipGuard.noteUnknownKey(job.ip, job.licenseKey, now);
        return *early;
    }
    auto found = m_lookup->find(product.product.id, normalized);
    if (!found)
        return found.error();
    ValidationRequest request{job.licenseKey, job.uuid, job.domain};
    ValidationDecision d = Validator::decide(*found, request, now, checkBindings);
    if (d.unknownKey())
        m_ctx.ipGuard.noteUnknownKey(job.ip, normalized, now);
    return d;
}

ValidationWorker::Outcome ValidationWorker::decisionOutcome(const ValidationDecision& d,
                                                            const ProductInfo& product, int status) const
{
    Outcome o{PublicReplies::decisionReply(status, d, product.product, m_ctx.now()),
              validationStatusToString(d.status),
              {}};
    if (d.key)
        o.keyId = d.key->id;
    return o;
}

ValidationWorker::Outcome ValidationWorker::unavailable(const Error& error)
{
    qCWarning(lcServer) << "validation worker" << m_index << "database problem:" << error.message;
    if (error.kind == ErrorKind::Unreachable || error.kind == ErrorKind::Internal)
        m_reopen = true;
    return {PublicReplies::unavailable(), QStringLiteral("unavailable"), {}};
}

ValidationWorker::Outcome ValidationWorker::validate(ValidationJob& job, const ProductInfo& product,
                                                     const QDateTime& now)
{
    auto d = decide(job, product, now, true);
    if (!d)
        return unavailable(d.error());
    return decisionOutcome(*d, product);
}

ValidationWorker::Outcome ValidationWorker::activate(ValidationJob& job, const ProductInfo& product,
                                                     const QDateTime& now)
{
    auto d = decide(job, product, now, false);
    if (!d)
        return unavailable(d.error());
    if (!d->valid())
        return decisionOutcome(*d, product);
    LicenseKey key = *d->key;
    auto bound = m_store->keys().activate(key.id, *job.activationKind, job.activationValue, job.ip,
                                          KeyStore::Audit::No);
    if (!bound) {
        switch (bound.errorKind()) {
        case ErrorKind::LimitReached: {
            Outcome o{
                statusReply(false, QStringLiteral("activation_limit_reached"), bound.errorMessage(),
                            {{QStringLiteral("license"), PublicReplies::license(key, product.product, now)}}),
                QStringLiteral("activation_limit_reached"), key.id};
            return o;
        }
        case ErrorKind::Invalid:
            return {PublicReplies::invalidRequest(bound.errorMessage()), QStringLiteral("invalid_request"),
                    key.id};
        case ErrorKind::Conflict:
        case ErrorKind::NotFound:
            return decisionOutcome(Validator::decide(std::nullopt, {}, now), product);
        default:
            return unavailable(bound.error());
        }
    }
    QStringList& list = bound->kind == ActivationKind::Domain ? key.domains : key.uuids;
    if (!list.contains(bound->value))
        list << bound->value;
    const QJsonObject activation{{QStringLiteral("kind"), activationKindToString(bound->kind)},
                                 {QStringLiteral("value"), bound->value},
                                 {QStringLiteral("first_seen_at"), bound->firstSeenAt.toString(Qt::ISODate)},
                                 {QStringLiteral("last_seen_at"), bound->lastSeenAt.toString(Qt::ISODate)}};
    return {statusReply(true, QStringLiteral("active"), QString(),
                        {{QStringLiteral("activation"), activation},
                         {QStringLiteral("license"), PublicReplies::license(key, product.product, now)}}),
            QStringLiteral("activated"), key.id};
}

ValidationWorker::Outcome ValidationWorker::deactivate(ValidationJob& job, const ProductInfo& product,
                                                       const QDateTime& now)
{
    auto d = decide(job, product, now, false);
    if (!d)
        return unavailable(d.error());
    // Any key that exists may free a domain or device, whatever its status.
    if (!d->key)
        return decisionOutcome(*d, product);
    LicenseKey key = *d->key;
    Status s =
        m_store->keys().deactivate(key.id, *job.activationKind, job.activationValue, KeyStore::Audit::No);
    if (!s) {
        if (s.errorKind() == ErrorKind::NotFound)
            return {
                statusReply(false, QStringLiteral("not_activated"),
                            QStringLiteral("This domain or device is not bound to the license key."),
                            {{QStringLiteral("license"), PublicReplies::license(key, product.product, now)}}),
                QStringLiteral("not_activated"), key.id};
        return unavailable(s.error());
    }
    const QString value = *job.activationKind == ActivationKind::Domain
                              ? validation::normalizeDomain(job.activationValue)
                              : validation::normalizeUuid(job.activationValue);
    key.domains.removeAll(value);
    key.uuids.removeAll(value);
    return {statusReply(true, QStringLiteral("deactivated"), QString(),
                        {{QStringLiteral("license"), PublicReplies::license(key, product.product, now)}}),
            QStringLiteral("deactivated"), key.id};
}

ValidationWorker::Outcome ValidationWorker::consume(ValidationJob& job, const ProductInfo& product,
                                                    const QDateTime& now)
{
    auto d = decide(job, product, now, false);
    if (!d)
        return unavailable(d.error());
    if (!d->valid())
        return decisionOutcome(*d, product);
    LicenseKey key = *d->key;
    if (!key.tokenBalance)
        return {statusReply(false, QStringLiteral("not_token_key"),
                            QStringLiteral("This license key has no tokens.")),
                QStringLiteral("not_token_key"), key.id};
    // One conditional statement: concurrent consumers can never take the balance below zero.
    auto balance = m_store->keys().adjustTokens(key.id, -job.amount, KeyStore::Audit::No);
    if (!balance) {
        if (balance.errorKind() == ErrorKind::LimitReached) {
            auto current = m_lookup->find(product.product.id, key.key);
            const qint64 left = current && current->has_value() ? (*current)->tokenBalance.value_or(0) : 0;
            return {statusReply(false, QStringLiteral("insufficient_tokens"),
                                QStringLiteral("The license key has %1 tokens left; %2 were asked for.")
                                    .arg(left)
                                    .arg(job.amount),
                                {{QStringLiteral("tokens"), left}}),
                    QStringLiteral("insufficient_tokens"), key.id};
        }
        return unavailable(balance.error());
    }
    key.tokenBalance = *balance;
    return {statusReply(true, QStringLiteral("active"), QString(),
                        {{QStringLiteral("consumed"), job.amount},
                         {QStringLiteral("tokens"), *balance},
                         {QStringLiteral("license"), PublicReplies::license(key, product.product, now)}}),
            QStringLiteral("consumed"), key.id};
}

ValidationWorker::Outcome ValidationWorker::lookup(ValidationJob& job, const ProductInfo& product,
                                                   const QDateTime& now)
{
    auto d = decide(job, product, now, false);
    if (!d)
        return unavailable(d.error());
    const bool missing =
        d->status == ValidationStatus::LicenseNotFound || d->status == ValidationStatus::InvalidFormat;
    return decisionOutcome(*d, product, missing ? 404 : 200);
}

void ValidationWorker::answer(ValidationJob& job, Outcome outcome, std::optional<qint64> productId)
{
    m_answers.push_back({&job, std::move(outcome), productId});
}

void ValidationWorker::log(const Answer& a)
{
    RequestLogEntry entry;
    entry.at = a.job->receivedAt;
    entry.productId = a.productId;
    entry.keyId = a.outcome.keyId;
    entry.keyHint = keyHint(a.job->licenseKey);
    entry.ip = a.job->ip;
    entry.endpoint = publicEndpointName(a.job->endpoint);
    entry.outcome = a.outcome.status;
    entry.httpStatus = a.outcome.reply.status;
    m_log.push_back(std::move(entry));
}

std::vector<RequestLogEntry> ValidationWorker::dueLog(bool force)
{
    const qint64 now = ConnectionGuard::monotonicMs();
    if (!m_flushing) {
        if (!force && m_log.size() < kLogBatch && now - m_lastFlush < m_ctx.config.logFlushMs)
            return {};
        std::vector<RequestLogEntry> fromHttp = m_ctx.requestLog.take();
        m_log.insert(m_log.end(), std::make_move_iterator(fromHttp.begin()),
                     std::make_move_iterator(fromHttp.end()));
        m_lastFlush = now;
        m_flushing = !m_log.empty();
    }
    if (!m_flushing || !m_store)
        return {};
    // A chunk at a time, so that validations arriving meanwhile wait for one chunk at most.
    const size_t n = force ? m_log.size() : std::min(m_log.size(), kLogChunk);
    std::vector<RequestLogEntry> chunk(std::make_move_iterator(m_log.begin()),
                                       std::make_move_iterator(m_log.begin() + qsizetype(n)));
    m_log.erase(m_log.begin(), m_log.begin() + qsizetype(n));
    m_flushing = !m_log.empty();
    return chunk;
}

void ValidationWorker::keepLog(std::vector<RequestLogEntry> chunk, const Error& error)
{
    qCWarning(lcServer) << "request log not written (" << (m_log.size() + chunk.size())
                        << "entries kept for the next try):" << error.message;
    m_log.insert(m_log.begin(), std::make_move_iterator(chunk.begin()), std::make_move_iterator(chunk.end()));
    if (m_log.size() > 100'000)
        m_log.erase(m_log.begin(), m_log.begin() + 50'000); // bounded memory while the database is down
    m_flushing = false;
}

void ValidationWorker::flushLog(bool force)
{
    std::vector<RequestLogEntry> chunk = dueLog(force);
    if (chunk.empty())
        return;
    if (Status s = m_store->requestLog().append(chunk); !s)
        keepLog(std::move(chunk), s.error());
}

} // namespace keyward::server
