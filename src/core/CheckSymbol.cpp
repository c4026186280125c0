#include "CheckSymbol.h"

#include <array>
#include <stdexcept>

namespace keyward {
namespace {

// Damm's totally anti-symmetric quasigroup of order 10 (zero diagonal).
constexpr std::array<std::array<int, 10>, 10> kDamm10 = {{
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
    {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
    {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
    {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
    {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
    {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
    {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}};

// Primitive polynomials for GF(2^e), indexed by e (top bit included).
constexpr std::array<int, 9> kBinaryPolynomials = {0, 0, 0x7, 0xB, 0x13, 0x25, 0x43, 0x89, 0x11D};

int multiplyByX(int value, int order, int polynomial)
{
    value <<= 1;
    if (value & order)
        value ^= polynomial;
    return value;
}

} // namespace

bool CheckSymbol::supports(int alphabetSize)
{
    return unsupportedReason(alphabetSize).isEmpty();
}

QString CheckSymbol::unsupportedReason(int alphabetSize)
{
    if (alphabetSize < 3)
        return QStringLiteral("A check symbol needs an alphabet of at least 3 symbols.");
    if (alphabetSize > 256)
        return QStringLiteral("A check symbol supports alphabets of at most 256 symbols.");
    if (alphabetSize % 4 == 2 && alphabetSize != 10)
        return QStringLiteral("A check symbol needs an alphabet size that is 10 or not 2 more than a "
                              "multiple of 4 (e.g. 10, 16, 32, 36); this alphabet has %1 symbols.")
            .arg(alphabetSize);
    return {};
}

CheckSymbol::CheckSymbol(int alphabetSize) : m_size(alphabetSize)
{
    if (!supports(alphabetSize))
        throw std::invalid_argument("unsupported check symbol alphabet size");
    if (alphabetSize == 10) {
        m_components.push_back({Kind::Damm10, 10, 0});
        return;
    }
    int rest = alphabetSize;
    int twos = 0;
    while (rest % 2 == 0) {
        rest /= 2;
        ++twos;
    }
    if (twos > 0)
        m_components.push_back({Kind::BinaryField, 1 << twos, kBinaryPolynomials[size_t(twos)]});
    for (int p = 3; p <= rest; p += 2) {
        while (rest % p == 0) {
            rest /= p;
            m_components.push_back({Kind::PrimeField, p, 0});
        }
    }
}

int CheckSymbol::componentCombine(const Component& c, int x, int y)
{
    switch (c.kind) {
    case Kind::PrimeField:
        return (2 * x + y) % c.order;
    case Kind::BinaryField:
        return multiplyByX(x, c.order, c.polynomial) ^ y;
    case Kind::Damm10:
        return kDamm10[size_t(x)][size_t(y)];
    }
    return 0;
}

int CheckSymbol::componentSolve(const Component& c, int interim)
{
    switch (c.kind) {
    case Kind::PrimeField:
        return (c.order - (2 * interim) % c.order) % c.order;
    case Kind::BinaryField:
        return multiplyByX(interim, c.order, c.polynomial);
    case Kind::Damm10:
        return interim; // zero diagonal: r * r = 0
    }
    return 0;
}

// Values are mixed-radix numbers, one digit per component.
int CheckSymbol::combine(int left, int right) const
{
    int result = 0;
    int weight = 1;
    for (const Component& c : m_components) {
        const int x = left % c.order;
        const int y = right % c.order;
        left /= c.order;
        right /= c.order;
        result += componentCombine(c, x, y) * weight;
        weight *= c.order;
    }
    return result;
}

int CheckSymbol::solve(int interim) const
{
    int result = 0;
    int weight = 1;
    for (const Component& c : m_components) {
        result += componentSolve(c, interim % c.order) * weight;
        interim /= c.order;
        weight *= c.order;
    }
    return result;
}

int CheckSymbol::fold(const std::vector<int>& values) const
{
    int interim = 0;
    for (int v : values)
        interim = combine(interim, v % m_size);
    return interim;
}

int CheckSymbol::compute(const std::vector<int>& values) const
{
    return solve(fold(values));
}

bool CheckSymbol::verify(const std::vector<int>& values) const
{
    return fold(values) == 0;
}

} // namespace keyward
