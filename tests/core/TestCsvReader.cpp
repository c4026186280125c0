#include "CsvReader.h"
#include "RecordSource.h"

#include <QBuffer>
#include <QTest>

using namespace keyward;

namespace {

struct Parsed
{
    Status opened;
    QStringList columns;
    std::vector<SourceRecord> records;
    char delimiter = 0;
};

Parsed parse(const QByteArray& bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(buffer);
    Parsed p;
    p.opened = reader.open();
    if (!p.opened)
        return p;
    p.columns = reader.columns();
    p.delimiter = reader.delimiter();
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

class TestCsvReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void simple()
    {
        const Parsed p = parse("key,name\nAAA,Ann\nBBB,Bob\n");
        QVERIFY(p.opened);
        QCOMPARE(p.columns, (QStringList{"key", "name"}));
        QCOMPARE(p.records.size(), size_t(2));
        QCOMPARE(p.records[1].values, (QStringList{"BBB", "Bob"}));
        QCOMPARE(p.records[0].line, 2);
        QCOMPARE(p.records[1].line, 3);
        QVERIFY(p.records[0].error.isEmpty());
    }

    void quotedFields()
    {
        const Parsed p = parse("key,notes,name\r\n"
                               "\"A,1\",\"say \"\"hi\"\"\",\"multi\r\nline\nnote\"\r\n"
                               "B,,\"\"\r\n");
        QCOMPARE(p.records.size(), size_t(2));
        QCOMPARE(p.records[0].values, (QStringList{"A,1", "say \"hi\"", "multi\r\nline\nnote"}));
        QCOMPARE(p.records[1].values, (QStringList{"B", "", ""}));
        QCOMPARE(p.records[1].line, 5); // the quoted field spanned lines 2 to 4
    }

    void bomAndMixedNewlines()
    {
        const Parsed p = parse("\xEF\xBB\xBFkey,name\r\nA,1\nB,2\rC,3\r\n");
        QCOMPARE(p.columns.first(), QStringLiteral("key")); // the BOM is not part of the name
        QCOMPARE(p.records.size(), size_t(3));
        QCOMPARE(p.records[2].values, (QStringList{"C", "3"}));
        QCOMPARE(p.records[2].line, 4);
    }

    void blankLinesAreSkipped()
    {
        const Parsed p = parse("\n\nkey,name\n\nA,1\n\r\n\nB,2\n\n");
        QCOMPARE(p.columns, (QStringList{"key", "name"}));
        QCOMPARE(p.records.size(), size_t(2));
        QCOMPARE(p.records[0].line, 5);
        QCOMPARE(p.records[1].line, 8);
    }

    void trailingDelimiter()
    {
        const Parsed p = parse("key,name,\nA,1,\nB,2\n");
        QCOMPARE(p.columns, (QStringList{"key", "name"}));
        QVERIFY(p.records[0].error.isEmpty());
        QCOMPARE(p.records[0].values, (QStringList{"A", "1"}));
        QVERIFY(p.records[1].error.isEmpty());
    }

    void wrongColumnCount()
    {
        const Parsed p = parse("key,name,email\nA,1\nB,2,x,y\nC,3,z\n");
        QCOMPARE(p.records.size(), size_t(3));
        QCOMPARE(p.records[0].error, QStringLiteral("expected 3 fields, found 2"));
        QCOMPARE(p.records[1].error, QStringLiteral("expected 3 fields, found 4"));
        QVERIFY(p.records[2].error.isEmpty());
    }

    void delimiters()
    {
        QCOMPARE(parse("key;name\nA;1\n").delimiter, ';');
        QCOMPARE(parse("key\tname\tmail\nA\t1\tx\n").delimiter, '\t');
        QCOMPARE(parse("\"a;b\",c\n1,2\n").delimiter, ','); // inside quotes does not count
        const Parsed p = parse("key;name\n\"A;1\";Ann\n");
        QCOMPARE(p.records[0].values, (QStringList{"A;1", "Ann"}));
    }

    void invalidUtf8()
    {
        const Parsed p = parse("key,name\nA,J\xFCrgen\nB,J\xC3\xBCrgen\n");
        QCOMPARE(p.records.size(), size_t(2));
        QCOMPARE(p.records[0].error, QStringLiteral("the text is not valid UTF-8"));
        QCOMPARE(p.records[0].errorColumn, 1);
        QVERIFY(p.records[1].error.isEmpty());
        QCOMPARE(p.records[1].values[1], QStringLiteral("Jürgen"));
    }

    void tenMegabyteField()
    {
        QByteArray data("key,notes\nA,");
        data.append(QByteArray(10 * 1024 * 1024, 'x'));
        data.append("\nB,short\n");
        const Parsed p = parse(data);
        QCOMPARE(p.records.size(), size_t(2));
        QVERIFY(p.records[0].error.contains(QLatin1String("longer than")));
        QVERIFY(p.records[0].values[1].size() <= RecordSource::kMaxFieldBytes); // memory stays bounded
        QVERIFY(p.records[1].error.isEmpty());
        QCOMPARE(p.records[1].values, (QStringList{"B", "short"}));
        QCOMPARE(p.records[1].line, 3);
    }

    void unterminatedQuote()
    {
        const Parsed p = parse("key,name\nA,1\nB,\"never closed\n\nC,3\n");
        QCOMPARE(p.records.size(), size_t(2));
        QVERIFY(p.records[1].error.contains(QLatin1String("not closed")));
        QCOMPARE(p.records[1].line, 3);
    }

    void emptyFiles()
    {
        QCOMPARE(parse("").opened.errorKind(), ErrorKind::Invalid);
        QVERIFY(parse("").opened.errorMessage().contains(QLatin1String("empty")));
        QVERIFY(!parse("\n\r\n\n").opened);
        QVERIFY(!parse(",,,\n").opened);
        const Parsed headerOnly = parse("key,name\n");
        QVERIFY(headerOnly.opened);
        QCOMPARE(headerOnly.records.size(), size_t(0));
    }

    void binaryAndUtf16()
    {
        QByteArray binary("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
        const Parsed png = parse(binary);
        QVERIFY(!png.opened);
        QVERIFY(png.opened.errorMessage().contains(QLatin1String("not a text file")));
        const Parsed utf16 = parse(QByteArray("\xFF\xFEk\0e\0y\0", 8));
        QVERIFY(!utf16.opened);
        QVERIFY(utf16.opened.errorMessage().contains(QLatin1String("UTF-16")));
    }

    void noFinalNewlineAndCrOnly()
    {
        const Parsed p = parse("key,name\rA,1\rB,2");
        QCOMPARE(p.records.size(), size_t(2));
        QCOMPARE(p.records[1].values, (QStringList{"B", "2"}));
    }

    void detection()
    {
        QBuffer json;
        json.setData("[{\"key\":\"A\"}]");
        json.open(QIODevice::ReadOnly);
        auto source = RecordSource::forDevice(json, QStringLiteral("keys.txt"));
        QVERIFY(source);
        QCOMPARE((*source)->format(), RecordSource::Format::JsonArray);
        QBuffer csv;
        csv.setData("key\nA\n");
        csv.open(QIODevice::ReadOnly);
        auto csvSource = RecordSource::forDevice(csv, QStringLiteral("keys.csv"));
        QVERIFY(csvSource);
        QCOMPARE((*csvSource)->format(), RecordSource::Format::Csv);
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "TestCsvReader.moc"
