#pragma once

#include <QString>

#include <vector>

namespace keyward {

// A check symbol over an alphabet of N symbols that catches every single-symbol substitution and
// every swap of two adjacent symbols. It folds the symbol values through a totally anti-symmetric
// quasigroup (Damm's scheme): each prime-power factor of N gets x*y = a·x + y over a small field
// (a = 2 in Z_p, a = x in GF(2^e)), and the factors combine as a direct product. That works for
// every N whose factorisation does not hold a single 2 (N mod 4 != 2); N = 10 uses Damm's table.
class CheckSymbol
{
public:
    explicit CheckSymbol(int alphabetSize = 32);

    static bool supports(int alphabetSize);
    static QString unsupportedReason(int alphabetSize);

    int alphabetSize() const { return m_size; }

    // Value (0..N-1) to append so that the whole sequence folds to zero.
    int compute(const std::vector<int>& values) const;
    // True when values, ending with the check symbol's value, fold to zero.
    bool verify(const std::vector<int>& values) const;

private:
    enum class Kind
    {
        PrimeField,
        BinaryField,
        Damm10
    };
    struct Component
    {
        Kind kind;
        int order;      // q: this component's number of elements
        int polynomial; // BinaryField: the reduction polynomial with its top bit
    };

    int fold(const std::vector<int>& values) const;
    int combine(int left, int right) const;
    int solve(int interim) const;
    static int componentCombine(const Component& c, int x, int y);
    static int componentSolve(const Component& c, int interim);

    int m_size = 0;
    std::vector<Component> m_components;
};

} // namespace keyward
