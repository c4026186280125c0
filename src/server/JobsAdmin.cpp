#include "JobsAdmin.h"

#include "AdminApi.h"
#include "JobManager.h"
#include "ServerContext.h"
#include "Store.h"

#include <QJsonArray>

namespace keyward::server {
namespace {

using P = AdminPermission;

std::optional<ExportFormat> formatOf(AdminRequest& r, JsonFields& in)
{
    const QString text = in.string("format", false, 10);
    if (text.isEmpty() || text == QLatin1String("csv"))
        return ExportFormat::Csv;
    if (text == QLatin1String("json"))
        return ExportFormat::Json;
    r.fail(QStringLiteral("\"format\" is csv or json."));
    return std::nullopt;
}

HttpReply jobReply(const Result<JobInfo>& job, int status)
{
    if (!job)
        return AdminApi::errorReply(job.error());
    return HttpReply::json(status, job->toJson());
}

HttpReply generate(AdminRequest& r)
{
    JsonFields in = r.fields();
    GenerationRequest g;
    g.productId = in.integer("product_id", 1, qint64(1) << 50, true).value_or(0);
    g.count = in.integer("count", 1, KeyGeneration::kMaxCount, true).value_or(0);
    if (in.has("expires_at")) {
        const QString text = in.string("expires_at", false, 100);
        g.expiresAt = text == QLatin1String("never") || text.isEmpty() ? QDateTime() : in.time("expires_at");
    }
    if (in.has("max_domains"))
        g.maxDomains = int(in.integer("max_domains", 0, 1'000'000).value_or(0));
    if (in.has("max_uuids"))
        g.maxUuids = int(in.integer("max_uuids", 0, 1'000'000).value_or(0));
    if (in.has("tokens"))
        g.tokens = in.integer("tokens", 0, qint64(1) << 50);
    g.customerName = in.string("customer_name", false, 200);
    g.customerEmail = in.string("customer_email", false, 320);
    g.notes = in.string("notes", false, 20000);
    const auto format = formatOf(r, in);
    if (r.failed())
        return r.badRequest();
    if (auto product = r.store.products().find(g.productId); !product)
        return AdminApi::errorReply(product.error());
    return jobReply(r.ctx.jobs->startGeneration(g, *format, r.token.actor()), 202);
}

HttpReply exportKeys(AdminRequest& r)
{
    JsonFields in = r.fields();
    const KeyFilter filter = r.keyFilter(in.object("filter"));
    const auto format = formatOf(r, in);
    if (r.failed())
        return r.badRequest();
    return jobReply(r.ctx.jobs->startExport(filter, *format, r.token.actor()), 202);
}

HttpReply listJobs(AdminRequest& r)
{
    QJsonArray items;
    for (const JobInfo& job : r.ctx.jobs->list())
        items.append(job.toJson());
    return listReply(items, items.size(), 0, int(items.size()));
}

HttpReply getJob(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    auto job = r.ctx.jobs->find(id);
    if (!job)
        return HttpReply::error(404, QStringLiteral("not_found"),
                                QStringLiteral("There is no job %1.").arg(id), false);
    return HttpReply::json(200, job->toJson());
}

HttpReply cancelJob(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    if (Status s = r.ctx.jobs->cancel(id); !s)
        return AdminApi::errorReply(s.error());
    return HttpReply::json(202, r.ctx.jobs->find(id)->toJson());
}

HttpReply removeJob(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    if (Status s = r.ctx.jobs->remove(id); !s)
        return AdminApi::errorReply(s.error());
    return deletedReply(QString::number(id));
}

HttpReply jobResult(AdminRequest& r)
{
    const qint64 id = r.id();
    if (r.failed())
        return r.badRequest();
    auto job = r.ctx.jobs->find(id);
    if (!job)
        return HttpReply::error(404, QStringLiteral("not_found"),
                                QStringLiteral("There is no job %1.").arg(id), false);
    if (job->state != JobState::Done)
        return HttpReply::error(409, QStringLiteral("conflict"),
                                QStringLiteral("Job %1 is %2; its result is there once it is done.")
                                    .arg(id)
                                    .arg(jobStateToString(job->state)),
                                false);
    HttpReply reply;
    reply.filePath = job->resultPath;
    const bool csv = job->format == ExportFormat::Csv;
    reply.contentType =
        csv ? QByteArrayLiteral("text/csv; charset=utf-8") : QByteArrayLiteral("application/json");
    reply.disposition =
        "attachment; filename=\"keyward-job-" + QByteArray::number(id) + (csv ? ".csv\"" : ".json\"");
    return reply;
}

} // namespace

void JobsAdmin::addRoutes(AdminApi& api)
{
    api.add("GET", "/admin/v1/jobs", P::Read, listJobs);
    api.add("POST", "/admin/v1/jobs/generate", P::ManageCatalog, generate);
    api.add("POST", "/admin/v1/jobs/export", P::ManageCatalog, exportKeys);
    api.add("GET", "/admin/v1/jobs/{id}", P::Read, getJob);
    api.add("DELETE", "/admin/v1/jobs/{id}", P::ManageCatalog, removeJob);
    api.add("POST", "/admin/v1/jobs/{id}/cancel", P::ManageCatalog, cancelJob);
    api.add("GET", "/admin/v1/jobs/{id}/result", P::Read, jobResult);
}

} // namespace keyward::server
