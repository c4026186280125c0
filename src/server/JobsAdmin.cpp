#include "JobsAdmin.h"

#include "AdminApi.h"
#include "JobManager.h"
#include "ServerContext.h"
#include "Store.h"

#include "RecordSource.h"

#include <QBuffer>
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

// "true"/"false" (or 1/0) in the query; missing is false.
bool queryFlag(AdminRequest& r, const char* name)
{
    const QString text = r.query(name).toLower();
    if (text.isEmpty() || text == QLatin1String("false") || text == QLatin1String("0"))
        return false;
    if (text == QLatin1String("true") || text == QLatin1String("1"))
        return true;
    r.fail(QStringLiteral("The query parameter \"%1\" is true or false.").arg(QLatin1String(name)));
    return false;
}

// The file is the body as it is (CSV, TSV, a JSON array or JSON lines); the options are query
// parameters. The file is read and its columns mapped before the job starts, so a file that cannot
// be imported at all is a 400 right away; row problems are in the job's report.
HttpReply importKeys(AdminRequest& r)
{
    ImportOptions options;
    options.productId = r.queryInteger("product_id", 1, qint64(1) << 50).value_or(0);
    if (!options.productId && !r.failed())
        r.fail(QStringLiteral("The query parameter \"product_id\" is required."));
    if (const QString policy = r.query("on_conflict"); !policy.isEmpty()) {
        const auto parsed = conflictPolicyFromString(policy);
        if (!parsed)
            r.fail(QStringLiteral("\"on_conflict\" is skip, update or stop."));
        options.onConflict = parsed.value_or(ConflictPolicy::Skip);
    }
    options.dryRun = queryFlag(r, "dry_run");
    options.requireProductFormat = !queryFlag(r, "any_format");
    options.sourceName = r.query("name").left(200);
    if (options.sourceName.isEmpty())
        options.sourceName = QStringLiteral("upload");
    if (r.failed())
        return r.badRequest();

    QBuffer buffer;
    buffer.setData(r.http.body);
    buffer.open(QIODevice::ReadOnly);
    auto source = RecordSource::forDevice(buffer, options.sourceName);
    if (!source)
        return HttpReply::error(400, QStringLiteral("invalid_request"), source.errorMessage(), false);
    const QStringList columns = (*source)->columns();
    auto mapping = ImportMapping::guess(
        columns, r.http.query.allQueryItemValues(QStringLiteral("map"), QUrl::FullyDecoded));
    if (!mapping)
        return HttpReply::error(400, QStringLiteral("invalid_request"), mapping.errorMessage(), false);
    options.mapping = *mapping;
    if (!options.mapping.isMapped(ImportField::Key))
        return HttpReply::error(400, QStringLiteral("invalid_request"),
                                QStringLiteral("No column looks like the license key (columns: %1); name it "
                                               "with map=key=COLUMN.")
                                    .arg(columns.join(QLatin1String(", "))),
                                false);
    if (auto product = r.store.products().find(options.productId); !product)
        return AdminApi::errorReply(product.error());
    return jobReply(r.ctx.jobs->startImport(r.http.body, options, r.token.actor()), 202);
}

// The keys as the bulk-delete wizard chooses them: ids, key strings or a filter; the count the
// person confirmed (nothing is deleted when it no longer matches); a backup first unless refused.
HttpReply bulkDelete(AdminRequest& r)
{
    JsonFields in = r.fields();
    BulkTrashRequest request;
    const int given = int(in.has("ids")) + int(in.has("keys")) + int(in.has("filter"));
    if (given != 1) {
        r.fail(QStringLiteral("Give exactly one of \"ids\", \"keys\" or \"filter\"."));
    } else if (in.has("ids")) {
        std::vector<qint64> ids = in.ids("ids", true);
        if (ids.size() > 1'000'000)
            r.fail(QStringLiteral("At most 1,000,000 ids at once; use a filter for more."));
        request.target = BulkTrashTarget::ofIds(std::move(ids));
    } else if (in.has("keys")) {
        QStringList keys;
        const QJsonValue listed = r.body().value(QStringLiteral("keys"));
        for (const QJsonValue& v : listed.toArray()) {
            if (!v.isString() || v.toString().size() > 200) {
                r.fail(QStringLiteral("\"keys\" must be an array of license keys."));
                break;
            }
            keys << v.toString();
        }
        if (!listed.isArray() || keys.isEmpty() || keys.size() > 1'000'000)
            r.fail(QStringLiteral("\"keys\" must be an array of 1 to 1,000,000 license keys."));
        request.target = BulkTrashTarget::ofKeys(std::move(keys));
    } else {
        const QJsonObject f = in.object("filter");
        if (f.isEmpty() && !r.failed())
            r.fail(
                QStringLiteral("\"filter\" needs at least one condition (deleting every key is refused)."));
        request.target = BulkTrashTarget::ofFilter(r.keyFilter(f));
    }
    if (in.has("expected_count"))
        request.expectedCount = in.integer("expected_count", 0, qint64(1) << 50).value_or(-1);
    const bool backup = in.has("backup") ? in.boolean("backup").value_or(true) : true;
    const auto format = formatOf(r, in);
    if (r.failed())
        return r.badRequest();
    return jobReply(r.ctx.jobs->startBulkDelete(request, backup ? format : std::nullopt, r.token.actor()),
                    202);
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
    if (job->state == JobState::Done && !job->hasResult)
        return HttpReply::error(
            404, QStringLiteral("not_found"),
            QStringLiteral("Job %1 has no file to download (a bulk delete without a backup).").arg(id),
            false);
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
    api.add("POST", "/admin/v1/jobs/import", P::ManageCatalog, importKeys);
    api.add("POST", "/admin/v1/jobs/bulk-delete", P::ManageCatalog, bulkDelete);
    api.add("GET", "/admin/v1/jobs/{id}", P::Read, getJob);
    api.add("DELETE", "/admin/v1/jobs/{id}", P::ManageCatalog, removeJob);
    api.add("POST", "/admin/v1/jobs/{id}/cancel", P::ManageCatalog, cancelJob);
    api.add("GET", "/admin/v1/jobs/{id}/result", P::Read, jobResult);
}

} // namespace keyward::server
