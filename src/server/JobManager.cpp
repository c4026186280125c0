#include "JobManager.h"

#include "DomainJson.h"
#include "ImportReportWriter.h"
#include "KeyExport.h"
#include "RecordSource.h"
#include "ServerContext.h"
#include "Store.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSaveFile>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

QString jobKindToString(JobKind kind)
{
    switch (kind) {
    case JobKind::Generate:
        return QStringLiteral("generate");
    case JobKind::Export:
        return QStringLiteral("export");
    case JobKind::Import:
        return QStringLiteral("import");
    case JobKind::BulkDelete:
        return QStringLiteral("bulk_delete");
    }
    return {};
}

namespace {

// A job's own connection, acting for the person who started it.
Result<std::unique_ptr<Store>> jobStore(ServerContext& ctx, const QString& actor)
{
    auto store = Store::open(ctx.location, {});
    if (!store)
        return store.error();
    (*store)->setActor(actor);
    (*store)->setClock(ctx.clock);
    return store;
}

QJsonObject importSummaryJson(const ImportSummary& s)
{
    return {{QStringLiteral("rows"), s.rows},         {QStringLiteral("imported"), s.imported},
            {QStringLiteral("updated"), s.updated},   {QStringLiteral("skipped"), s.skipped},
            {QStringLiteral("rejected"), s.rejected}, {QStringLiteral("problems"), s.problemCount},
            {QStringLiteral("dry_run"), s.dryRun},    {QStringLiteral("stopped"), s.stopped}};
}

} // namespace

QString jobStateToString(JobState state)
{
    switch (state) {
    case JobState::Queued:
        return QStringLiteral("queued");
    case JobState::Running:
        return QStringLiteral("running");
    case JobState::Done:
        return QStringLiteral("done");
    case JobState::Failed:
        return QStringLiteral("failed");
    case JobState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

QJsonObject JobInfo::toJson() const
{
    QJsonObject o{
        {QStringLiteral("id"), id},
        {QStringLiteral("kind"), jobKindToString(kind)},
        {QStringLiteral("state"), jobStateToString(state)},
        {QStringLiteral("done"), done},
        {QStringLiteral("total"), total},
        {QStringLiteral("format"),
         format == ExportFormat::Csv ? QStringLiteral("csv") : QStringLiteral("json")},
        {QStringLiteral("actor"), actor},
        {QStringLiteral("created_at"), DomainJson::time(createdAt)},
        {QStringLiteral("started_at"), DomainJson::time(startedAt)},
        {QStringLiteral("finished_at"), DomainJson::time(finishedAt)},
        {QStringLiteral("error"), error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(error)}};
    if (state == JobState::Done) {
        o.insert(QStringLiteral("result_count"), resultCount);
        if (hasResult)
            o.insert(QStringLiteral("download"), QStringLiteral("/admin/v1/jobs/%1/result").arg(id));
        if (!summary.isEmpty())
            o.insert(QStringLiteral("summary"), summary);
    }
    return o;
}

JobManager::JobManager(ServerContext& context) : m_ctx(context)
{
    m_pool.setMaxThreadCount(std::max(1, context.config.maxRunningJobs));
}

JobManager::~JobManager()
{
    stop();
}

Status JobManager::start()
{
    if (m_ctx.config.jobsDir.isEmpty()) {
        m_tempDir =
            std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/keywardd-jobs-XXXXXX"));
        if (!m_tempDir->isValid())
            return makeError(
                ErrorKind::Io,
                QStringLiteral("Cannot create a folder for job results in %1.").arg(QDir::tempPath()));
        m_dir = m_tempDir->path();
    } else {
        m_dir = m_ctx.config.jobsDir;
        if (!QDir().mkpath(m_dir))
            return makeError(ErrorKind::Io, QStringLiteral("Cannot create the jobs folder %1.").arg(m_dir));
    }
    return {};
}

void JobManager::stop()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopped = true;
        for (auto& [id, job] : m_jobs)
            job->cancel = true;
    }
    m_pool.waitForDone();
}

JobInfo JobManager::snapshot(const Job& job) const
{
    JobInfo info = job.info;
    info.done = job.done.load();
    info.total = job.total.load();
    return info;
}

Result<JobInfo> JobManager::submit(JobKind kind, ExportFormat format, const QString& actor, Work work,
                                   bool hasResult)
{
    auto job = std::make_shared<Job>();
    {
        QMutexLocker lock(&m_mutex);
        if (m_stopped)
            return makeError(ErrorKind::Conflict,
                             QStringLiteral("The server is shutting down; no new jobs."));
        job->info.id = m_nextId++;
        job->info.kind = kind;
        job->info.format = format;
        job->info.actor = actor;
        job->info.hasResult = hasResult;
        job->info.createdAt = m_ctx.now();
        job->info.resultPath = QDir(m_dir).filePath(
            QStringLiteral("job-%1.%2")
                .arg(job->info.id)
                .arg(format == ExportFormat::Csv ? QStringLiteral("csv") : QStringLiteral("json")));
        m_jobs.emplace(job->info.id, job);
    }
    m_pool.start([this, job, work = std::move(work)] { runJob(job, work); });
    return snapshot(*job);
}

void JobManager::runJob(const std::shared_ptr<Job>& job, const Work& work)
{
    {
        QMutexLocker lock(&m_mutex);
        if (job->cancel) {
            job->info.state = JobState::Cancelled;
            job->info.finishedAt = m_ctx.now();
            return;
        }
        job->info.state = JobState::Running;
        job->info.startedAt = m_ctx.now();
    }
    Result<qint64> result = work(*job, job->info.resultPath);
    QMutexLocker lock(&m_mutex);
    job->info.finishedAt = m_ctx.now();
    if (result) {
        job->info.state = JobState::Done;
        job->info.resultCount = *result;
        job->info.summary = job->summary;
        job->done = job->total.load();
    } else if (result.errorKind() == ErrorKind::Cancelled) {
        job->info.state = JobState::Cancelled;
        QFile::remove(job->info.resultPath);
    } else {
        job->info.state = JobState::Failed;
        job->info.error = result.errorMessage();
        QFile::remove(job->info.resultPath);
    }
    qCInfo(lcServer) << "job" << job->info.id << jobKindToString(job->info.kind)
                     << jobStateToString(job->info.state);
}

Result<JobInfo> JobManager::startGeneration(const GenerationRequest& request, ExportFormat format,
                                            const QString& actor)
{
    ServerContext* ctx = &m_ctx;
    return submit(JobKind::Generate, format, actor,
                  [ctx, request, format, actor](Job& job, const QString& path) -> Result<qint64> {
                      auto store = jobStore(*ctx, actor);
                      if (!store)
                          return store.error();
                      job.total = request.count;
                      QSaveFile file(path);
                      if (!file.open(QIODevice::WriteOnly))
                          return makeError(
                              ErrorKind::Io,
                              QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
                      KeyExportWriter writer(file, format);
                      if (Status s = writer.begin(); !s)
                          return s.error();
                      auto generated =
                          KeyGeneration::run(**store, request, control(job),
                                             [&writer](const LicenseKey& key) { return writer.write(key); });
                      if (!generated)
                          return generated.error();
                      if (Status s = writer.finish(); !s || !file.commit())
                          return makeError(
                              ErrorKind::Io,
                              QStringLiteral("The %1 keys were stored, but their file could not be written; "
                                             "export them instead.")
                                  .arg(*generated));
                      return generated;
                  });
}

Result<JobInfo> JobManager::startExport(const KeyFilter& filter, ExportFormat format, const QString& actor)
{
    ServerContext* ctx = &m_ctx;
    return submit(JobKind::Export, format, actor,
                  [ctx, filter, format, actor](Job& job, const QString& path) -> Result<qint64> {
                      auto store = jobStore(*ctx, actor);
                      if (!store)
                          return store.error();
                      auto exported = KeyExport::toFile((*store)->keys(), filter, path, format, control(job));
                      if (!exported)
                          return exported.error();
                      const QJsonObject detail{{QStringLiteral("count"), *exported},
                                               {QStringLiteral("format"), format == ExportFormat::Csv
                                                                              ? QStringLiteral("csv")
                                                                              : QStringLiteral("json")}};
                      if (Status s =
                              (*store)->audit().record(ctx->now(), actor, QStringLiteral("keys.export"),
                                                       QStringLiteral("keys"), QString(), detail);
                          !s)
                          return s.error();
                      return exported;
                  });
}

JobControl JobManager::control(Job& job)
{
    JobControl control;
    control.cancel = &job.cancel;
    control.progress = [&job](qint64 done, qint64 total) {
        job.done = done;
        job.total = total;
    };
    return control;
}

Result<JobInfo> JobManager::startImport(const QByteArray& file, const ImportOptions& options,
                                        const QString& actor)
{
    ServerContext* ctx = &m_ctx;
    return submit(JobKind::Import, ExportFormat::Csv, actor,
                  [ctx, file, options, actor](Job& job, const QString& path) -> Result<qint64> {
                      auto store = jobStore(*ctx, actor);
                      if (!store)
                          return store.error();
                      QBuffer buffer;
                      buffer.setData(file);
                      buffer.open(QIODevice::ReadOnly);
                      auto source = RecordSource::forDevice(buffer, options.sourceName);
                      if (!source)
                          return source.error();
                      ImportReportWriter report(path);
                      if (Status s = report.open(); !s)
                          return s.error();
                      auto summary = KeyImport::run(**store, **source, options, control(job),
                                                    [&report](const ImportProblem& p) { report.add(p); });
                      if (!summary)
                          return summary.error();
                      job.summary = importSummaryJson(*summary);
                      if (Status s = report.commit(); !s)
                          return makeError(ErrorKind::Io,
                                           QStringLiteral("The import finished (%1 keys), but its report "
                                                          "could not be written: %2")
                                               .arg(summary->imported)
                                               .arg(s.errorMessage()));
                      return summary->imported;
                  });
}

Result<JobInfo> JobManager::startBulkDelete(const BulkTrashRequest& request,
                                            std::optional<ExportFormat> backup, const QString& actor)
{
    ServerContext* ctx = &m_ctx;
    return submit(
        JobKind::BulkDelete, backup.value_or(ExportFormat::Csv), actor,
        [ctx, request, backup, actor](Job& job, const QString& path) -> Result<qint64> {
            auto store = jobStore(*ctx, actor);
            if (!store)
                return store.error();
            BulkTrashRequest r = request;
            if (backup)
                r.backupPath = path; // job-N.csv or .json: the backup's format follows the suffix
            auto done = BulkTrash::run(**store, r, control(job));
            if (!done)
                return done.error();
            job.summary = {{QStringLiteral("trashed"), done->trashed},
                           {QStringLiteral("backed_up"), done->backedUp}};
            return done->trashed;
        },
        backup.has_value());
}

std::optional<JobInfo> JobManager::find(qint64 id) const
{
    QMutexLocker lock(&m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return std::nullopt;
    return snapshot(*it->second);
}

std::vector<JobInfo> JobManager::list() const
{
    QMutexLocker lock(&m_mutex);
    std::vector<JobInfo> out;
    for (const auto& [id, job] : m_jobs)
        out.push_back(snapshot(*job));
    return out;
}

Status JobManager::cancel(qint64 id)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return makeError(ErrorKind::NotFound, QStringLiteral("There is no job %1.").arg(id));
    const JobState state = it->second->info.state;
    if (state != JobState::Queued && state != JobState::Running)
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral("Job %1 has already finished (%2).").arg(id).arg(jobStateToString(state)));
    it->second->cancel = true;
    return {};
}

Status JobManager::remove(qint64 id)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return makeError(ErrorKind::NotFound, QStringLiteral("There is no job %1.").arg(id));
    const JobState state = it->second->info.state;
    if (state == JobState::Queued || state == JobState::Running)
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("Job %1 is still running; cancel it first.").arg(id));
    QFile::remove(it->second->info.resultPath);
    m_jobs.erase(it);
    return {};
}

void JobManager::removeExpired()
{
    const QDateTime cutoff = m_ctx.now().addSecs(-qint64(m_ctx.config.jobsKeepHours) * 3600);
    QMutexLocker lock(&m_mutex);
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        const JobInfo& info = it->second->info;
        const bool finished = info.state != JobState::Queued && info.state != JobState::Running;
        if (finished && info.finishedAt.isValid() && info.finishedAt < cutoff) {
            QFile::remove(info.resultPath);
            it = m_jobs.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace keyward::server
