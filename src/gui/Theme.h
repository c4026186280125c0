#pragma once

#include "AppSettings.h"

#include <QPalette>

namespace keyward {

// Light and dark palettes on the Fusion style; "system" keeps the platform's own palette. Qt 6.4
// has no colour-scheme API, so the system's choice is read off its palette at start-up.
class Theme
{
public:
    // Call once after QApplication exists, before apply().
    static void captureSystemPalette();
    static void apply(AppSettings::Theme theme);
    static bool isDark();
    static QPalette lightPalette();
    static QPalette darkPalette();
};

} // namespace keyward
