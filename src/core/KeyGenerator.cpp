#include "KeyGenerator.h"

namespace keyward {

KeyGenerator::KeyGenerator(KeyFormat format) : m_format(std::move(format)), m_template(m_format.keyTemplate())
{
    m_values.reserve(m_format.slots().size());
}

QString KeyGenerator::next()
{
    QString key = m_template;
    QChar* out = key.data();
    const QString& alphabet = m_format.alphabet();
    const int alphabetSize = int(alphabet.size());
    const auto& slots = m_format.slots();
    const int checkSlot = m_format.checkSlot();
    m_values.clear();

    for (int i = 0; i < int(slots.size()); ++i) {
        if (i == checkSlot)
            continue;
        const auto& slot = slots[size_t(i)];
        if (slot.digit) {
            const int digit = m_random.uniformSmall(10);
            out[slot.position] = QChar(u'0' + digit);
        } else {
            out[slot.position] = alphabet.at(m_random.uniformSmall(alphabetSize));
        }
        if (checkSlot >= 0)
            m_values.push_back(m_format.checkValueOf(out[slot.position], slot.digit));
    }
    if (checkSlot >= 0) {
        const int value = m_format.checkSymbol()->compute(m_values);
        out[slots[size_t(checkSlot)].position] = m_format.checkCharFor(value);
    }
    return key;
}

} // namespace keyward
