#include "Migrations.h"
#include "Store.h"
#include "TestDatabase.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace keyward;

namespace {

// Root ignores file permissions. To see what a normal user sees, this drops the capabilities
// that bypass them from the calling thread for the scope's lifetime (and restores them after).
class WithoutFileOverride
{
public:
    WithoutFileOverride()
    {
        m_header.version = _LINUX_CAPABILITY_VERSION_3;
        m_header.pid = 0;
        if (syscall(SYS_capget, &m_header, m_saved) != 0)
            return;
        __user_cap_data_struct reduced[2] = {m_saved[0], m_saved[1]};
        reduced[0].effective &=
            ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH) | (1u << CAP_FOWNER));
        m_active = syscall(SYS_capset, &m_header, reduced) == 0;
    }
    ~WithoutFileOverride()
    {
        if (m_active)
            syscall(SYS_capset, &m_header, m_saved);
    }

private:
    __user_cap_header_struct m_header{};
    __user_cap_data_struct m_saved[2]{};
    bool m_active = false;
};

QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// Runs SQL on an SQLite file through a plain QtSql connection, outside Keyward's store.
bool rawSqlite(const QString& path, const QStringList& statements)
{
    const QString name = QUuid::createUuid().toString();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        ok = db.open();
        for (const QString& sql : statements) {
            QSqlQuery q(db);
            ok = ok && q.exec(sql);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

std::unique_ptr<Store> createStore(const QString& path)
{
    Database::Options create;
    create.create = true;
    auto store = Store::open(DatabaseLocation::sqlite(path), create);
    return store ? std::move(store).value() : nullptr;
}

} // namespace

class TestStoreErrors : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

private Q_SLOTS:
    void missingFile()
    {
        auto r = Store::open(DatabaseLocation::sqlite(path("missing.db")));
        QCOMPARE(r.errorKind(), ErrorKind::NotFound);
        QVERIFY(r.errorMessage().contains(QLatin1String("init")));
        QVERIFY(!QFile::exists(path("missing.db")));
    }

    void folderInsteadOfFile()
    {
        auto r = Store::open(DatabaseLocation::sqlite(m_dir.path()));
        QCOMPARE(r.errorKind(), ErrorKind::NotKeyward);
    }

    void notAnSqliteFile()
    {
        QFile f(path("notes.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        const QByteArray before = fileHash(f.fileName());
        auto r = Store::open(DatabaseLocation::sqlite(f.fileName()));
        QCOMPARE(r.errorKind(), ErrorKind::NotKeyward);
        QVERIFY2(r.errorMessage().contains(QLatin1String("not a Keyward database")),
                 qPrintable(r.errorMessage()));
        QCOMPARE(fileHash(f.fileName()), before);
    }

    void foreignSqliteDatabase()
    {
        const QString p = path("other-app.db");
        QVERIFY(rawSqlite(p, {QStringLiteral("CREATE TABLE customers (id INTEGER, name TEXT)"),
                              QStringLiteral("INSERT INTO customers VALUES (1, 'x')")}));
        const QByteArray before = fileHash(p);
        Database::Options create;
        create.create = true; // even when asked to create, a foreign database is left alone
        auto r = Store::open(DatabaseLocation::sqlite(p), create);
        QCOMPARE(r.errorKind(), ErrorKind::NotKeyward);
        QVERIFY(r.errorMessage().contains(QLatin1String("customers")));
        QCOMPARE(fileHash(p), before);
    }

    void newerSchema()
    {
        const QString p = path("newer.db");
        QVERIFY(createStore(p));
        QVERIFY(
            rawSqlite(p, {QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                                         "(%1, 'future', 0)")
                              .arg(Migrations::latestVersion() + 1)}));
        auto r = Store::open(DatabaseLocation::sqlite(p));
        QCOMPARE(r.errorKind(), ErrorKind::TooNew);
        QVERIFY(r.errorMessage().contains(QLatin1String("newer Keyward")));
    }

    void readOnlyFile()
    {
        const QString p = path("readonly.db");
        {
            auto store = createStore(p);
            Product product;
            product.name = QStringLiteral("P");
            QVERIFY(store->products().create(product));
        }
        QVERIFY(QFile::setPermissions(p, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        {
            WithoutFileOverride asNormalUser;
            auto r = Store::open(DatabaseLocation::sqlite(p));
            QCOMPARE(r.errorKind(), ErrorKind::ReadOnly);
            QVERIFY(r.errorMessage().contains(QLatin1String("read-only")));

            Database::Options readOnly;
            readOnly.readOnly = true;
            auto reader = Store::open(DatabaseLocation::sqlite(p), readOnly);
            QVERIFY2(reader, qPrintable(reader.errorMessage()));
            QCOMPARE((*reader)->products().list()->size(), size_t(1));
            Product another;
            another.name = QStringLiteral("Q");
            auto refused = (*reader)->products().create(another);
            QCOMPARE(refused.errorKind(), ErrorKind::ReadOnly);
        }
        QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner);
    }

    void readOnlyFolder()
    {
        QTemporaryDir dir;
        const QString p = dir.filePath(QStringLiteral("k.db"));
        QVERIFY(createStore(p));
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
        {
            WithoutFileOverride asNormalUser;
            auto r = Store::open(DatabaseLocation::sqlite(p));
            QCOMPARE(r.errorKind(), ErrorKind::ReadOnly);
            QVERIFY(r.errorMessage().contains(QLatin1String("folder")));
        }
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    void lockedByAnotherProgram()
    {
        const QString p = path("locked.db");
        QVERIFY(createStore(p));
        const QString name = QStringLiteral("locker");
        {
            QSqlDatabase locker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            locker.setDatabaseName(p);
            QVERIFY(locker.open());
            QSqlQuery q(locker);
            QVERIFY(q.exec(QStringLiteral("BEGIN EXCLUSIVE")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO keyward_meta (name, value) VALUES ('lock', 'held')")));

            Database::Options options;
            options.busyTimeoutMs = 200;
            auto store = Store::open(DatabaseLocation::sqlite(p), options);
            QVERIFY2(store, qPrintable(store.errorMessage())); // reading still works in WAL mode
            Product product;
            product.name = QStringLiteral("Blocked");
            QElapsedTimer timer;
            timer.start();
            auto r = (*store)->products().create(product);
            QCOMPARE(r.errorKind(), ErrorKind::Locked);
            QVERIFY(r.errorMessage().contains(QLatin1String("locked by another program")));
            QVERIFY(timer.elapsed() >= 150); // it waited for the busy timeout first
            QVERIFY(q.exec(QStringLiteral("ROLLBACK")));
            QVERIFY((*store)->products().create(product)); // and works once the lock is gone
            locker.close();
        }
        QSqlDatabase::removeDatabase(name);
    }

    void postgresUnreachable()
    {
        auto location =
            DatabaseLocation::parse(QStringLiteral("postgresql://keyward:secret@127.0.0.1:1/keyward"));
        QVERIFY(location);
        auto r = Store::open(*location);
        QCOMPARE(r.errorKind(), ErrorKind::Unreachable);
        QVERIFY(
            r.errorMessage().contains(QLatin1String("Cannot reach the PostgreSQL server at 127.0.0.1:1")));
        QVERIFY(!r.errorMessage().contains(QLatin1String("secret")));
    }

    void postgresWrongPasswordAndMissingDatabase()
    {
        KW_REQUIRE_POSTGRES(url);
        auto location = DatabaseLocation::parse(url);
        QVERIFY(location);
        DatabaseLocation wrong = *location;
        wrong.password = QStringLiteral("definitely-wrong");
        auto r = Store::open(wrong);
        QCOMPARE(r.errorKind(), ErrorKind::AuthFailed);
        QVERIFY(r.errorMessage().contains(QLatin1String("rejected the login")));
        QVERIFY(!r.errorMessage().contains(QLatin1String("definitely-wrong")));

        DatabaseLocation missing = *location;
        missing.database = QStringLiteral("kw_does_not_exist");
        QCOMPARE(Store::open(missing).errorKind(), ErrorKind::NotFound);
    }

    void postgresForeignTables()
    {
        QString problem;
        bool skip = false;
        auto tdb = TestDatabase::create(TestDatabase::Backend::Postgres, problem, skip);
        if (!tdb) {
            if (skip)
                QSKIP(qPrintable(problem));
            QFAIL(qPrintable(problem));
        }
        {
            auto store = tdb->open(); // creates the Keyward schema...
            QVERIFY(store);
            QVERIFY(store->database().exec(QStringLiteral("DROP TABLE keyward_meta")));
        }
        auto r = Store::open(tdb->location()); // ...which without its marker is a foreign database
        QCOMPARE(r.errorKind(), ErrorKind::NotKeyward);
    }
};

QTEST_GUILESS_MAIN(TestStoreErrors)
#include "TestStoreErrors.moc"
