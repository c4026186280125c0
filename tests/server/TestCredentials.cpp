#include "SecretToken.h"
#include "Store.h"
#include "TestDatabase.h"

#include <QSqlQuery>
#include <QTest>

using namespace keyward;

// Product API keys and admin tokens: created once, stored hashed, revocable, audited.
class TestCredentials : public QObject
{
    Q_OBJECT

    static Product product(Store& store, const QString& name = QStringLiteral("Photo Editor"))
    {
        Product p;
        p.name = name;
        auto created = store.products().create(p);
        if (!created)
            qFatal("product: %s", qPrintable(created.errorMessage()));
        return *created;
    }

    static qint64 audits(Store& store, const QString& action)
    {
        AuditFilter f;
        f.actionPrefix = action;
        return *store.audit().count(f);
    }

private Q_SLOTS:
    void secretTokens()
    {
        const QString a = SecretToken::generate(QStringLiteral("kw_"));
        const QString b = SecretToken::generate(QStringLiteral("kw_"));
        QVERIFY(a.startsWith(QLatin1String("kw_")));
        QCOMPARE(a.size(), 3 + 32); // 24 random bytes in URL-safe base64
        QVERIFY(a != b);
        QCOMPARE(SecretToken::hash(a).size(), 64);
        QVERIFY(SecretToken::sameHash(SecretToken::hash(a), SecretToken::hash(a)));
        QVERIFY(!SecretToken::sameHash(SecretToken::hash(a), SecretToken::hash(b)));
        QVERIFY(!SecretToken::sameHash(SecretToken::hash(a), QStringLiteral("short")));
        const QString shown = SecretToken::displayPrefix(a);
        QVERIFY(a.startsWith(shown));
        QVERIFY(shown.size() <= 9);
    }

    void apiKeyLifecycle()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        QVERIFY(store);
        const Product p = product(*store);
        auto created = store->apiKeys().create(p.id, QStringLiteral("desktop app"));
        QVERIFY2(created, qPrintable(created.errorMessage()));
        QVERIFY(created->token.startsWith(QLatin1String("kw_")));
        QCOMPARE(created->key.productId, p.id);
        QCOMPARE(created->key.name, QStringLiteral("desktop app"));
        QVERIFY(created->token.startsWith(created->key.tokenPrefix));

        // Only the hash is stored: the token appears nowhere in the table.
        QSqlQuery q(store->database().connection());
        QVERIFY(q.exec(QStringLiteral("SELECT token_hash, token_prefix, name FROM api_keys")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), SecretToken::hash(created->token));
        for (int i = 0; i < 3; ++i)
            QVERIFY(!q.value(i).toString().contains(created->token));
        q.finish();

        auto who = store->apiKeys().authenticate(created->token);
        QVERIFY(who);
        QVERIFY(who->has_value());
        QCOMPARE((*who)->productId, p.id);
        QCOMPARE((*who)->id, created->key.id);
        const QStringList wrongTokens{QString(), QStringLiteral("kw_nope"), created->token.chopped(1),
                                      created->token + QLatin1Char('x')};
        for (const QString& wrong : wrongTokens) {
            auto none = store->apiKeys().authenticate(wrong);
            QVERIFY(none);
            QVERIFY(!none->has_value());
        }

        auto listed = store->apiKeys().list(p.id);
        QVERIFY(listed);
        QCOMPARE(listed->size(), size_t(1));
        QCOMPARE(listed->front().productName, p.name);
        QCOMPARE(store->apiKeys().activeIdentities()->size(), size_t(1));

        QVERIFY(store->apiKeys().revoke(created->key.id));
        QCOMPARE(store->apiKeys().revoke(created->key.id).errorKind(), ErrorKind::Conflict);
        QVERIFY(!store->apiKeys().authenticate(created->token)->has_value());
        QVERIFY(store->apiKeys().find(created->key.id)->revoked());
        QVERIFY(store->apiKeys().activeIdentities()->empty());
        QCOMPARE(audits(*store, QStringLiteral("apikey.create")), 1);
        QCOMPARE(audits(*store, QStringLiteral("apikey.revoke")), 1);

        QCOMPARE(store->apiKeys().create(999999).errorKind(), ErrorKind::NotFound);
        QCOMPARE(store->apiKeys().revoke(999999).errorKind(), ErrorKind::NotFound);
        QVERIFY(store->apiKeys().touch({created->key.id}, store->now()));
        QVERIFY(store->apiKeys().find(created->key.id)->lastUsedAt.isValid());
    }

    void adminTokens()
    {
        KW_TEST_DATABASE(tdb);
        auto store = tdb->open();
        QVERIFY(store);
        auto owner = store->adminTokens().create(AdminRole::Owner, QStringLiteral("alice"));
        auto viewer = store->adminTokens().create(AdminRole::Viewer);
        QVERIFY(owner && viewer);
        QVERIFY(owner->secret.startsWith(QLatin1String("kwadm_")));
        QVERIFY(owner->secret != viewer->secret);
        auto who = store->adminTokens().authenticate(owner->secret);
        QVERIFY(who && who->has_value());
        QCOMPARE((*who)->role, AdminRole::Owner);
        QCOMPARE((*who)->actor(), QStringLiteral("token:%1:alice").arg(owner->token.id));
        QCOMPARE((*store->adminTokens().authenticate(viewer->secret))->role, AdminRole::Viewer);
        QVERIFY(!store->adminTokens().authenticate(QStringLiteral("kwadm_guess"))->has_value());
        QCOMPARE(store->adminTokens().list()->size(), size_t(2));
        QVERIFY(store->adminTokens().revoke(viewer->token.id));
        QVERIFY(!store->adminTokens().authenticate(viewer->secret)->has_value());
        QCOMPARE(audits(*store, QStringLiteral("admintoken.")), 3);

        QSqlQuery q(store->database().connection());
        QVERIFY(q.exec(QStringLiteral("SELECT token_hash FROM admin_tokens ORDER BY id")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), SecretToken::hash(owner->secret));
    }

    void rolePermissions()
    {
        using P = AdminPermission;
        QVERIFY(adminRoleAllows(AdminRole::Owner, P::ManageTokens));
        QVERIFY(adminRoleAllows(AdminRole::Owner, P::ManageCatalog));
        QVERIFY(adminRoleAllows(AdminRole::Owner, P::ManageSupport));
        QVERIFY(adminRoleAllows(AdminRole::Manager, P::ManageCatalog));
        QVERIFY(!adminRoleAllows(AdminRole::Manager, P::ManageSupport));
        QVERIFY(!adminRoleAllows(AdminRole::Manager, P::ManageTokens));
        QVERIFY(adminRoleAllows(AdminRole::Support, P::ManageSupport));
        QVERIFY(!adminRoleAllows(AdminRole::Support, P::ManageCatalog));
        for (AdminRole r : {AdminRole::Owner, AdminRole::Manager, AdminRole::Support, AdminRole::Viewer})
            QVERIFY(adminRoleAllows(r, P::Read));
        for (P p : {P::ManageCatalog, P::ManageSupport, P::ManageTokens})
            QVERIFY(!adminRoleAllows(AdminRole::Viewer, p));
        QCOMPARE(adminRoleFromString(QStringLiteral(" Manager ")),
                 std::optional<AdminRole>(AdminRole::Manager));
        QVERIFY(!adminRoleFromString(QStringLiteral("root")));
    }
};

QTEST_GUILESS_MAIN(TestCredentials)
#include "TestCredentials.moc"
