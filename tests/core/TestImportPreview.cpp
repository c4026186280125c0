#include "CsvReader.h"
#include "ImportPreview.h"
#include "ImportReportWriter.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace keyward;

// What the import wizard shows before importing: the start of a file and the guessed mapping;
// and the CSV report of problems it exports.
class TestImportPreview : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const char* name, const QByteArray& data)
    {
        QFile f(m_dir.filePath(QLatin1String(name)));
        f.open(QIODevice::WriteOnly);
        f.write(data);
        return f.fileName();
    }

private Q_SLOTS:
    void firstRowsAndGuessedMapping()
    {
        QByteArray data = "\xEF\xBB\xBFSerial;E-Mail;Valid until\r\n";
        for (int i = 0; i < 120; ++i)
            data +=
                "KEY-" + QByteArray::number(i) + ";u" + QByteArray::number(i) + "@example.com;2030-01-01\r\n";
        auto p = ImportPreview::read(write("keys.csv", data), 50);
        QVERIFY2(p, qPrintable(p.errorMessage()));
        QCOMPARE(p->format, RecordSource::Format::Csv);
        QCOMPARE(p->delimiter, ';');
        QCOMPARE(p->columns, (QStringList{"Serial", "E-Mail", "Valid until"}));
        QCOMPARE(p->rows.size(), size_t(50));
        QVERIFY(p->moreRows);
        QCOMPARE(p->rows[0].values, (QStringList{"KEY-0", "u0@example.com", "2030-01-01"}));
        QCOMPARE(p->rows[0].line, 2);
        QCOMPARE(p->guess.column(ImportField::Key), 0);
        QCOMPARE(p->guess.column(ImportField::CustomerEmail), 1);
        QCOMPARE(p->guess.column(ImportField::ExpiresAt), 2);
        QCOMPARE(p->fileSize, qint64(data.size()));

        auto few = ImportPreview::read(write("few.tsv", "key\tname\nA\tAnn\n"), 50);
        QVERIFY(few);
        QCOMPARE(few->delimiter, '\t');
        QCOMPARE(few->rows.size(), size_t(1));
        QVERIFY(!few->moreRows);

        auto json = ImportPreview::read(
            write("keys.jsonl", "{\"license\":\"A\",\"customer\":\"Ann\"}\n{\"license\":\"B\"}\n"));
        QVERIFY(json);
        QCOMPARE(json->format, RecordSource::Format::JsonLines);
        QCOMPARE(json->guess.column(ImportField::Key), int(json->columns.indexOf(QStringLiteral("license"))));
        QCOMPARE(json->guess.column(ImportField::CustomerName),
                 int(json->columns.indexOf(QStringLiteral("customer"))));
        QCOMPARE(json->rows.size(), size_t(2));
    }

    void badFilesSayWhy()
    {
        QCOMPARE(ImportPreview::read(m_dir.filePath(QStringLiteral("missing.csv"))).errorKind(),
                 ErrorKind::NotFound);
        QCOMPARE(ImportPreview::read(m_dir.path()).errorKind(), ErrorKind::Invalid);
        auto empty = ImportPreview::read(write("empty.csv", ""));
        QVERIFY(empty.errorMessage().contains(QLatin1String("empty")));
        auto binary =
            ImportPreview::read(write("image.csv", QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)));
        QVERIFY(binary.errorMessage().contains(QLatin1String("not a text file")));
    }

    void reportAsCsv()
    {
        const QString path = m_dir.filePath(QStringLiteral("report.csv"));
        {
            ImportReportWriter report(path);
            QVERIFY(report.open());
            report.add({3, QStringLiteral("customer_email"), QStringLiteral("not a valid email address"),
                        QStringLiteral("ann@")});
            report.add({7, QStringLiteral("key"), QStringLiteral("duplicate of line 3, in this file"),
                        QStringLiteral("A\"B")});
            QVERIFY(!QFile::exists(path)); // complete or not at all
            QVERIFY(report.commit());
            QCOMPARE(report.written(), qint64(2));
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        CsvReader reader(f);
        QVERIFY(reader.open());
        QCOMPARE(reader.columns(), (QStringList{"line", "field", "problem", "value"}));
        SourceRecord r;
        QVERIFY(*reader.next(r));
        QCOMPARE(r.values, (QStringList{"3", "customer_email", "not a valid email address", "ann@"}));
        QVERIFY(*reader.next(r));
        QCOMPARE(r.values, (QStringList{"7", "key", "duplicate of line 3, in this file", "A\"B"}));
        QVERIFY(!*reader.next(r));

        ImportReportWriter nowhere(m_dir.filePath(QStringLiteral("no/such/dir/report.csv")));
        QCOMPARE(nowhere.open().errorKind(), ErrorKind::Io);
    }
};

QTEST_GUILESS_MAIN(TestImportPreview)
#include "TestImportPreview.moc"
