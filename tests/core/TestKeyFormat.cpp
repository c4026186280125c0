#include "KeyFormat.h"
#include "KeyGenerator.h"

#include <QTest>

using namespace keyward;

class TestKeyFormat : public QObject
{
    Q_OBJECT

private:
    static KeyFormat make(const QString& pattern, const QString& prefix = {}, bool check = false,
                          const QString& alphabet = QString::fromLatin1(KeyFormat::kCrockfordAlphabet))
    {
        KeyFormat::Options o;
        o.pattern = pattern;
        o.prefix = prefix;
        o.checkSymbol = check;
        o.alphabet = alphabet;
        o.force = true;
        auto f = KeyFormat::create(o);
        if (!f)
            qFatal("format refused: %s", qPrintable(f.errorMessage()));
        return *f;
    }

private Q_SLOTS:
    void defaultFormat()
    {
        const KeyFormat f;
        QCOMPARE(f.pattern(), QStringLiteral("XXXXX-XXXXX-XXXXX-XXXXX"));
        QCOMPARE(f.length(), 23);
        QCOMPARE(f.alphabet().size(), 32);
        QCOMPARE(f.entropyBits(), 100.0);
        QVERIFY(!f.hasCheckSymbol());
    }

    void codes_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("position");

        const QString def = QStringLiteral("XXXXX-XXXXX-XXXXX-XXXXX");
        QTest::newRow("valid") << def << QString() << QStringLiteral("ABCDE-FGHJK-MNPQR-STVWX") << QString()
                               << -1;
        QTest::newRow("too short") << def << QString() << QStringLiteral("ABCDE-FGHJK-MNPQR-STVW") << "L3n7"
                                   << 22;
        QTest::newRow("too long") << def << QString() << QStringLiteral("ABCDE-FGHJK-MNPQR-STVWXY") << "L3n7"
                                  << 23;
        QTest::newRow("empty") << def << QString() << QString() << "L3n7" << 0;
        QTest::newRow("U not in alphabet")
            << def << QString() << QStringLiteral("ABCDE-FGHJK-MNPQR-STVWU") << "C4r5" << 22;
        QTest::newRow("symbol") << def << QString() << QStringLiteral("ABCDE-FG#JK-MNPQR-STVWX") << "C4r5"
                                << 8;
        QTest::newRow("umlaut") << def << QString() << QStringLiteral("ÄBCDE-FGHJK-MNPQR-STVWX") << "C4r5"
                                << 0;
        QTest::newRow("dash moved") << def << QString() << QStringLiteral("ABCD-EFGHJK-MNPQR-STVWX") << "P477"
                                    << 4;
        QTest::newRow("symbol where dash")
            << def << QString() << QStringLiteral("ABCDEFFGHJK-MNPQR-STVWX") << "P477" << 5;
        QTest::newRow("dash where symbol")
            << def << QString() << QStringLiteral("ABCDE-FGHJK-MNPQR--TVWX") << "P477" << 18;
        QTest::newRow("digit slot letter") << QStringLiteral("99999-XXXXX-XXXXX-XXXXX") << QString()
                                           << QStringLiteral("1234A-FGHJK-MNPQR-STVWX") << "P477" << 4;
        QTest::newRow("prefix ok") << def << QStringLiteral("PHOTO-")
                                   << QStringLiteral("PHOTO-ABCDE-FGHJK-MNPQR-STVWX") << QString() << -1;
        QTest::newRow("prefix wrong") << def << QStringLiteral("PHOTO-")
                                      << QStringLiteral("PH0T0-ABCDE-FGHJK-MNPQR-STVWX") << "P477" << 2;
        QTest::newRow("prefix missing")
            << def << QStringLiteral("PHOTO-") << QStringLiteral("ABCDE-FGHJK-MNPQR-STVWX") << "L3n7" << 23;
    }

    void codes()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, prefix);
        QFETCH(QString, input);
        QFETCH(QString, code);
        QFETCH(int, position);
        const KeyCheck c = make(pattern, prefix).check(input);
        QCOMPARE(c.codeString(), code);
        QCOMPARE(c.position, position);
        QCOMPARE(c.valid(), code.isEmpty());
        if (!c.valid())
            QVERIFY2(!c.message.isEmpty(), "every problem has a message");
    }

    void normalization_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("normalized");
        QTest::newRow("lower case") << "abcde-fghjk-mnpqr-stvwx"
                                    << "ABCDE-FGHJK-MNPQR-STVWX";
        QTest::newRow("spaces and tabs") << "  ABCDE - FGHJK\t-MNPQR-STVWX \n"
                                         << "ABCDE-FGHJK-MNPQR-STVWX";
        QTest::newRow("O to zero") << "OOOOO-FGHJK-MNPQR-STVWX"
                                   << "00000-FGHJK-MNPQR-STVWX";
        QTest::newRow("I and L to one") << "IiLl1-FGHJK-MNPQR-STVWX"
                                        << "11111-FGHJK-MNPQR-STVWX";
        QTest::newRow("unicode dashes")
            << QStringLiteral("ABCDE\u2013FGHJK\u2014MNPQR\u2212STVWX") << "ABCDE-FGHJK-MNPQR-STVWX";
        QTest::newRow("zero width and nbsp")
            << QStringLiteral("ABC\u200BDE-FGHJK\u00A0-MNPQR-STVWX\uFEFF") << "ABCDE-FGHJK-MNPQR-STVWX";
        QTest::newRow("U stays") << "UUUUU-FGHJK-MNPQR-STVWX"
                                 << "UUUUU-FGHJK-MNPQR-STVWX";
    }

    void normalization()
    {
        QFETCH(QString, input);
        QFETCH(QString, normalized);
        QCOMPARE(KeyFormat().normalize(input), normalized);
    }

    void prefixKeepsItsLetters()
    {
        // O and L inside the prefix are literals and must not become digits.
        const KeyFormat f = make(QStringLiteral("XXXXX-XXXXX-XXXXX-XXXXX"), QStringLiteral("Solo-"));
        QCOMPARE(f.prefix(), QStringLiteral("SOLO-"));
        QCOMPARE(f.normalize(QStringLiteral("solo-ooooo-fghjk-mnpqr-stvwx")),
                 QStringLiteral("SOLO-00000-FGHJK-MNPQR-STVWX"));
        QVERIFY(f.check(QStringLiteral("solo-ooooo-fghjk-mnpqr-stvwx")).valid());
    }

    void digitSlotsMapLookAlikes()
    {
        const KeyFormat f = make(QStringLiteral("9999-9999-9999-9999-9999"), {}, false);
        QCOMPARE(f.normalize(QStringLiteral("O1l2-3456-7890-1234-5678")),
                 QStringLiteral("0112-3456-7890-1234-5678"));
        QVERIFY(f.check(QStringLiteral("O1l2-3456-7890-1234-5678")).valid());
    }

    void caseSensitiveAlphabet()
    {
        const QString alphabet = QStringLiteral("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789");
        const KeyFormat f = make(QStringLiteral("XXXXXXXXXXXXXXXX"), {}, false, alphabet);
        QVERIFY(f.check(QStringLiteral("abcdEFGHjkmnPQRS")).valid());
        QCOMPARE(f.normalize(QStringLiteral("abcdEFGHjkmnPQRS")), QStringLiteral("abcdEFGHjkmnPQRS"));
    }

    void entropyAndRefusal()
    {
        KeyFormat::Options o;
        o.pattern = QStringLiteral("XXXX-XXXX");
        auto weak = KeyFormat::create(o);
        QVERIFY(!weak);
        QCOMPARE(weak.errorKind(), ErrorKind::Invalid);
        QVERIFY(weak.errorMessage().contains(QLatin1String("40.0 bits")));
        o.force = true;
        auto forced = KeyFormat::create(o);
        QVERIFY(forced);
        QCOMPARE(forced->entropyBits(), 40.0);

        o.pattern = QStringLiteral("XXXXXXXXXXXXX"); // 13 * 5 = 65 bits
        o.force = false;
        QVERIFY(KeyFormat::create(o));
        o.pattern = QStringLiteral("XXXXXXXXXXXX"); // 60 bits
        QVERIFY(!KeyFormat::create(o));

        // The check symbol carries no entropy.
        o.pattern = QStringLiteral("XXXXXXXXXXXXXX");
        o.checkSymbol = true;
        auto withCheck = KeyFormat::create(o);
        QVERIFY(withCheck);
        QCOMPARE(withCheck->entropyBits(), 65.0);
    }

    void invalidFormats_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("alphabet");
        QTest::addColumn<bool>("check");
        QTest::newRow("empty") << QString() << QString::fromLatin1(KeyFormat::kCrockfordAlphabet) << false;
        QTest::newRow("no slots") << "----" << QString::fromLatin1(KeyFormat::kCrockfordAlphabet) << false;
        QTest::newRow("space") << "XXXX XXXX" << QString::fromLatin1(KeyFormat::kCrockfordAlphabet) << false;
        QTest::newRow("duplicate symbol") << "XXXX"
                                          << "ABCA" << false;
        QTest::newRow("tiny alphabet") << "XXXX"
                                       << "A" << false;
        QTest::newRow("check over 58")
            << "XXXXXXXXXXXXXXXXXXXXX"
            << "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz" << true;
        QTest::newRow("check ends in digit")
            << "XXXXXXXXXXXXXXXXXXXX-9" << QString::fromLatin1(KeyFormat::kCrockfordAlphabet) << true;
    }

    void invalidFormats()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, alphabet);
        QFETCH(bool, check);
        KeyFormat::Options o;
        o.pattern = pattern;
        o.alphabet = alphabet;
        o.checkSymbol = check;
        o.force = true;
        auto f = KeyFormat::create(o);
        QVERIFY(!f);
        QVERIFY(!f.errorMessage().isEmpty());
    }

    void checkSymbolInFormat()
    {
        const KeyFormat f = make(QStringLiteral("XXXXX-XXXXX-XXXXX-XXXXX"), QStringLiteral("APP-"), true);
        KeyGenerator gen(f);
        for (int i = 0; i < 200; ++i) {
            const QString key = gen.next();
            QVERIFY2(f.check(key).valid(), qPrintable(key));
            QVERIFY(f.check(key.toLower()).valid());
            // Change the first symbol: the check symbol must notice.
            QString typo = key;
            const int pos = 4;
            typo[pos] = typo[pos] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
            const KeyCheck c = f.check(typo);
            QCOMPARE(c.codeString(), QStringLiteral("P477"));
            QCOMPARE(c.position, f.length() - 1);
        }
    }

    void digitOnlyCheckSymbol()
    {
        const KeyFormat f = make(QStringLiteral("9999-9999-9999-9999-9999"), {}, true);
        KeyGenerator gen(f);
        for (int i = 0; i < 100; ++i)
            QVERIFY(f.check(gen.next()).valid());
        QCOMPARE(f.entropyBits(), 19 * std::log2(10.0));
    }
};

QTEST_GUILESS_MAIN(TestKeyFormat)
#include "TestKeyFormat.moc"
