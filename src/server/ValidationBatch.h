#pragma once

#include "RequestLog.h"
#include "Result.h"
#include "ValidationJob.h"
#include "Validator.h"

#include <QString>

#include <memory>
#include <vector>

class QDateTime;

namespace keyward {
class Store;
}

namespace keyward::server {

struct ProductInfo;
struct ServerContext;

// Decides a batch of public API jobs on one database connection of its own: counts each product's
// share of the batch toward its daily limit in one statement, decides every answer through the
// core (Validator, KeyStore), answers once the counts are committed, and leaves a request log
// entry per job. Lives in one thread (its connection does): a ValidationWorker's, or on SQLite
// the HTTP thread's own, which then needs no hand-over at all (see ValidationPipeline).
class ValidationBatch
{
public:
    ValidationBatch(ServerContext& context, QString name);
    ~ValidationBatch();

    Status open();
    // Answers every job (503 while the database cannot be reached) and appends their log entries.
    void process(std::vector<ValidationJob>& jobs, std::vector<RequestLogEntry>& log);
    Store* store() const { return m_store.get(); }

private:
    struct Outcome
    {
        HttpReply reply;
        QString status; // for the request log
        std::optional<qint64> keyId;
    };

    struct Answer
    {
        ValidationJob* job;
        Outcome outcome;
        std::optional<qint64> productId;
    };

    // The jobs of one product, in arrival order, and how many of them the daily limit lets through.
    struct ProductGroup
    {
        qint64 productId = 0;
        std::shared_ptr<const ProductInfo> info;
        std::vector<ValidationJob*> jobs;
        Result<qint64> granted = qint64(0);
    };

    // SQLite: who writes, and when (see process()).
    void processSqlite(std::vector<ValidationJob>& jobs, const QDateTime& now);
    // Answers what needs no count (unknown API key, no connection) and groups the rest by product.
    std::vector<ProductGroup> group(std::vector<ValidationJob>& jobs);
    void grantAll(std::vector<ProductGroup>& groups, const QDateTime& now);
    void decideAll(std::vector<ProductGroup>& groups, const QDateTime& now);
    void answerAll(std::vector<ProductGroup>& groups, const Outcome& outcome);
    void answer(ValidationJob& job, Outcome outcome, std::optional<qint64> productId);
    Outcome run(ValidationJob& job, const ProductInfo& product, const QDateTime& now);
    Outcome validate(ValidationJob& job, const ProductInfo& product, const QDateTime& now);
    Outcome activate(ValidationJob& job, const ProductInfo& product, const QDateTime& now);
    Outcome deactivate(ValidationJob& job, const ProductInfo& product, const QDateTime& now);
    Outcome consume(ValidationJob& job, const ProductInfo& product, const QDateTime& now);
    Outcome lookup(ValidationJob& job, const ProductInfo& product, const QDateTime& now);
    // The decision for the job's key (format, lookup, status; bindings when asked).
    Result<ValidationDecision> decide(ValidationJob& job, const ProductInfo& product, const QDateTime& now,
                                      bool checkBindings);
    Outcome decisionOutcome(const ValidationDecision& d, const ProductInfo& product, int status = 200) const;
    Outcome unavailable(const Error& error);
    std::shared_ptr<const ProductInfo> product(qint64 id);

    ServerContext& m_ctx;
    QString m_name; // for log lines
    std::unique_ptr<Store> m_store;
    std::unique_ptr<LicenseLookup> m_lookup;
    bool m_reopen = false;
    std::vector<Answer> m_answers; // of the current batch, sent once its counts are committed
};

} // namespace keyward::server
