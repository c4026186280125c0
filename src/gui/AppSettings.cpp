#include "AppSettings.h"

#include <QDir>

namespace keyward {
namespace {

const QString kLastDatabase = QStringLiteral("database/last");
const QString kRecent = QStringLiteral("database/recent");
const QString kTheme = QStringLiteral("appearance/theme");
const QString kLanguage = QStringLiteral("appearance/language");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kExportFolder = QStringLiteral("export/folder");
const QString kImportFolder = QStringLiteral("import/folder");

} // namespace

AppSettings::AppSettings() : m_settings(QStringLiteral("Keyward"), QStringLiteral("Keyward")) {}

QString AppSettings::lastDatabase() const
{
    return m_settings.value(kLastDatabase).toString();
}

void AppSettings::setLastDatabase(const QString& location)
{
    m_settings.setValue(kLastDatabase, location);
}

QStringList AppSettings::recentDatabases() const
{
    return m_settings.value(kRecent).toStringList();
}

void AppSettings::addRecentDatabase(const QString& location)
{
    QStringList recent = recentDatabases();
    recent.removeAll(location);
    recent.prepend(location);
    while (recent.size() > kMaxRecentDatabases)
        recent.removeLast();
    m_settings.setValue(kRecent, recent);
}

void AppSettings::removeRecentDatabase(const QString& location)
{
    QStringList recent = recentDatabases();
    recent.removeAll(location);
    m_settings.setValue(kRecent, recent);
}

AppSettings::Theme AppSettings::theme() const
{
    return themeFromName(m_settings.value(kTheme).toString());
}

void AppSettings::setTheme(Theme theme)
{
    m_settings.setValue(kTheme, themeName(theme));
}

QString AppSettings::themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

AppSettings::Theme AppSettings::themeFromName(const QString& name)
{
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

QString AppSettings::language() const
{
    return m_settings.value(kLanguage).toString();
}

void AppSettings::setLanguage(const QString& code)
{
    m_settings.setValue(kLanguage, code);
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings.value(kGeometry).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& state)
{
    m_settings.setValue(kGeometry, state);
}

QByteArray AppSettings::windowState() const
{
    return m_settings.value(kState).toByteArray();
}

void AppSettings::setWindowState(const QByteArray& state)
{
    m_settings.setValue(kState, state);
}

QByteArray AppSettings::viewState(const QString& name) const
{
    return m_settings.value(QStringLiteral("views/") + name).toByteArray();
}

void AppSettings::setViewState(const QString& name, const QByteArray& state)
{
    m_settings.setValue(QStringLiteral("views/") + name, state);
}

QString AppSettings::lastExportFolder() const
{
    return m_settings.value(kExportFolder, QDir::homePath()).toString();
}

void AppSettings::setLastExportFolder(const QString& folder)
{
    m_settings.setValue(kExportFolder, folder);
}

QString AppSettings::lastImportFolder() const
{
    return m_settings.value(kImportFolder, QDir::homePath()).toString();
}

void AppSettings::setLastImportFolder(const QString& folder)
{
    m_settings.setValue(kImportFolder, folder);
}

} // namespace keyward
