#include "ServerContext.h"
#include "ServerFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace keyward;

// The admin API over real HTTP: roles (deny by default), products, keys (paged, sorted, filtered,
// with totals), edits, revoke, trash, activations, tokens, API keys, jobs with progress, cancel
// and download, the support desk, usage, the request and audit logs, admin tokens.
class TestServerAdmin : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerFixture> f;
    QString owner, manager, support, viewer;
    qint64 ownerId = 0;
    Product product;

    HttpResponse call(const QByteArray& method, const QByteArray& path, const QJsonObject& body,
                      const QString& token)
    {
        HttpTestClient c = f->client();
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token.toLatin1()});
        const QByteArray bytes = method == "GET" || method == "DELETE"
                                     ? QByteArray()
                                     : QJsonDocument(body).toJson(QJsonDocument::Compact);
        return c.request(method, path, bytes, headers);
    }
    HttpResponse get(const QByteArray& path, const QString& token) { return call("GET", path, {}, token); }
    HttpResponse post(const QByteArray& path, const QJsonObject& body, const QString& token)
    {
        return call("POST", path, body, token);
    }

    static QByteArray id(const QJsonObject& o)
    {
        return QByteArray::number(o.value(QStringLiteral("id")).toInteger());
    }

    // Polls a job until it has finished.
    QJsonObject waitForJob(qint64 job)
    {
        QJsonObject state;
        for (int i = 0; i < 1200; ++i) {
            state = get("/admin/v1/jobs/" + QByteArray::number(job), owner).json();
            const QString s = state.value(QStringLiteral("state")).toString();
            if (s != QLatin1String("queued") && s != QLatin1String("running"))
                return state;
            QTest::qWait(50);
        }
        return state;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInfo("backend: %s", qPrintable(TestDatabase::backendName(TestDatabase::backendFromEnvironment())));
        QString problem;
        bool skip = false;
        f = ServerFixture::create(problem, skip);
        if (!f && skip)
            QSKIP(qPrintable(problem));
        QVERIFY2(f, qPrintable(problem));
        product = f->product(QStringLiteral("Photo Editor"));
        owner = f->adminToken(AdminRole::Owner, QStringLiteral("alice"));
        ownerId = f->store().adminTokens().list()->back().id;
        manager = f->adminToken(AdminRole::Manager, QStringLiteral("bob"));
        support = f->adminToken(AdminRole::Support, QStringLiteral("carol"));
        viewer = f->adminToken(AdminRole::Viewer, QStringLiteral("dave"));
        QVERIFY(f->start());
    }

    void cleanupTestCase() { f.reset(); }

    // Every admin route: 401 without a token, and 403 exactly for the roles that may not.
    void denyByDefault()
    {
        static const QRegularExpression parameter(QStringLiteral("\\{([^}]+)\\}"));
        const std::vector<std::pair<AdminRole, QString>> roles = {{AdminRole::Owner, owner},
                                                                  {AdminRole::Manager, manager},
                                                                  {AdminRole::Support, support},
                                                                  {AdminRole::Viewer, viewer}};
        int checked = 0;
        for (const server::Route& route : f->server().context().routes.routes()) {
            if (!route.path.startsWith(QLatin1String("/admin/")))
                continue;
            QVERIFY2(route.permission.has_value(), qPrintable(route.path));
            QString path = route.path;
            path.replace(QStringLiteral("{ip}"), QStringLiteral("192.0.2.99"));
            path.replace(parameter, QStringLiteral("999999"));
            const QByteArray method = route.method.toLatin1();
            const HttpResponse anonymous = call(method, path.toLatin1(), {}, {});
            QCOMPARE(anonymous.status, 401);
            QCOMPARE(anonymous.header("www-authenticate"), QByteArray("Bearer"));
            QCOMPARE(call(method, path.toLatin1(), {}, QStringLiteral("kwadm_wrong")).status, 401);
            for (const auto& [role, token] : roles) {
                if (method != "GET" && role == AdminRole::Owner)
                    continue; // owners may do everything; the requests would really change things
                const HttpResponse r = call(method, path.toLatin1(), {}, token);
                const bool allowed = adminRoleAllows(role, *route.permission);
                QVERIFY2(allowed == (r.status != 403),
                         qPrintable(QStringLiteral("%1 %2 as %3: %4")
                                        .arg(route.method, route.path, adminRoleToString(role))
                                        .arg(r.status)));
                ++checked;
            }
        }
        QVERIFY(checked > 150);
        // What the roles mean, spelled out for a few routes.
        QCOMPARE(post("/admin/v1/products", {{QStringLiteral("name"), QStringLiteral("X")}}, viewer).status,
                 403);
        QCOMPARE(post("/admin/v1/products", {{QStringLiteral("name"), QStringLiteral("X")}}, support).status,
                 403);
        QCOMPARE(
            post("/admin/v1/whitelist", {{QStringLiteral("cidr"), QStringLiteral("10.0.0.0/8")}}, manager)
                .status,
            403);
        QCOMPARE(get("/admin/v1/admin-tokens", manager).status, 403);
        QCOMPARE(get("/admin/v1/keys", support).status, 200);
        QCOMPARE(get("/admin/v1/me", viewer).json().value(QStringLiteral("role")).toString(),
                 QStringLiteral("viewer"));
        const HttpResponse forbidden = post("/admin/v1/tickets", {}, manager);
        QCOMPARE(forbidden.text("error"), QStringLiteral("forbidden"));
        QVERIFY(forbidden.text("message").contains(QLatin1String("manager")));
    }

    void products()
    {
        HttpResponse r = post("/admin/v1/products",
                              {{QStringLiteral("name"), QStringLiteral("Game")},
                               {QStringLiteral("key_prefix"), QStringLiteral("GAME-")},
                               {QStringLiteral("plan"), QStringLiteral("pro")},
                               {QStringLiteral("default_max_domains"), 2},
                               {QStringLiteral("check_symbol"), true}},
                              manager);
        QCOMPARE(r.status, 201);
        const QJsonObject game = r.json();
        QCOMPARE(game.value(QStringLiteral("daily_limit")).toInteger(), 100000);
        QCOMPARE(game.value(QStringLiteral("key_prefix")).toString(), QStringLiteral("GAME-"));
        QCOMPARE(game.value(QStringLiteral("keys")).toInteger(), 0);
        QCOMPARE(
            post("/admin/v1/products", {{QStringLiteral("name"), QStringLiteral("game")}}, manager).status,
            409);
        QCOMPARE(
            post("/admin/v1/products", {{QStringLiteral("key_prefix"), QStringLiteral("X")}}, manager).status,
            400);
        QCOMPARE(post("/admin/v1/products",
                      {{QStringLiteral("name"), QStringLiteral("Weak")},
                       {QStringLiteral("key_pattern"), QStringLiteral("XXX")}},
                      manager)
                     .status,
                 400);
        QCOMPARE(post("/admin/v1/products", {{QStringLiteral("name"), 5}}, manager).status, 400);
        QCOMPARE(post("/admin/v1/products",
                      {{QStringLiteral("name"), QStringLiteral("Z")},
                       {QStringLiteral("plan"), QStringLiteral("gold")}},
                      manager)
                     .status,
                 400);

        r = call("PATCH", "/admin/v1/products/" + id(game),
                 {{QStringLiteral("name"), QStringLiteral("Game Two")},
                  {QStringLiteral("daily_limit_override"), 500}},
                 manager);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("name"), QStringLiteral("Game Two"));
        QCOMPARE(r.json().value(QStringLiteral("daily_limit")).toInteger(), 500);
        QCOMPARE(r.text("key_prefix"), QStringLiteral("GAME-")); // untouched fields stay
        QCOMPARE(post("/admin/v1/products/" + id(game) + "/archive", {}, manager)
                     .json()
                     .value(QStringLiteral("archived"))
                     .toBool(),
                 true);
        QCOMPARE(
            get("/admin/v1/products?archived=true", viewer).json().value(QStringLiteral("total")).toInt(), 1);
        QCOMPARE(
            get("/admin/v1/products?archived=false", viewer).json().value(QStringLiteral("total")).toInt(),
            1);
        QCOMPARE(post("/admin/v1/products/" + id(game) + "/unarchive", {}, manager)
                     .json()
                     .value(QStringLiteral("archived"))
                     .toBool(),
                 false);
        QCOMPARE(get("/admin/v1/products", viewer).json().value(QStringLiteral("items")).toArray().size(), 2);
        QCOMPARE(get("/admin/v1/products/" + id(game), viewer).text("name"), QStringLiteral("Game Two"));
        QCOMPARE(get("/admin/v1/products/424242", viewer).status, 404);
        QCOMPARE(get("/admin/v1/products/abc", viewer).status, 400);
        QCOMPARE(call("DELETE", "/admin/v1/products/" + id(game), {}, manager).status, 200);
        QCOMPARE(get("/admin/v1/products/" + id(game), viewer).status, 404);
        // A product with keys is archived, not deleted.
        f->key(product.id, QStringLiteral("PE-KEEP0-BBBBB-CCCCC-DDDDD"));
        QCOMPARE(call("DELETE", "/admin/v1/products/" + QByteArray::number(product.id), {}, manager).status,
                 409);
    }

    void apiKeysWorkAtOnce()
    {
        const QByteArray base = "/admin/v1/products/" + QByteArray::number(product.id) + "/api-keys";
        HttpResponse r = post(base, {{QStringLiteral("name"), QStringLiteral("desktop")}}, manager);
        QCOMPARE(r.status, 201);
        const QString token = r.text("token");
        QVERIFY(token.startsWith(QLatin1String("kw_")));
        const QJsonObject key = r.json().value(QStringLiteral("api_key")).toObject();
        QVERIFY(token.startsWith(key.value(QStringLiteral("prefix")).toString()));
        QVERIFY(
            !QJsonDocument(get(base, viewer).json()).toJson().contains(token.toLatin1())); // shown once only
        HttpTestClient c = f->client();
        QCOMPARE(c.post("/api/v1/validate",
                        {{QStringLiteral("license_key"), QStringLiteral("PE-KEEP0-BBBBB-CCCCC-DDDDD")}},
                        token)
                     .text("status"),
                 QStringLiteral("active"));
        QCOMPARE(post("/admin/v1/api-keys/" + id(key) + "/revoke", {}, manager)
                     .json()
                     .value(QStringLiteral("revoked"))
                     .toBool(),
                 true);
        QCOMPARE(c.post("/api/v1/validate",
                        {{QStringLiteral("license_key"), QStringLiteral("PE-KEEP0-BBBBB-CCCCC-DDDDD")}},
                        token)
                     .status,
                 401);
        QCOMPARE(post("/admin/v1/api-keys/" + id(key) + "/revoke", {}, manager).status, 409);
    }

    void keys()
    {
        // 30 keys: a few with customers and expiry, for sorting and filtering.
        for (int i = 0; i < 30; ++i) {
            f->key(product.id, QStringLiteral("PE-L%1-BBBBB-CCCCC-DDDDD").arg(i, 4, 10, QLatin1Char('0')),
                   [&](NewKey& k) {
                       k.customerName = QStringLiteral("Customer %1").arg(i, 2, 10, QLatin1Char('0'));
                       k.customerEmail = i % 3 == 0 ? QStringLiteral("c%1@example.com").arg(i) : QString();
                       k.expiresAt = f->clock.now().addDays(i + 1);
                   });
        }
        HttpResponse r =
            get("/admin/v1/keys?q=PE-L&match=prefix&limit=10&offset=5&sort=customer_name&order=desc", viewer);
        QCOMPARE(r.status, 200);
        QJsonObject page = r.json();
        QCOMPARE(page.value(QStringLiteral("total")).toInt(), 30);
        QCOMPARE(page.value(QStringLiteral("offset")).toInt(), 5);
        const QJsonArray items = page.value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 10);
        QCOMPARE(items.at(0).toObject().value(QStringLiteral("customer_name")).toString(),
                 QStringLiteral("Customer 24"));
        QCOMPARE(items.at(9).toObject().value(QStringLiteral("customer_name")).toString(),
                 QStringLiteral("Customer 15"));
        QCOMPARE(get("/admin/v1/keys?q=example.com", viewer).json().value(QStringLiteral("total")).toInt(),
                 10);
        QCOMPARE(get("/admin/v1/keys?expires_to=" +
                         f->clock.now().addDays(5).toString(Qt::ISODate).toLatin1() + "&q=PE-L&match=prefix",
                     viewer)
                     .json()
                     .value(QStringLiteral("total"))
                     .toInt(),
                 4);
        QCOMPARE(get("/admin/v1/keys?product_id=" + QByteArray::number(product.id) + "&status=active", viewer)
                     .json()
                     .value(QStringLiteral("total"))
                     .toInt(),
                 31);
        QCOMPARE(get("/admin/v1/keys?sort=password", viewer).status, 400);
        QCOMPARE(get("/admin/v1/keys?status=gone", viewer).status, 400);
        QCOMPARE(get("/admin/v1/keys?limit=5000", viewer).status, 400);

        // One key's life: create, edit, revoke, trash, restore, purge.
        r = post("/admin/v1/keys",
                 {{QStringLiteral("product_id"), product.id},
                  {QStringLiteral("key"), QStringLiteral("pe-new00-bbbbb-ccccc-ddddd")},
                  {QStringLiteral("customer_email"), QStringLiteral("new@example.com")},
                  {QStringLiteral("max_uuids"), 1}},
                 manager);
        QCOMPARE(r.status, 201);
        QJsonObject key = r.json();
        QCOMPARE(key.value(QStringLiteral("key")).toString(), QStringLiteral("PE-NEW00-BBBBB-CCCCC-DDDDD"));
        const QByteArray path = "/admin/v1/keys/" + id(key);
        QCOMPARE(post("/admin/v1/keys",
                      {{QStringLiteral("product_id"), product.id},
                       {QStringLiteral("key"), QStringLiteral("PE-NEW00-BBBBB-CCCCC-DDDDD")}},
                      manager)
                     .status,
                 409);
        r = post("/admin/v1/keys",
                 {{QStringLiteral("product_id"), product.id},
                  {QStringLiteral("key"), QStringLiteral("legacy-123")}},
                 manager);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.text("error"), QStringLiteral("invalid_format"));
        QCOMPARE(post("/admin/v1/keys",
                      {{QStringLiteral("product_id"), product.id},
                       {QStringLiteral("key"), QStringLiteral("legacy-123")},
                       {QStringLiteral("any_format"), true}},
                      manager)
                     .status,
                 201);

        r = call("PATCH", path,
                 {{QStringLiteral("customer_name"), QStringLiteral("Ada")},
                  {QStringLiteral("status"), QStringLiteral("suspended")},
                  {QStringLiteral("expires_at"), QStringLiteral("2030-01-31")}},
                 manager);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.text("customer_name"), QStringLiteral("Ada"));
        QCOMPARE(r.text("status"), QStringLiteral("suspended"));
        QCOMPARE(r.text("expires_at"), QStringLiteral("2030-01-31T23:59:59Z"));
        QCOMPARE(r.text("customer_email"), QStringLiteral("new@example.com"));
        QCOMPARE(
            call("PATCH", path, {{QStringLiteral("customer_email"), QStringLiteral("not an email")}}, manager)
                .status,
            400);
        QCOMPARE(call("PATCH", path, {{QStringLiteral("status"), QStringLiteral("revoked")}}, manager).status,
                 400);
        QCOMPARE(call("PATCH", path, {{QStringLiteral("status"), QStringLiteral("active")}}, manager).status,
                 200);

        QCOMPARE(post(path + "/activations",
                      {{QStringLiteral("kind"), QStringLiteral("uuid")},
                       {QStringLiteral("value"), QStringLiteral("6f9619ff-8b86-d011-b42d-00c04fc964ff")}},
                      manager)
                     .status,
                 201);
        r = post(path + "/activations",
                 {{QStringLiteral("kind"), QStringLiteral("uuid")},
                  {QStringLiteral("value"), QStringLiteral("11111111-2222-3333-4444-555555555555")}},
                 manager);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.text("error"), QStringLiteral("limit_reached"));
        const QJsonArray activations =
            get(path + "/activations", viewer).json().value(QStringLiteral("items")).toArray();
        QCOMPARE(activations.size(), 1);
        QCOMPARE(
            call("DELETE", path + "/activations/" + id(activations.at(0).toObject()), {}, manager).status,
            200);
        QCOMPARE(get(path + "/activations", viewer).json().value(QStringLiteral("total")).toInt(), 0);
        QCOMPARE(post(path + "/tokens", {{QStringLiteral("amount"), 5}}, manager).status,
                 400); // not a token key
        QCOMPARE(call("PATCH", path, {{QStringLiteral("tokens"), 0}}, manager).status, 200);
        QCOMPARE(post(path + "/tokens",
                      {{QStringLiteral("amount"), 25}, {QStringLiteral("note"), QStringLiteral("order 77")}},
                      manager)
                     .json()
                     .value(QStringLiteral("tokens"))
                     .toInt(),
                 25);
        QCOMPARE(post(path + "/tokens", {{QStringLiteral("amount"), -30}}, manager).status, 409);
        QCOMPARE(post(path + "/tokens", {{QStringLiteral("amount"), 0}}, manager).status, 400);

        QCOMPARE(post(path + "/revoke", {}, manager).status, 400);
        r = post(path + "/revoke",
                 {{QStringLiteral("reason"), QStringLiteral("refund")},
                  {QStringLiteral("note"), QStringLiteral("order 1234")}},
                 manager);
        QCOMPARE(r.text("status"), QStringLiteral("revoked"));
        QCOMPARE(r.text("revoke_reason"), QStringLiteral("refund"));
        QCOMPARE(
            post(path + "/revoke", {{QStringLiteral("reason"), QStringLiteral("refund")}}, manager).status,
            409);
        QCOMPARE(call("DELETE", path, {}, manager).status, 409); // purge only from the trash
        QVERIFY(post(path + "/trash", {}, manager).json().value(QStringLiteral("deleted_at")).isString());
        QCOMPARE(post(path + "/trash", {}, manager).status, 409);
        QCOMPARE(get("/admin/v1/keys?scope=trash", viewer).json().value(QStringLiteral("total")).toInt(), 1);
        QVERIFY(post(path + "/restore", {}, manager).json().value(QStringLiteral("deleted_at")).isNull());
        QVERIFY(post(path + "/trash", {}, manager).status == 200);
        QCOMPARE(call("DELETE", path, {}, manager).status, 200);
        QCOMPARE(get(path, viewer).status, 404);

        // In bulk: by ids and by filter.
        QJsonArray ids;
        for (const QJsonValue& v : items)
            ids.append(v.toObject().value(QStringLiteral("id")));
        QCOMPARE(post("/admin/v1/keys/bulk-trash", {{QStringLiteral("ids"), ids}}, manager)
                     .json()
                     .value(QStringLiteral("changed"))
                     .toInt(),
                 10);
        QCOMPARE(post("/admin/v1/keys/bulk-restore", {{QStringLiteral("ids"), ids}}, manager)
                     .json()
                     .value(QStringLiteral("changed"))
                     .toInt(),
                 10);
        r = post(
            "/admin/v1/keys/bulk-trash",
            {{QStringLiteral("filter"), QJsonObject{{QStringLiteral("q"), QStringLiteral("example.com")}}}},
            manager);
        QCOMPARE(r.json().value(QStringLiteral("changed")).toInt(), 10);
        QCOMPARE(
            post("/admin/v1/keys/bulk-trash", {{QStringLiteral("filter"), QJsonObject{}}}, manager).status,
            400);
        QCOMPARE(post("/admin/v1/keys/bulk-purge", {{QStringLiteral("ids"), QJsonArray{QStringLiteral("x")}}},
                      manager)
                     .status,
                 400);
        QCOMPARE(
            post("/admin/v1/keys/bulk-purge", {{QStringLiteral("ids"), QJsonArray{999999}}}, manager).status,
            200);
    }

    void jobs()
    {
        HttpResponse r = post("/admin/v1/jobs/generate",
                              {{QStringLiteral("product_id"), product.id},
                               {QStringLiteral("count"), 1500},
                               {QStringLiteral("expires_at"), QStringLiteral("2031-12-31")},
                               {QStringLiteral("customer_email"), QStringLiteral("batch@example.com")}},
                              manager);
        QCOMPARE(r.status, 202);
        const qint64 job = r.json().value(QStringLiteral("id")).toInteger();
        QVERIFY(r.text("state") == QLatin1String("queued") || r.text("state") == QLatin1String("running"));
        const QJsonObject done = waitForJob(job);
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("result_count")).toInt(), 1500);
        QCOMPARE(done.value(QStringLiteral("done")).toInt(), 1500);
        QCOMPARE(done.value(QStringLiteral("actor")).toString(),
                 QStringLiteral("token:%1:bob").arg(f->store().adminTokens().list()->at(1).id));
        r = get(done.value(QStringLiteral("download")).toString().toLatin1(), viewer);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("text/csv"));
        QVERIFY(r.header("content-disposition").contains("attachment"));
        const QList<QByteArray> lines = r.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 1501); // header + keys
        QVERIFY(lines.at(1).startsWith("PE-"));
        QCOMPARE(
            get("/admin/v1/keys?q=batch@example.com", viewer).json().value(QStringLiteral("total")).toInt(),
            1500);

        r = post("/admin/v1/jobs/export",
                 {{QStringLiteral("format"), QStringLiteral("json")},
                  {QStringLiteral("filter"),
                   QJsonObject{{QStringLiteral("q"), QStringLiteral("batch@example.com")}}}},
                 manager);
        QCOMPARE(r.status, 202);
        const QJsonObject exported = waitForJob(r.json().value(QStringLiteral("id")).toInteger());
        QCOMPARE(exported.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        r = get(exported.value(QStringLiteral("download")).toString().toLatin1(), viewer);
        QCOMPARE(QJsonDocument::fromJson(r.body).array().size(), 1500);

        // A big generation, cancelled: nothing is stored.
        const qint64 before = get("/admin/v1/keys", viewer).json().value(QStringLiteral("total")).toInteger();
        r = post("/admin/v1/jobs/generate",
                 {{QStringLiteral("product_id"), product.id}, {QStringLiteral("count"), 5'000'000}}, manager);
        const qint64 big = r.json().value(QStringLiteral("id")).toInteger();
        QTest::qWait(100);
        QCOMPARE(post("/admin/v1/jobs/" + QByteArray::number(big) + "/cancel", {}, manager).status, 202);
        QCOMPARE(waitForJob(big).value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(get("/admin/v1/keys", viewer).json().value(QStringLiteral("total")).toInteger(), before);
        QCOMPARE(get("/admin/v1/jobs/" + QByteArray::number(big) + "/result", viewer).status, 409);
        QCOMPARE(post("/admin/v1/jobs/" + QByteArray::number(big) + "/cancel", {}, manager).status, 409);
        QVERIFY(get("/admin/v1/jobs", viewer).json().value(QStringLiteral("items")).toArray().size() >= 3);
        QCOMPARE(call("DELETE", "/admin/v1/jobs/" + QByteArray::number(job), {}, manager).status, 200);
        QCOMPARE(get("/admin/v1/jobs/" + QByteArray::number(job), viewer).status, 404);
        QCOMPARE(post("/admin/v1/jobs/generate",
                      {{QStringLiteral("product_id"), product.id}, {QStringLiteral("count"), 0}}, manager)
                     .status,
                 400);
        QCOMPARE(post("/admin/v1/jobs/generate",
                      {{QStringLiteral("product_id"), 999}, {QStringLiteral("count"), 5}}, manager)
                     .status,
                 404);
    }

    // Import and bulk delete as jobs, as the desktop app runs them on a local database.
    void importAndBulkDeleteJobs()
    {
        auto upload = [&](const QByteArray& query, const QByteArray& file, const QString& token) {
            HttpTestClient c = f->client();
            return c.request("POST", "/admin/v1/jobs/import?" + query, file,
                             {{"Authorization", "Bearer " + token.toLatin1()}, {"Content-Type", "text/csv"}});
        };
        const QByteArray productId = "product_id=" + QByteArray::number(product.id);
        const QByteArray file = "license_key,customer_name,customer_email\n"
                                "IMP-0001,Ann,ann@example.com\n"
                                "IMP-0002,Ben,ben@example.com\n"
                                "IMP-0003,Cid,not-an-email\n"
                                "IMP-0001,Dup,\n";
        auto total = [&](const QByteArray& query) {
            return get("/admin/v1/keys?" + query, viewer).json().value(QStringLiteral("total")).toInt();
        };

        // A dry run checks and changes nothing; the real one imports the good rows.
        HttpResponse r = upload(productId + "&any_format=true&dry_run=true&name=old.csv", file, manager);
        QCOMPARE(r.status, 202);
        QJsonObject done = waitForJob(r.json().value(QStringLiteral("id")).toInteger());
        QCOMPARE(done.value(QStringLiteral("kind")).toString(), QStringLiteral("import"));
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("summary")).toObject().value(QStringLiteral("dry_run")).toBool(),
                 true);
        QCOMPARE(total("q=IMP-"), 0);

        r = upload(productId + "&any_format=true&name=old.csv", file, manager);
        QCOMPARE(r.status, 202);
        done = waitForJob(r.json().value(QStringLiteral("id")).toInteger());
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("result_count")).toInt(), 2);
        const QJsonObject summary = done.value(QStringLiteral("summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("rows")).toInt(), 4);
        QCOMPARE(summary.value(QStringLiteral("imported")).toInt(), 2);
        QCOMPARE(summary.value(QStringLiteral("rejected")).toInt(), 2);
        QCOMPARE(total("q=IMP-"), 2);
        r = get(done.value(QStringLiteral("download")).toString().toLatin1(), viewer);
        QCOMPARE(r.status, 200);
        const QList<QByteArray> report = r.body.trimmed().split('\n');
        QCOMPARE(report.size(), 3); // header and the two rejected rows, by line
        QVERIFY(report.at(1).startsWith("4,customer_email"));
        QVERIFY(report.at(2).startsWith("5,key"));
        // The product's own format is checked unless any_format is given.
        done = waitForJob(upload(productId, file, manager).json().value(QStringLiteral("id")).toInteger());
        QCOMPARE(done.value(QStringLiteral("summary")).toObject().value(QStringLiteral("rejected")).toInt(),
                 4);

        // What cannot be imported at all is refused before a job starts.
        QCOMPARE(upload("any_format=true", file, manager).status, 400);           // no product
        QCOMPARE(upload(productId, "", manager).status, 400);                     // empty file
        QCOMPARE(upload(productId, "\x01\x02\x00\xff\xfe", manager).status, 400); // binary
        QCOMPARE(upload(productId + "&map=key=Serial", file, manager).status, 400);
        QCOMPARE(upload(productId + "&on_conflict=maybe", file, manager).status, 400);
        QCOMPARE(upload(productId + "&dry_run=perhaps", file, manager).status, 400);
        QCOMPARE(upload("product_id=999999", file, manager).status, 404);
        QCOMPARE(upload(productId, file, viewer).status, 403);
        QCOMPARE(upload(productId, file, support).status, 403);

        // Bulk delete by key strings with the confirmed count; the backup is the job's result.
        r = post(
            "/admin/v1/jobs/bulk-delete",
            {{QStringLiteral("keys"), QJsonArray{QStringLiteral("IMP-0001"), QStringLiteral("IMP-0002")}},
             {QStringLiteral("expected_count"), 3}},
            manager);
        QCOMPARE(r.status, 202);
        done = waitForJob(r.json().value(QStringLiteral("id")).toInteger());
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("failed")); // 2, not 3
        QVERIFY(
            done.value(QStringLiteral("error")).toString().contains(QLatin1String("Nothing was deleted")));
        QCOMPARE(total("q=IMP-"), 2);
        r = post(
            "/admin/v1/jobs/bulk-delete",
            {{QStringLiteral("keys"), QJsonArray{QStringLiteral("IMP-0001"), QStringLiteral("IMP-0002")}},
             {QStringLiteral("expected_count"), 2}},
            manager);
        done = waitForJob(r.json().value(QStringLiteral("id")).toInteger());
        QCOMPARE(done.value(QStringLiteral("kind")).toString(), QStringLiteral("bulk_delete"));
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("summary")).toObject().value(QStringLiteral("trashed")).toInt(),
                 2);
        QCOMPARE(done.value(QStringLiteral("summary")).toObject().value(QStringLiteral("backed_up")).toInt(),
                 2);
        QCOMPARE(total("q=IMP-"), 0);
        QCOMPARE(total("q=IMP-&scope=trash"), 2);
        r = get(done.value(QStringLiteral("download")).toString().toLatin1(), viewer);
        QVERIFY(r.body.contains("IMP-0001") && r.body.contains("IMP-0002"));

        // By filter, without a backup: nothing to download.
        QCOMPARE(post("/admin/v1/keys/bulk-restore",
                      {{QStringLiteral("ids"), QJsonArray{get("/admin/v1/keys?q=IMP-0001&scope=trash", viewer)
                                                              .json()
                                                              .value(QStringLiteral("items"))
                                                              .toArray()
                                                              .at(0)
                                                              .toObject()
                                                              .value(QStringLiteral("id"))}}},
                      manager)
                     .status,
                 200);
        r = post("/admin/v1/jobs/bulk-delete",
                 {{QStringLiteral("filter"), QJsonObject{{QStringLiteral("q"), QStringLiteral("IMP-")}}},
                  {QStringLiteral("backup"), false}},
                 manager);
        done = waitForJob(r.json().value(QStringLiteral("id")).toInteger());
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("result_count")).toInt(), 1);
        QVERIFY(!done.contains(QStringLiteral("download")));
        QCOMPARE(get("/admin/v1/jobs/" + id(done) + "/result", viewer).status, 404);

        QCOMPARE(post("/admin/v1/jobs/bulk-delete", {}, manager).status, 400);
        QCOMPARE(post("/admin/v1/jobs/bulk-delete",
                      {{QStringLiteral("ids"), QJsonArray{1}}, {QStringLiteral("keys"), QJsonArray{}}},
                      manager)
                     .status,
                 400);
        QCOMPARE(
            post("/admin/v1/jobs/bulk-delete", {{QStringLiteral("filter"), QJsonObject{}}}, manager).status,
            400);
        QCOMPARE(
            post("/admin/v1/jobs/bulk-delete", {{QStringLiteral("keys"), QJsonArray{7}}}, manager).status,
            400);
        QCOMPARE(post("/admin/v1/jobs/bulk-delete", {{QStringLiteral("ids"), QJsonArray{1}}}, support).status,
                 403);
    }

    void supportDesk()
    {
        // A blacklisted end user (the IP guard's events, as stored by any instance).
        IpRules rules;
        rules.tooFastRequests = 1;
        rules.blacklistAfterTimeouts = 1;
        IpGuard guard(rules);
        guard.admit(QStringLiteral("203.0.113.50"), f->clock.now());
        guard.admit(QStringLiteral("203.0.113.50"), f->clock.now());
        QVERIFY(f->store().ips().record(guard.takeEvents()));

        HttpResponse r = get("/admin/v1/ips?state=blacklisted", viewer);
        QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 1);
        r = get("/admin/v1/ips/203.0.113.50", support);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("blacklisted")).toBool(), true);
        QCOMPARE(r.json().value(QStringLiteral("events")).toArray().size(), 1);
        QCOMPARE(get("/admin/v1/ips/not-an-ip", support).status, 400);
        QCOMPARE(get("/admin/v1/ips/192.0.2.1", support).status, 404);

        r = post("/admin/v1/tickets",
                 {{QStringLiteral("ip"), QStringLiteral("203.0.113.50")},
                  {QStringLiteral("license_key"), QStringLiteral("PE-KEEP0-BBBBB-CCCCC-DDDDD")},
                  {QStringLiteral("details"), QStringLiteral("Customer called.")}},
                 support);
        QCOMPARE(r.status, 201);
        const QByteArray ticket = "/admin/v1/tickets/" + id(r.json());
        QCOMPARE(r.text("requester"), QStringLiteral("vendor"));
        QCOMPARE(post(ticket + "/notes", {{QStringLiteral("body"), QStringLiteral("Asked for the invoice.")}},
                      support)
                     .status,
                 201);
        QCOMPARE(post(ticket + "/status", {{QStringLiteral("status"), QStringLiteral("in_review")}}, support)
                     .text("status"),
                 QStringLiteral("in_review"));
        QCOMPARE(
            post(ticket + "/status", {{QStringLiteral("status"), QStringLiteral("open")}}, support).status,
            409);
        QCOMPARE(
            post(ticket + "/status", {{QStringLiteral("status"), QStringLiteral("bogus")}}, support).status,
            400);
        QCOMPARE(post(ticket + "/malicious-findings",
                      {{QStringLiteral("note"), QStringLiteral("Key testing.")}}, support)
                     .json()
                     .value(QStringLiteral("malicious_findings"))
                     .toInt(),
                 1);
        QCOMPARE(post(ticket + "/malicious-findings", {{QStringLiteral("note"), QStringLiteral("Again.")}},
                      support)
                     .json()
                     .value(QStringLiteral("malicious_findings"))
                     .toInt(),
                 2);
        r = post(ticket + "/status", {{QStringLiteral("status"), QStringLiteral("restored")}}, support);
        QCOMPARE(r.status, 409); // twice malicious: never restored
        QVERIFY(r.text("message").contains(QLatin1String("malicious")));
        r = post("/admin/v1/ips/203.0.113.50/lift", {{QStringLiteral("identity_proof"), true}}, support);
        QCOMPARE(r.status, 409);
        r = get(ticket, viewer);
        QCOMPARE(r.json().value(QStringLiteral("notes")).toArray().size(), 3);
        QCOMPARE(r.json()
                     .value(QStringLiteral("ip_state"))
                     .toObject()
                     .value(QStringLiteral("blacklisted"))
                     .toBool(),
                 true);
        QCOMPARE(post(ticket + "/status",
                      {{QStringLiteral("status"), QStringLiteral("denied")},
                       {QStringLiteral("resolution"), QStringLiteral("Malicious.")}},
                      support)
                     .text("status"),
                 QStringLiteral("denied"));
        QCOMPARE(get("/admin/v1/tickets?status=denied", viewer).json().value(QStringLiteral("total")).toInt(),
                 1);
        QCOMPARE(get("/admin/v1/tickets?open=true", viewer).json().value(QStringLiteral("total")).toInt(), 0);

        // Another IP, restored by a direct lift; then its identity_proof rule.
        guard.admit(QStringLiteral("198.51.100.60"), f->clock.now());
        guard.admit(QStringLiteral("198.51.100.60"), f->clock.now());
        QVERIFY(f->store().ips().record(guard.takeEvents()));
        r = post("/admin/v1/ips/198.51.100.60/lift",
                 {{QStringLiteral("note"), QStringLiteral("first offence")}}, support);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("restores")).toInt(), 1);
        QCOMPARE(post("/admin/v1/ips/198.51.100.60/lift", {}, support).status, 409); // nothing to lift now

        r = post("/admin/v1/whitelist", {{QStringLiteral("cidr"), QStringLiteral("2001:db8::/32")}}, support);
        QCOMPARE(r.status, 201);
        QCOMPARE(
            post("/admin/v1/whitelist", {{QStringLiteral("cidr"), QStringLiteral("2001:db8::/32")}}, support)
                .status,
            409);
        QCOMPARE(
            post("/admin/v1/whitelist", {{QStringLiteral("cidr"), QStringLiteral("10.0.0.0/40")}}, support)
                .status,
            400);
        QCOMPARE(get("/admin/v1/whitelist", viewer).json().value(QStringLiteral("total")).toInt(), 1);
        QCOMPARE(call("DELETE", "/admin/v1/whitelist/" + id(r.json()), {}, support).status, 200);
        QCOMPARE(get("/admin/v1/whitelist", viewer).json().value(QStringLiteral("total")).toInt(), 0);
    }

    void usageRequestsAndAudit()
    {
        const QString token = f->apiKey(product.id);
        HttpTestClient c = f->client();
        for (int i = 0; i < 4; ++i)
            c.post("/api/v1/validate",
                   {{QStringLiteral("license_key"), QStringLiteral("PE-KEEP0-BBBBB-CCCCC-DDDDD")}}, token);
        HttpResponse r = get("/admin/v1/usage?product_id=" + QByteArray::number(product.id), viewer);
        QCOMPARE(r.status, 200);
        const QJsonArray days = r.json().value(QStringLiteral("items")).toArray();
        QVERIFY(!days.isEmpty());
        const QJsonObject today = days.last().toObject();
        QCOMPARE(today.value(QStringLiteral("day")).toString(), f->clock.now().date().toString(Qt::ISODate));
        QVERIFY(today.value(QStringLiteral("count")).toInt() >= 4);
        QCOMPARE(today.value(QStringLiteral("daily_limit")).toInt(), 10000);
        QCOMPARE(get("/admin/v1/usage?from=yesterday", viewer).status, 400);

        QTRY_VERIFY_WITH_TIMEOUT(
            get("/admin/v1/requests?outcome=active", viewer).json().value(QStringLiteral("total")).toInt() >=
                4,
            5000);
        const QJsonObject entry = get("/admin/v1/requests?limit=1", viewer)
                                      .json()
                                      .value(QStringLiteral("items"))
                                      .toArray()
                                      .at(0)
                                      .toObject();
        QCOMPARE(entry.value(QStringLiteral("key_hint")).toString(), QStringLiteral("...DDDD"));
        const qint64 keyId = f->store().keys().find(QStringLiteral("PE-KEEP0-BBBBB-CCCCC-DDDDD"))->id;
        QVERIFY(get("/admin/v1/keys/" + QByteArray::number(keyId) + "/requests", viewer)
                    .json()
                    .value(QStringLiteral("total"))
                    .toInt() >= 4);

        // Every change made through the admin API is in the audit log under the token's name.
        r = get("/admin/v1/audit?action=key.revoke", viewer);
        QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 1);
        QVERIFY(r.json()
                    .value(QStringLiteral("items"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("actor"))
                    .toString()
                    .endsWith(QLatin1String(":bob")));
        for (const char* action : {"product.create",
                                   "product.update",
                                   "product.delete",
                                   "apikey.create",
                                   "apikey.revoke",
                                   "key.create",
                                   "key.update",
                                   "key.trash",
                                   "key.restore",
                                   "key.purge",
                                   "key.activate",
                                   "key.deactivate",
                                   "key.topup",
                                   "keys.generate",
                                   "keys.export",
                                   "ticket.open",
                                   "ticket.note",
                                   "ticket.status",
                                   "ticket.malicious_finding",
                                   "ip.restore",
                                   "whitelist.add",
                                   "whitelist.remove"}) {
            const HttpResponse a = get("/admin/v1/audit?limit=1000&action=" + QByteArray(action), viewer);
            bool byToken = false;
            for (const QJsonValue& item : a.json().value(QStringLiteral("items")).toArray())
                byToken = byToken || item.toObject()
                                         .value(QStringLiteral("actor"))
                                         .toString()
                                         .startsWith(QLatin1String("token:"));
            QVERIFY2(byToken, action);
        }
        QCOMPARE(get("/admin/v1/audit?from=nonsense", viewer).status, 400);
    }

    void adminTokens()
    {
        HttpResponse r = post("/admin/v1/admin-tokens",
                              {{QStringLiteral("role"), QStringLiteral("viewer")},
                               {QStringLiteral("name"), QStringLiteral("ci")}},
                              owner);
        QCOMPARE(r.status, 201);
        const QString secret = r.text("token");
        const QJsonObject token = r.json().value(QStringLiteral("admin_token")).toObject();
        QCOMPARE(get("/admin/v1/me", secret).json().value(QStringLiteral("name")).toString(),
                 QStringLiteral("ci"));
        QCOMPARE(
            post("/admin/v1/admin-tokens", {{QStringLiteral("role"), QStringLiteral("root")}}, owner).status,
            400);
        QCOMPARE(post("/admin/v1/admin-tokens/" + id(token) + "/revoke", {}, owner).status, 200);
        QCOMPARE(get("/admin/v1/me", secret).status, 401);
        QCOMPARE(post("/admin/v1/admin-tokens/" + QByteArray::number(ownerId) + "/revoke", {}, owner).status,
                 409);
        QVERIFY(
            !QJsonDocument(get("/admin/v1/admin-tokens", owner).json()).toJson().contains(secret.toLatin1()));
    }
};

QTEST_GUILESS_MAIN(TestServerAdmin)
#include "TestServerAdmin.moc"
