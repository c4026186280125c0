#include "KeyFormat.h"
#include "KeyGenerator.h"
#include "SecureRandom.h"

#include <QSet>
#include <QTest>

#include <cmath>
#include <sodium.h>

using namespace keyward;

namespace {

// Upper critical value of the chi-square distribution (Wilson-Hilferty approximation).
double chiSquareCritical(int degreesOfFreedom, double z)
{
    const double k = degreesOfFreedom;
    const double a = 2.0 / (9.0 * k);
    return k * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

double chiSquare(const std::vector<qint64>& counts)
{
    qint64 total = 0;
    for (qint64 c : counts)
        total += c;
    const double expected = double(total) / double(counts.size());
    double sum = 0;
    for (qint64 c : counts)
        sum += (double(c) - expected) * (double(c) - expected) / expected;
    return sum;
}

constexpr double kZ = 4.75; // one-sided p of about 1e-6: a false alarm is practically impossible

} // namespace

class TestKeyGenerator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void millionUniqueValidKeys()
    {
        const KeyFormat format;
        KeyGenerator gen(format);
        QSet<QString> seen;
        seen.reserve(1'000'000);
        for (int i = 0; i < 1'000'000; ++i) {
            const QString key = gen.next();
            if (i % 50'000 == 0)
                QVERIFY2(format.check(key).valid(), qPrintable(key));
            seen.insert(key);
        }
        QCOMPARE(seen.size(), 1'000'000);
    }

    void symbolFrequenciesAreUniform()
    {
        const KeyFormat format;
        KeyGenerator gen(format);
        const QString alphabet = format.alphabet();
        std::vector<qint64> overall(size_t(alphabet.size()), 0);
        std::vector<std::vector<qint64>> perSlot(format.slots().size(),
                                                 std::vector<qint64>(size_t(alphabet.size()), 0));
        for (int i = 0; i < 200'000; ++i) {
            const QString key = gen.next();
            for (size_t s = 0; s < format.slots().size(); ++s) {
                const auto index = size_t(alphabet.indexOf(key.at(format.slots()[s].position)));
                ++overall[index];
                ++perSlot[s][index];
            }
        }
        const double critical = chiSquareCritical(int(alphabet.size()) - 1, kZ);
        const double chi = chiSquare(overall);
        qInfo("chi-square over all slots: %.1f (critical %.1f)", chi, critical);
        QVERIFY2(chi < critical, qPrintable(QString::number(chi)));
        for (size_t s = 0; s < perSlot.size(); ++s)
            QVERIFY2(chiSquare(perSlot[s]) < critical, qPrintable(QStringLiteral("slot %1").arg(s)));
    }

    // The test has power: the modulo-biased sampler it replaces fails it, ours passes.
    void noModuloBias()
    {
        const int n = 36;
        const int draws = 4'000'000;
        SecureRandom random;
        std::vector<qint64> unbiased(n, 0);
        std::vector<qint64> biased(n, 0);
        for (int i = 0; i < draws; ++i) {
            ++unbiased[size_t(random.uniformSmall(n))];
            ++biased[size_t(randombytes_random() % 256 % n)];
        }
        const double critical = chiSquareCritical(n - 1, kZ);
        QVERIFY2(chiSquare(unbiased) < critical, qPrintable(QString::number(chiSquare(unbiased))));
        QVERIFY2(chiSquare(biased) > critical, qPrintable(QString::number(chiSquare(biased))));
    }

    void digitsAndLiterals()
    {
        KeyFormat::Options o;
        o.pattern = QStringLiteral("99999-XXXXX-XXXXX-XXXXX");
        o.prefix = QStringLiteral("GAME-");
        auto format = KeyFormat::create(o);
        QVERIFY(format);
        KeyGenerator gen(*format);
        for (int i = 0; i < 1000; ++i) {
            const QString key = gen.next();
            QVERIFY(key.startsWith(QLatin1String("GAME-")));
            for (int d = 5; d < 10; ++d)
                QVERIFY(key.at(d).isDigit());
            QVERIFY(format->check(key).valid());
        }
    }

    void tokensAreRandomAndUrlSafe()
    {
        const QString a = SecureRandom::token(32);
        const QString b = SecureRandom::token(32);
        QCOMPARE(a.size(), 43);
        QVERIFY(a != b);
        for (QChar c : a)
            QVERIFY(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_'));
    }
};

QTEST_GUILESS_MAIN(TestKeyGenerator)
#include "TestKeyGenerator.moc"
