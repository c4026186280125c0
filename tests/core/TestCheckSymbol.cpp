#include "CheckSymbol.h"
#include "KeyFormat.h"
#include "KeyGenerator.h"
#include "SecureRandom.h"

#include <QTest>

using namespace keyward;

// The check symbol must catch every single-symbol substitution and every swap of two adjacent
// different symbols. Checked exhaustively over a large random sample of sequences.
class TestCheckSymbol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void supportedSizes()
    {
        for (int n : {3, 4, 5, 8, 9, 10, 12, 16, 20, 27, 31, 32, 36, 49, 64, 81, 92})
            QVERIFY2(CheckSymbol::supports(n), qPrintable(QString::number(n)));
        for (int n : {0, 1, 2, 6, 14, 30, 58, 62, 94})
            QVERIFY2(!CheckSymbol::supports(n), qPrintable(QString::number(n)));
        QVERIFY(CheckSymbol::unsupportedReason(58).contains(QLatin1String("58")));
    }

    void catchesSubstitutionsAndSwaps_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("samples");
        for (int n : {32, 10, 16, 36, 31, 64, 9, 12, 20, 27, 92})
            QTest::newRow(qPrintable(QStringLiteral("N=%1").arg(n))) << n << (n >= 32 ? 1500 : 3000);
    }

    void catchesSubstitutionsAndSwaps()
    {
        QFETCH(int, size);
        QFETCH(int, samples);
        const CheckSymbol check(size);
        SecureRandom random;
        const int length = 20;
        qint64 variants = 0;
        for (int s = 0; s < samples; ++s) {
            std::vector<int> values(length);
            for (int& v : values)
                v = random.uniformSmall(size);
            values.push_back(check.compute(values));
            QVERIFY(check.verify(values));

            // Every position, the check symbol included, replaced by every other value.
            for (size_t i = 0; i < values.size(); ++i) {
                const int original = values[i];
                for (int other = 0; other < size; ++other) {
                    if (other == original)
                        continue;
                    values[i] = other;
                    if (check.verify(values))
                        QFAIL(qPrintable(
                            QStringLiteral("substitution at %1 not caught (N=%2)").arg(i).arg(size)));
                    ++variants;
                }
                values[i] = original;
            }
            // Every pair of neighbours swapped, the check symbol included.
            for (size_t i = 0; i + 1 < values.size(); ++i) {
                if (values[i] == values[i + 1])
                    continue;
                std::swap(values[i], values[i + 1]);
                if (check.verify(values))
                    QFAIL(qPrintable(QStringLiteral("swap at %1 not caught (N=%2)").arg(i).arg(size)));
                std::swap(values[i], values[i + 1]);
                ++variants;
            }
        }
        QVERIFY(variants > qint64(samples) * length * (size - 1));
    }

    // The same through KeyFormat on real key strings: typing another symbol anywhere or swapping
    // two neighbouring symbols (also across a dash) makes check() answer P477.
    void keysWithCheckSymbol()
    {
        KeyFormat::Options o;
        o.pattern = QStringLiteral("XXXXX-XXXXX-XXXXX-XXXXX");
        o.prefix = QStringLiteral("KW-");
        o.checkSymbol = true;
        auto format = KeyFormat::create(o);
        QVERIFY(format);
        KeyGenerator gen(*format);
        const QString alphabet = format->alphabet();
        const auto& slots = format->slots();
        for (int s = 0; s < 1000; ++s) {
            const QString key = gen.next();
            QVERIFY(format->check(key).valid());
            for (const auto& slot : slots) {
                for (QChar c : alphabet) {
                    if (c == key.at(slot.position))
                        continue;
                    QString typo = key;
                    typo[slot.position] = c;
                    const KeyCheck result = format->check(typo);
                    if (result.codeString() != QLatin1String("P477"))
                        QFAIL(qPrintable(QStringLiteral("%1 accepted as %2").arg(typo, result.codeString())));
                }
            }
            for (size_t i = 0; i + 1 < slots.size(); ++i) {
                const int a = slots[i].position;
                const int b = slots[i + 1].position;
                if (key.at(a) == key.at(b))
                    continue;
                QString swapped = key;
                std::swap(swapped[a], swapped[b]);
                if (format->check(swapped).valid())
                    QFAIL(qPrintable(QStringLiteral("swap accepted: %1").arg(swapped)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCheckSymbol)
#include "TestCheckSymbol.moc"
