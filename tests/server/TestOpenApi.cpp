#include "Server.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

// docs/openapi.yaml and the server's route table must agree: every route documented, every
// documented path and method a route.
class TestOpenApi : public QObject
{
    Q_OBJECT

    // "METHOD /path" for every operation under "paths:" (block style, two-space indents).
    static QSet<QString> documented(const QString& file, QString& problem)
    {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            problem = QStringLiteral("cannot read ") + file;
            return {};
        }
        static const QRegularExpression pathLine(QStringLiteral("^  (/[^:\\s]*):\\s*$"));
        static const QRegularExpression methodLine(
            QStringLiteral("^    (get|put|post|patch|delete|head|options):\\s*$"));
        QSet<QString> out;
        bool inPaths = false;
        QString path;
        const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
        for (const QString& line : lines) {
            if (!line.startsWith(QLatin1Char(' ')) && !line.trimmed().isEmpty() &&
                !line.startsWith(QLatin1Char('#'))) {
                inPaths = line.trimmed() == QLatin1String("paths:");
                continue;
            }
            if (!inPaths)
                continue;
            if (auto m = pathLine.match(line); m.hasMatch()) {
                path = m.captured(1);
                continue;
            }
            if (auto m = methodLine.match(line); m.hasMatch() && !path.isEmpty())
                out.insert(m.captured(1).toUpper() + QLatin1Char(' ') + path);
        }
        return out;
    }

private Q_SLOTS:
    void routesMatchTheDocument()
    {
        const QString file = qEnvironmentVariable("KEYWARD_OPENAPI");
        QVERIFY2(!file.isEmpty(), "KEYWARD_OPENAPI is not set");
        QString problem;
        const QSet<QString> doc = documented(file, problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        keyward::server::Server server{keyward::server::ServerConfig()};
        const QStringList routes = server.routeList();
        const QSet<QString> served(routes.cbegin(), routes.cend());
        QVERIFY(served.size() > 50);
        QStringList undocumented;
        for (const QString& r : served) {
            if (!doc.contains(r))
                undocumented << r;
        }
        QStringList unserved;
        for (const QString& d : doc) {
            if (!served.contains(d))
                unserved << d;
        }
        undocumented.sort();
        unserved.sort();
        QVERIFY2(undocumented.isEmpty(),
                 qPrintable(QStringLiteral("routes missing from docs/openapi.yaml: ") +
                            undocumented.join(QLatin1String(", "))));
        QVERIFY2(unserved.isEmpty(), qPrintable(QStringLiteral("documented but not served: ") +
                                                unserved.join(QLatin1String(", "))));
    }

    void everyParameterIsDeclared()
    {
        // Each {name} in a documented path has a path parameter of that name nearby.
        QFile f(qEnvironmentVariable("KEYWARD_OPENAPI"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        static const QRegularExpression parameter(QStringLiteral("\\{([A-Za-z]+)\\}"));
        for (auto it = parameter.globalMatch(text); it.hasNext();) {
            const QString name = it.next().captured(1);
            const bool declared =
                text.contains(QStringLiteral("name: %1").arg(name)) ||
                (name == QLatin1String("id") && text.contains(QLatin1String("parameters/Id"))) ||
                (name == QLatin1String("ip") && text.contains(QLatin1String("parameters/Ip")));
            QVERIFY2(declared, qPrintable(name));
        }
    }
};

QTEST_GUILESS_MAIN(TestOpenApi)
#include "TestOpenApi.moc"
