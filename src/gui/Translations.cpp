#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace keyward {

QString Translations::effectiveLanguage(const QString& code)
{
    if (!code.isEmpty())
        return code;
    return QLocale::system().name().section(QLatin1Char('_'), 0, 0);
}

void Translations::install(const QString& code)
{
    QString language = effectiveLanguage(code);
    if (language.isEmpty() || language == QLatin1String("C"))
        language = QStringLiteral("en");
    QLocale::setDefault(QLocale(language));
    auto* app = new QTranslator(QCoreApplication::instance());
    if (app->load(QStringLiteral(":/i18n/keyward_%1.qm").arg(language)))
        QCoreApplication::installTranslator(app);
    else
        delete app;
    auto* qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(QStringLiteral("qtbase_%1").arg(language),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
}

} // namespace keyward
