#pragma once

#include "RequestLog.h"
#include "Result.h"
#include "ValidationJob.h"
#include "Validator.h"

#include <QSemaphore>
#include <QThread>

#include <memory>
#include <vector>

namespace keyward {
class Store;
}

namespace keyward::server {

struct ProductInfo;
struct ServerContext;
class ValidationPipeline;

// A database worker of the public API: takes batches of jobs, counts each product's share of the
// batch toward its daily limit in one statement, decides every answer through the core
// (Validator, KeyStore) and writes the request log in batches. Owns its connection.
class ValidationWorker : public QThread
{
public:
    ValidationWorker(ServerContext& context, ValidationPipeline& pipeline, int index);
    ~ValidationWorker() override;

    Status waitReady();

protected:
    void run() override;

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

    Status open();
    // True when the request log's chunk that was due went into the batch's transaction.
    bool process(std::vector<ValidationJob>& jobs);
    void decideAll(std::vector<ValidationJob>& jobs, const QDateTime& now);
    void answer(ValidationJob& job, Outcome outcome, std::optional<qint64> productId);
    void log(const Answer& a); // its request log entry
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
    // The request log entries due to be written now (a chunk while a flush is under way).
    std::vector<RequestLogEntry> dueLog(bool force);
    // Puts a chunk that could not be written back, for the next flush.
    void keepLog(std::vector<RequestLogEntry> chunk, const Error& error);
    void flushLog(bool force);

    ServerContext& m_ctx;
    ValidationPipeline& m_pipeline;
    int m_index;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<LicenseLookup> m_lookup;
    QSemaphore m_ready;
    Status m_openStatus;
    bool m_reopen = false;
    std::vector<Answer> m_answers; // of the current batch, sent once its transaction committed
    std::vector<RequestLogEntry> m_log;
    qint64 m_lastFlush = 0;
    bool m_flushing = false; // a flush is under way, a chunk per loop
};

} // namespace keyward::server
