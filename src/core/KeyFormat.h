#pragma once

#include "CheckSymbol.h"
#include "Result.h"

#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace keyward {

// The answer of KeyFormat::check(): valid, or the reference service's code with the position of
// the first problem (0-based, in the normalised key) and a sentence for a person.
struct KeyCheck
{
    enum class Code
    {
        Valid,
        Length,
        Characters,
        Pattern
    };

    Code code = Code::Valid;
    int position = -1;
    QString message;
    QString normalized;

    bool valid() const { return code == Code::Valid; }
    QString codeString() const; // "", "L3n7", "C4r5", "P477"
};

// A license key format: an optional literal prefix, then a pattern where 'X' is a symbol of the
// alphabet, '9' a decimal digit and any other character a literal; optionally the last symbol
// slot holds a check symbol. Immutable; build one with create().
class KeyFormat
{
public:
    static constexpr const char* kDefaultPattern = "XXXXX-XXXXX-XXXXX-XXXXX";
    static constexpr const char* kCrockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static constexpr double kMinimumEntropyBits = 64.0;

    struct Options
    {
        QString pattern = QString::fromLatin1(kDefaultPattern);
        QString prefix;
        QString alphabet = QString::fromLatin1(kCrockfordAlphabet);
        bool checkSymbol = false;
        bool force = false; // accept a format under kMinimumEntropyBits
    };

    KeyFormat(); // the default format: XXXXX-XXXXX-XXXXX-XXXXX over Crockford base32
    static Result<KeyFormat> create(const Options& options);

    const QString& pattern() const { return m_pattern; }
    const QString& prefix() const { return m_prefix; }
    const QString& alphabet() const { return m_alphabet; }
    bool hasCheckSymbol() const { return m_checkSlot >= 0; }
    int length() const { return int(m_prefix.size() + m_pattern.size()); }
    double entropyBits() const { return m_entropyBits; }
    QString description() const; // prefix + pattern, e.g. "PHOTO-XXXXX-XXXXX"

    QString normalize(const QString& input) const;
    KeyCheck check(const QString& input) const;

    // Used by KeyGenerator: the template with literals filled in and the slots to fill.
    struct Slot
    {
        int position; // index in the full key (prefix included)
        bool digit;   // '9' slot: 0-9; otherwise an alphabet symbol
    };
    const std::vector<Slot>& slots() const { return m_slots; }
    int checkSlot() const { return m_checkSlot; } // index into slots(), -1 when none
    QString keyTemplate() const;
    int checkValueOf(QChar c, bool digitSlot) const;
    QChar checkCharFor(int value) const;
    const CheckSymbol* checkSymbol() const { return m_check ? &*m_check : nullptr; }

private:
    struct Uninitialized
    {};
    explicit KeyFormat(Uninitialized) {}

    // The symbol's value in the alphabet, or -1; ASCII symbols from a table (this runs for every
    // character of every key an import checks).
    int alphabetIndex(QChar c) const
    {
        return c.unicode() < m_asciiIndex.size() ? m_asciiIndex[c.unicode()] : int(m_alphabet.indexOf(c));
    }
    bool inAlphabet(QChar c) const { return alphabetIndex(c) >= 0; }
    QChar mapLookAlike(QChar c, bool digitSlot) const;
    bool checkSymbolMatches(const QString& key) const;

    QString m_pattern;
    QString m_prefix;
    QString m_alphabet;
    std::array<qint8, 128> m_asciiIndex{}; // alphabetIndex() of each ASCII character
    bool m_caseInsensitive = true;
    std::vector<Slot> m_slots;
    int m_checkSlot = -1;
    bool m_checkOverDigits = false; // pattern without 'X': the check is a digit (Damm)
    double m_entropyBits = 0;
    std::optional<CheckSymbol> m_check;
};

} // namespace keyward
