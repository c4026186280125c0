#pragma once

#include <QByteArray>
#include <QSettings>
#include <QStringList>

namespace keyward {

// The desktop app's settings, typed and with their defaults in one place. Stored with QSettings
// (organisation "Keyward", application "Keyward").
class AppSettings
{
public:
    enum class Theme
    {
        System,
        Light,
        Dark
    };
    static constexpr int kMaxRecentDatabases = 8;

    AppSettings();

    QString lastDatabase() const;
    void setLastDatabase(const QString& location);
    QStringList recentDatabases() const;
    void addRecentDatabase(const QString& location); // moves it to the front
    void removeRecentDatabase(const QString& location);

    Theme theme() const;
    void setTheme(Theme theme);
    static QString themeName(Theme theme);
    static Theme themeFromName(const QString& name);

    // "" follows the system; otherwise a language code such as "de" or "en".
    QString language() const;
    void setLanguage(const QString& code);

    // Window layout: geometry, dock/toolbar state, splitters and header states by name.
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& state);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray viewState(const QString& name) const;
    void setViewState(const QString& name, const QByteArray& state);

    QString lastExportFolder() const;
    void setLastExportFolder(const QString& folder);
    QString lastImportFolder() const;
    void setLastImportFolder(const QString& folder);

    void sync() { m_settings.sync(); }

private:
    QSettings m_settings;
};

} // namespace keyward
