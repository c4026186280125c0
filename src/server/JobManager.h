#pragma once

#include "BulkTrash.h"
#include "KeyExportWriter.h"
#include "KeyGeneration.h"
#include "KeyImport.h"
#include "KeyQuery.h"
#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMutex>
#include <QTemporaryDir>
#include <QThreadPool>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace keyward::server {

struct ServerContext;

enum class JobKind
{
    Generate,
    Export,
    Import,
    BulkDelete,
};
enum class JobState
{
    Queued,
    Running,
    Done,
    Failed,
    Cancelled
};

QString jobKindToString(JobKind kind);
QString jobStateToString(JobState state);

// What the admin API shows of a job.
struct JobInfo
{
    qint64 id = 0;
    JobKind kind = JobKind::Generate;
    JobState state = JobState::Queued;
    qint64 done = 0;
    qint64 total = 0;
    qint64 resultCount = 0;
    QString error;
    QString actor;
    ExportFormat format = ExportFormat::Csv;
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString resultPath;    // the file to download once done
    bool hasResult = true; // false: nothing to download (a bulk delete without a backup)
    QJsonObject summary;   // what an import or a bulk delete did (counts)

    QJsonObject toJson() const;
};

// Long admin work (generating keys, exporting keys) as server-side jobs: each runs on a pool
// thread with its own connection, reports progress, can be cancelled (then it stores nothing, as
// KeyGeneration and KeyExport promise) and leaves a result file to download. Jobs live in this
// process; finished ones are removed after [jobs] keep_hours.
class JobManager
{
public:
    explicit JobManager(ServerContext& context);
    ~JobManager();

    Status start();
    void stop(); // cancels what runs and waits for it

    Result<JobInfo> startGeneration(const GenerationRequest& request, ExportFormat format,
                                    const QString& actor);
    Result<JobInfo> startExport(const KeyFilter& filter, ExportFormat format, const QString& actor);
    // The file's bytes as uploaded; the result is the row-level report (CSV).
    Result<JobInfo> startImport(const QByteArray& file, const ImportOptions& options, const QString& actor);
    // With a backup (CSV or JSON), the result is the backup of the deleted keys, written first.
    Result<JobInfo> startBulkDelete(const BulkTrashRequest& request, std::optional<ExportFormat> backup,
                                    const QString& actor);
    std::optional<JobInfo> find(qint64 id) const;
    std::vector<JobInfo> list() const;
    Status cancel(qint64 id);
    Status remove(qint64 id);
    void removeExpired();

private:
    struct Job
    {
        JobInfo info;
        std::atomic<bool> cancel{false};
        std::atomic<qint64> done{0};
        std::atomic<qint64> total{0};
        QJsonObject summary; // written by the job's thread only, copied into info when it ends
    };
    using Work = std::function<Result<qint64>(Job& job, const QString& path)>;

    static JobControl control(Job& job); // the job's cancel flag and progress counters
    Result<JobInfo> submit(JobKind kind, ExportFormat format, const QString& actor, Work work,
                           bool hasResult = true);
    void runJob(const std::shared_ptr<Job>& job, const Work& work);
    JobInfo snapshot(const Job& job) const;

    ServerContext& m_ctx;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_dir;
    QThreadPool m_pool;
    mutable QMutex m_mutex;
    std::map<qint64, std::shared_ptr<Job>> m_jobs;
    qint64 m_nextId = 1;
    bool m_stopped = false;
};

} // namespace keyward::server
