#include "KeyFormat.h"

#include <QSet>

#include <cmath>

namespace keyward {

QString KeyCheck::codeString() const
{
    switch (code) {
    case Code::Valid:
        return {};
    case Code::Length:
        return QStringLiteral("L3n7");
    case Code::Characters:
        return QStringLiteral("C4r5");
    case Code::Pattern:
        return QStringLiteral("P477");
    }
    return {};
}

namespace {

bool isPrintableAscii(QChar c)
{
    return c.unicode() > 0x20 && c.unicode() < 0x7F;
}

bool isSlotChar(QChar c)
{
    return c == QLatin1Char('X') || c == QLatin1Char('9');
}

bool isIgnorable(QChar c)
{
    const char16_t u = c.unicode();
    return c.isSpace() || u == 0x200B || u == 0x200C || u == 0x200D || u == 0xFEFF;
}

bool isDashLike(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x2010 && u <= 0x2015) || u == 0x2212 || u == 0xFE63 || u == 0xFF0D;
}

KeyCheck failure(KeyCheck::Code code, int position, QString message, const QString& normalized)
{
    KeyCheck result;
    result.code = code;
    result.position = position;
    result.message = std::move(message);
    result.normalized = normalized;
    return result;
}

Status validateAlphabet(const QString& alphabet)
{
    if (alphabet.size() < 2)
        return makeError(ErrorKind::Invalid, QStringLiteral("The alphabet needs at least 2 symbols."));
    if (alphabet.size() > 94)
        return makeError(ErrorKind::Invalid, QStringLiteral("The alphabet can have at most 94 symbols."));
    QSet<QChar> seen;
    for (QChar c : alphabet) {
        if (!isPrintableAscii(c))
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("The alphabet may only contain visible ASCII characters."));
        if (seen.contains(c))
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("The alphabet lists '%1' more than once.").arg(c));
        seen.insert(c);
    }
    return {};
}

} // namespace

KeyFormat::KeyFormat() : KeyFormat(*create(Options{})) {}

Result<KeyFormat> KeyFormat::create(const Options& options)
{
    if (Status s = validateAlphabet(options.alphabet); !s)
        return s.error();
    if (options.pattern.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("The key pattern is empty."));
    if (options.pattern.size() + options.prefix.size() > 200)
        return makeError(ErrorKind::Invalid, QStringLiteral("The key format is longer than 200 characters."));
    for (QChar c : QString(options.prefix + options.pattern)) {
        if (!isPrintableAscii(c))
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("The pattern and prefix may only contain visible ASCII "
                                            "characters (no spaces)."));
    }

    KeyFormat f{Uninitialized{}};
    f.m_alphabet = options.alphabet;
    f.m_asciiIndex.fill(-1);
    for (int i = int(f.m_alphabet.size()) - 1; i >= 0;
         --i) { // the first of repeated symbols wins, as indexOf
        if (f.m_alphabet.at(i).unicode() < f.m_asciiIndex.size())
            f.m_asciiIndex[f.m_alphabet.at(i).unicode()] = qint8(i);
    }
    f.m_caseInsensitive = options.alphabet.toUpper() == options.alphabet;
    f.m_pattern = f.m_caseInsensitive ? options.pattern.toUpper() : options.pattern;
    f.m_prefix = f.m_caseInsensitive ? options.prefix.toUpper() : options.prefix;

    const int offset = int(f.m_prefix.size());
    int symbolSlots = 0;
    for (int i = 0; i < f.m_pattern.size(); ++i) {
        const QChar c = f.m_pattern.at(i);
        if (!isSlotChar(c))
            continue;
        const bool digit = c == QLatin1Char('9');
        f.m_slots.push_back({offset + i, digit});
        symbolSlots += digit ? 0 : 1;
    }
    if (f.m_slots.empty())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("The pattern has no symbol slots: use X for a symbol and 9 for a digit."));

    const int alphabetSize = int(f.m_alphabet.size());
    if (options.checkSymbol) {
        if (f.m_slots.size() < 2)
            return makeError(ErrorKind::Invalid, QStringLiteral("A check symbol needs at least two slots."));
        f.m_checkOverDigits = symbolSlots == 0;
        const int checkOrder = f.m_checkOverDigits ? 10 : alphabetSize;
        if (!CheckSymbol::supports(checkOrder))
            return makeError(ErrorKind::Invalid, CheckSymbol::unsupportedReason(checkOrder));
        if (!f.m_checkOverDigits && symbolSlots != int(f.m_slots.size()) && alphabetSize < 10)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("A check symbol over digit slots needs an alphabet of at least 10 symbols."));
        // The check symbol always takes the last slot, so it is folded last in reading order.
        if (!f.m_checkOverDigits && f.m_slots.back().digit)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("With a check symbol the pattern must end in an X slot (it holds the "
                               "check symbol)."));
        f.m_check.emplace(checkOrder);
        f.m_checkSlot = int(f.m_slots.size()) - 1;
    }

    double bits = 0;
    for (int i = 0; i < int(f.m_slots.size()); ++i) {
        if (i != f.m_checkSlot)
            bits += std::log2(f.m_slots[size_t(i)].digit ? 10.0 : double(alphabetSize));
    }
    f.m_entropyBits = bits;
    if (bits < kMinimumEntropyBits && !options.force)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("This format has only %1 bits of entropy, so keys could be guessed; "
                                        "use at least %2 bits (for example 13 base32 symbols) or force it.")
                             .arg(bits, 0, 'f', 1)
                             .arg(kMinimumEntropyBits, 0, 'f', 0));
    return f;
}

QString KeyFormat::description() const
{
    return m_prefix + m_pattern;
}

QString KeyFormat::keyTemplate() const
{
    return m_prefix + m_pattern;
}

QChar KeyFormat::mapLookAlike(QChar c, bool digitSlot) const
{
    QChar mapped = c;
    switch (c.toUpper().unicode()) {
    case u'O':
        mapped = QLatin1Char('0');
        break;
    case u'I':
    case u'L':
        mapped = QLatin1Char('1');
        break;
    default:
        return c;
    }
    if (digitSlot)
        return c.isDigit() ? c : mapped;
    return (inAlphabet(c) || !inAlphabet(mapped)) ? c : mapped;
}

QString KeyFormat::normalize(const QString& input) const
{
    QString out;
    out.reserve(input.size());
    for (QChar c : input) {
        if (isIgnorable(c))
            continue;
        out.append(isDashLike(c) ? QLatin1Char('-') : c);
    }
    if (m_caseInsensitive)
        out = out.toUpper();

    const int offset = int(m_prefix.size());
    for (int i = 0; i < m_pattern.size() && offset + i < out.size(); ++i) {
        const QChar p = m_pattern.at(i);
        if (isSlotChar(p))
            out[offset + i] = mapLookAlike(out.at(offset + i), p == QLatin1Char('9'));
    }
    return out;
}

int KeyFormat::checkValueOf(QChar c, bool digitSlot) const
{
    if (m_checkOverDigits || digitSlot)
        return c.digitValue();
    return alphabetIndex(c);
}

QChar KeyFormat::checkCharFor(int value) const
{
    if (m_checkOverDigits)
        return QChar(u'0' + value);
    return m_alphabet.at(value);
}

bool KeyFormat::checkSymbolMatches(const QString& key) const
{
    if (!m_check)
        return true;
    std::vector<int> values;
    values.reserve(m_slots.size());
    for (const Slot& slot : m_slots)
        values.push_back(checkValueOf(key.at(slot.position), slot.digit));
    return m_check->verify(values);
}

KeyCheck KeyFormat::check(const QString& input) const
{
    const QString key = normalize(input);
    const int expected = length();
    if (key.size() != expected) {
        return failure(
            KeyCheck::Code::Length, int(std::min<qsizetype>(key.size(), expected)),
            QStringLiteral("The key has %1 characters; this format has %2.").arg(key.size()).arg(expected),
            key);
    }

    const QString full = keyTemplate();
    const bool hasDigitSlots = full.contains(QLatin1Char('9'));
    for (int i = 0; i < key.size(); ++i) {
        const QChar c = key.at(i);
        const bool allowed = inAlphabet(c) || (hasDigitSlots && c.isDigit() && c.unicode() < 0x80) ||
                             (!isSlotChar(c) && full.contains(c)) || m_prefix.contains(c);
        if (!allowed) {
            return failure(KeyCheck::Code::Characters, i,
                           QStringLiteral("The character '%1' at position %2 is not used in these keys.")
                               .arg(c)
                               .arg(i + 1),
                           key);
        }
    }

    for (int i = 0; i < m_prefix.size(); ++i) {
        if (key.at(i) != m_prefix.at(i))
            return failure(KeyCheck::Code::Pattern, i,
                           QStringLiteral("The key should start with \"%1\".").arg(m_prefix), key);
    }
    const int offset = int(m_prefix.size());
    for (int i = 0; i < m_pattern.size(); ++i) {
        const QChar p = m_pattern.at(i);
        const QChar c = key.at(offset + i);
        const int position = offset + i;
        if (p == QLatin1Char('X') && !inAlphabet(c))
            return failure(
                KeyCheck::Code::Pattern, position,
                QStringLiteral("Position %1 should be a key symbol, not '%2'.").arg(position + 1).arg(c),
                key);
        if (p == QLatin1Char('9') && !(c.isDigit() && c.unicode() < 0x80))
            return failure(
                KeyCheck::Code::Pattern, position,
                QStringLiteral("Position %1 should be a digit, not '%2'.").arg(position + 1).arg(c), key);
        if (!isSlotChar(p) && c != p)
            return failure(
                KeyCheck::Code::Pattern, position,
                QStringLiteral("Position %1 should be '%2', not '%3'.").arg(position + 1).arg(p).arg(c), key);
    }

    if (!checkSymbolMatches(key)) {
        return failure(KeyCheck::Code::Pattern, m_slots[size_t(m_checkSlot)].position,
                       QStringLiteral("The check symbol does not match: a character is mistyped or two "
                                      "neighbouring characters are swapped."),
                       key);
    }

    KeyCheck ok;
    ok.normalized = key;
    return ok;
}

} // namespace keyward
