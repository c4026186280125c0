#include "CsvWriter.h"
#include "KeyExportWriter.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace keyward;

class TestCsvWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quoting_data()
    {
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("plain") << QStringList{"a", "b"} << QByteArray("a,b\r\n");
        QTest::newRow("empty") << QStringList{"", ""} << QByteArray(",\r\n");
        QTest::newRow("comma") << QStringList{"a,b"} << QByteArray("\"a,b\"\r\n");
        QTest::newRow("quote") << QStringList{"say \"hi\""} << QByteArray("\"say \"\"hi\"\"\"\r\n");
        QTest::newRow("newline") << QStringList{"l1\nl2", "x"} << QByteArray("\"l1\nl2\",x\r\n");
        QTest::newRow("cr") << QStringList{"a\rb"} << QByteArray("\"a\rb\"\r\n");
        QTest::newRow("utf8") << QStringList{QStringLiteral("Jürgen")} << QByteArray("J\xc3\xbcrgen\r\n");
        QTest::newRow("edge spaces") << QStringList{" x "} << QByteArray("\" x \"\r\n");
    }

    void quoting()
    {
        QFETCH(QStringList, fields);
        QFETCH(QByteArray, line);
        QCOMPARE(CsvWriter().line(fields), line);
    }

    void semicolon() { QCOMPARE(CsvWriter(';').line({"a;b", "c,d"}), QByteArray("\"a;b\";c,d\r\n")); }

    void jsonExportIsValidJson()
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        KeyExportWriter writer(buffer, ExportFormat::Json);
        QVERIFY(writer.begin());
        LicenseKey k;
        k.key = QStringLiteral("AAAAA-BBBBB");
        k.productName = QStringLiteral("P");
        k.customerName = QStringLiteral("Ann \"Q\" Lee");
        k.tokenBalance = 7;
        QVERIFY(writer.write(k));
        k.key = QStringLiteral("CCCCC-DDDDD");
        k.tokenBalance.reset();
        QVERIFY(writer.write(k));
        QVERIFY(writer.finish());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(buffer.data(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonArray array = doc.array();
        QCOMPARE(array.size(), 2);
        QCOMPARE(array[0].toObject()[QStringLiteral("customer_name")].toString(),
                 QStringLiteral("Ann \"Q\" Lee"));
        QCOMPARE(array[0].toObject()[QStringLiteral("tokens")].toInteger(), 7);
        QVERIFY(array[1].toObject()[QStringLiteral("tokens")].isNull());
    }

    void emptyJsonExport()
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        KeyExportWriter writer(buffer, ExportFormat::Json);
        QVERIFY(writer.begin());
        QVERIFY(writer.finish());
        QCOMPARE(QJsonDocument::fromJson(buffer.data()).array().size(), 0);
    }

    void formatFromPath()
    {
        QCOMPARE(exportFormatForPath(QStringLiteral("/x/keys.CSV")), ExportFormat::Csv);
        QCOMPARE(exportFormatForPath(QStringLiteral("keys.json")), ExportFormat::Json);
        QVERIFY(!exportFormatForPath(QStringLiteral("keys.txt")));
    }
};

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "TestCsvWriter.moc"
