#include "JsonRecordReader.h"

#include <QBuffer>
#include <QTest>

using namespace keyward;

namespace {

struct Parsed
{
    Status opened;
    QStringList columns;
    std::vector<SourceRecord> records;
    RecordSource::Format format = RecordSource::Format::Csv;
};

Parsed parse(const QByteArray& bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    JsonRecordReader reader(buffer);
    Parsed p;
    p.opened = reader.open();
    if (!p.opened)
        return p;
    p.columns = reader.columns();
    p.format = reader.format();
    SourceRecord r;
    for (;;) {
        auto more = reader.next(r);
        if (!more || !*more)
            break;
        p.records.push_back(r);
    }
    return p;
}

} // namespace

class TestJsonRecordReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void array()
    {
        const Parsed p =
            parse("[\n {\"key\": \"A\", \"tokens\": 5, \"vip\": true},\n"
                  " {\"key\": \"B\", \"name\": \"Bob, \\\"the\\\" [1]\", \"tokens\": null}\n]\n");
        QVERIFY2(p.opened, qPrintable(p.opened.errorMessage()));
        QCOMPARE(p.format, RecordSource::Format::JsonArray);
        QCOMPARE(p.columns, (QStringList{"key", "tokens", "vip", "name"}));
        QCOMPARE(p.records.size(), size_t(2));
        QCOMPARE(p.records[0].values, (QStringList{"A", "5", "true", ""}));
        QCOMPARE(p.records[1].values, (QStringList{"B", "", "", "Bob, \"the\" [1]"}));
        QCOMPARE(p.records[0].line, 2);
        QCOMPARE(p.records[1].line, 3);
    }

    void jsonLines()
    {
        const Parsed p = parse("\xEF\xBB\xBF{\"key\":\"A\"}\n\n{\"key\":\"B\",\"email\":\"b@x.io\"}\r\n{"
                               "broken\n{\"key\":\"D\"}");
        QVERIFY(p.opened);
        QCOMPARE(p.format, RecordSource::Format::JsonLines);
        QCOMPARE(p.columns, (QStringList{"key", "email"}));
        QCOMPARE(p.records.size(), size_t(4));
        QCOMPARE(p.records[1].values, (QStringList{"B", "b@x.io"}));
        QCOMPARE(p.records[1].line, 3);
        QVERIFY(p.records[2].error.startsWith(QLatin1String("invalid JSON")));
        QCOMPARE(p.records[2].line, 4);
        QCOMPARE(p.records[3].values.first(), QStringLiteral("D"));
    }

    void problemsPerRecord()
    {
        const Parsed p =
            parse("[{\"key\":\"A\",\"meta\":{\"x\":1}}, 42, {\"key\":\"C\"}, {\"key\": \"\xFF\"}]");
        QCOMPARE(p.records.size(), size_t(4));
        QVERIFY(p.records[0].error.contains(QLatin1String("nested")));
        QCOMPARE(p.records[0].errorColumn, 1);
        QVERIFY(p.records[1].error.contains(QLatin1String("not a JSON object")));
        QVERIFY(p.records[2].error.isEmpty());
        QVERIFY(p.records[3].error.contains(QLatin1String("UTF-8")));
    }

    void unclosedArray()
    {
        const Parsed p = parse("[{\"key\":\"A\"}, {\"key\":\"B\"");
        QCOMPARE(p.records.size(), size_t(2));
        QVERIFY(p.records[0].error.isEmpty());
        QVERIFY(!p.records[1].error.isEmpty());
    }

    void hugeRecordIsCut()
    {
        QByteArray data("[{\"key\":\"A\"},{\"key\":\"B\",\"notes\":\"");
        data.append(QByteArray(10 * 1024 * 1024, 'n'));
        data.append("\"},{\"key\":\"C\"}]");
        const Parsed p = parse(data);
        QCOMPARE(p.records.size(), size_t(3));
        QVERIFY(p.records[1].error.contains(QLatin1String("longer than")));
        QCOMPARE(p.records[2].values.first(), QStringLiteral("C"));
    }

    void notJson()
    {
        QVERIFY(!parse("").opened);
        QVERIFY(!parse("   ").opened);
        QVERIFY(!parse("\"just a string\"").opened);
        QVERIFY(!parse("[]").opened);
        QVERIFY(!parse(QByteArray("[{\"a\":\0}]", 9)).opened);
    }
};

QTEST_GUILESS_MAIN(TestJsonRecordReader)
#include "TestJsonRecordReader.moc"
