#pragma once

#include <QString>

namespace keyward {

// Loads the app's own translation and Qt's (standard buttons and dialogs) for a language:
// "" follows the system, otherwise a code such as "de". English loads only its plural forms.
class Translations
{
public:
    static void install(const QString& code);
    static QString effectiveLanguage(const QString& code);
};

} // namespace keyward
