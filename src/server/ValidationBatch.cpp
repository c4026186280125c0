#include "ValidationBatch.h"

#include "ConnectionGuard.h"
#include "KeyHint.h"
#include "PublicReplies.h"
#include "ServerContext.h"
#include "Store.h"
#include "Validation.h"

#include <QHash>
#include <QLoggingCategory>

#include <algorithm>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace {

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

bool writesKeys(PublicEndpoint endpoint)
{
    return endpoint == PublicEndpoint::Activate || endpoint == PublicEndpoint::Deactivate ||
           endpoint == PublicEndpoint::Consume;
}

} // namespace

ValidationBatch::ValidationBatch(ServerContext& context, QString name)
    : m_ctx(context), m_name(std::move(name))
{}

ValidationBatch::~ValidationBatch()
{
    m_lookup.reset(); // before the connection it reads through
}

Status ValidationBatch::open()
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

std::shared_ptr<const ProductInfo> ValidationBatch::product(qint64 id)
{
    if (auto cached = m_ctx.products.find(id))
        return cached;
    auto loaded = m_store->products().find(id);
    if (!loaded)
        return nullptr;
    return m_ctx.products.put(*loaded);
}

void ValidationBatch::process(std::vector<ValidationJob>& jobs, std::vector<RequestLogEntry>& log)
{
    const QDateTime now = m_ctx.now();
    m_answers.clear();
    if (!m_store || m_reopen) {
        // Never opened, or the connection failed earlier (e.g. PostgreSQL restarted): a fresh one.
        if (Status s = open(); s)
            m_reopen = false;
        else
            qCWarning(lcServer).noquote() << m_name << "cannot open the database:" << s.error().message;
    }
    if (m_store && m_store->database().isSqlite()) {
        processSqlite(jobs, now);
    } else {
        // PostgreSQL: each statement commits by itself, row locks stay short.
        std::vector<ProductGroup> groups = group(jobs);
        grantAll(groups, now);
        decideAll(groups, now);
    }
    std::vector<std::pair<ReplySink, HttpReply>> replies;
    replies.reserve(m_answers.size());
    log.reserve(log.size() + m_answers.size());
    for (Answer& a : m_answers) {
        RequestLogEntry entry;
        entry.at = a.job->receivedAt;
        entry.productId = a.productId;
        entry.keyId = a.outcome.keyId;
        entry.keyHint = keyHint(a.job->licenseKey);
        entry.ip = a.job->ip;
        entry.endpoint = publicEndpointName(a.job->endpoint);
        entry.outcome = a.outcome.status;
        entry.httpStatus = a.outcome.reply.status;
        log.push_back(std::move(entry));
        replies.emplace_back(a.job->reply, std::move(a.outcome.reply));
    }
    m_answers.clear();
    ReplySink::sendAll(std::move(replies));
}

void ValidationBatch::processSqlite(std::vector<ValidationJob>& jobs, const QDateTime& now)
{
    // One writer at a time among this process's connections: SQLite's own wait for its lock sleeps
    // for milliseconds. No answer leaves before the counts it depends on are committed.
    Database& db = m_store->database();
    if (std::any_of(jobs.begin(), jobs.end(),
                    [](const ValidationJob& j) { return writesKeys(j.endpoint); })) {
        // Activations and token consumption change keys: the whole batch in one transaction.
        QMutexLocker writer(&m_ctx.sqliteWriter);
        Transaction tx(db);
        if (!tx) {
            const Outcome down = unavailable(tx.error());
            for (ValidationJob& job : jobs)
                answer(job, down, std::nullopt);
            return;
        }
        std::vector<ProductGroup> groups = group(jobs);
        grantAll(groups, now);
        decideAll(groups, now);
        if (Status s = tx.commit(); !s) {
            const Outcome down = unavailable(s.error());
            for (Answer& a : m_answers)
                a.outcome = down;
        }
        return;
    }
    // Validations and lookups only write their counts: one short transaction holds the write lock,
    // and the keys are read after it, in parallel with the other HTTP threads.
    std::vector<ProductGroup> groups = group(jobs);
    {
        QMutexLocker writer(&m_ctx.sqliteWriter);
        Transaction tx(db);
        if (!tx) {
            answerAll(groups, unavailable(tx.error()));
            return;
        }
        grantAll(groups, now);
        if (Status s = tx.commit(); !s) {
            answerAll(groups, unavailable(s.error()));
            return;
        }
    }
    Transaction view(db, Transaction::Kind::Read); // one snapshot (and one lock round) for all reads
    decideAll(groups, now);
    view.commit();
}

std::vector<ValidationBatch::ProductGroup> ValidationBatch::group(std::vector<ValidationJob>& jobs)
{
    std::vector<ProductGroup> groups;
    if (!m_store) {
        const Outcome down =
            unavailable(Error(ErrorKind::Unreachable, QStringLiteral("no database connection")));
        for (ValidationJob& job : jobs)
            answer(job, down, std::nullopt);
        return groups;
    }
    QHash<qint64, size_t> index; // product id -> position in groups
    for (ValidationJob& job : jobs) {
        // Most jobs arrive authenticated by the cache; the rest are looked up once here.
        if (!job.apiKey) {
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
        m_ctx.apiKeys.noteUsed(job.apiKey->apiKeyId);
        const qint64 productId = job.apiKey->productId;
        auto it = index.find(productId);
        if (it == index.end()) {
            it = index.insert(productId, groups.size());
            ProductGroup g;
            g.productId = productId;
            g.info = product(productId);
            groups.push_back(std::move(g));
        }
        ProductGroup& g = groups[it.value()];
        if (!g.info) {
            answer(job, {PublicReplies::invalidApiKey(), QStringLiteral("invalid_api_key"), {}},
                   std::nullopt);
            continue;
        }
        g.jobs.push_back(&job);
    }
    return groups;
}

void ValidationBatch::grantAll(std::vector<ProductGroup>& groups, const QDateTime& now)
{
    // One statement per product counts what fits under its daily limit.
    for (ProductGroup& g : groups) {
        if (!g.jobs.empty())
            g.granted =
                m_store->quota().grant(g.productId, g.info->product.dailyLimit(), qint64(g.jobs.size()), now);
    }
}

void ValidationBatch::answerAll(std::vector<ProductGroup>& groups, const Outcome& outcome)
{
    for (ProductGroup& g : groups) {
        for (ValidationJob* job : g.jobs)
            answer(*job, outcome, g.productId);
        g.jobs.clear();
    }
}

void ValidationBatch::decideAll(std::vector<ProductGroup>& groups, const QDateTime& now)
{
    for (ProductGroup& g : groups) {
        if (!g.granted) {
            const Outcome down = unavailable(g.granted.error());
            for (ValidationJob* job : g.jobs)
                answer(*job, down, g.productId);
            continue;
        }
        for (size_t i = 0; i < g.jobs.size(); ++i) {
            if (qint64(i) >= *g.granted) {
                answer(*g.jobs[i],
                       {PublicReplies::rateLimitExceeded(now), QStringLiteral("rate_limit_exceeded"), {}},
                       g.productId);
                continue;
            }
            answer(*g.jobs[i], run(*g.jobs[i], *g.info, now), g.productId);
        }
    }
}

ValidationBatch::Outcome ValidationBatch::run(ValidationJob& job, const ProductInfo& product,
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

Result<ValidationDecision> ValidationBatch::decide(ValidationJob& job, const ProductInfo& product,
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

ValidationBatch::Outcome ValidationBatch::decisionOutcome(const ValidationDecision& d,
                                                          const ProductInfo& product, int status) const
{
    Outcome o{PublicReplies::decisionReply(status, d, product.product, m_ctx.now()),
              validationStatusToString(d.status),
              {}};
    if (d.key)
        o.keyId = d.key->id;
    return o;
}

ValidationBatch::Outcome ValidationBatch::unavailable(const Error& error)
{
    qCWarning(lcServer).noquote() << m_name << "database problem:" << error.message;
    if (error.kind == ErrorKind::Unreachable || error.kind == ErrorKind::Internal)
        m_reopen = true;
    return {PublicReplies::unavailable(), QStringLiteral("unavailable"), {}};
}

ValidationBatch::Outcome ValidationBatch::validate(ValidationJob& job, const ProductInfo& product,
                                                   const QDateTime& now)
{
    auto d = decide(job, product, now, true);
    if (!d)
        return unavailable(d.error());
    return decisionOutcome(*d, product);
}

ValidationBatch::Outcome ValidationBatch::activate(ValidationJob& job, const ProductInfo& product,
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

ValidationBatch::Outcome ValidationBatch::deactivate(ValidationJob& job, const ProductInfo& product,
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

ValidationBatch::Outcome ValidationBatch::consume(ValidationJob& job, const ProductInfo& product,
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

ValidationBatch::Outcome ValidationBatch::lookup(ValidationJob& job, const ProductInfo& product,
                                                 const QDateTime& now)
{
    auto d = decide(job, product, now, false);
    if (!d)
        return unavailable(d.error());
    const bool missing =
        d->status == ValidationStatus::LicenseNotFound || d->status == ValidationStatus::InvalidFormat;
    return decisionOutcome(*d, product, missing ? 404 : 200);
}

void ValidationBatch::answer(ValidationJob& job, Outcome outcome, std::optional<qint64> productId)
{
    m_answers.push_back({&job, std::move(outcome), productId});
}

} // namespace keyward::server
