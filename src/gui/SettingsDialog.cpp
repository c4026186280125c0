#include "SettingsDialog.h"

#include "Theme.h"
#include "ui_SettingsDialog.h"

namespace keyward {

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::SettingsDialog>())
{
    m_ui->setupUi(this);
    AppSettings settings;
    m_ui->themeCombo->setCurrentIndex(int(settings.theme()));
    m_ui->languageCombo->addItem(tr("Follow the system"), QString());
    m_ui->languageCombo->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_ui->languageCombo->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_ui->languageCombo->setCurrentIndex(qMax(0, m_ui->languageCombo->findData(settings.language())));
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::accept()
{
    AppSettings settings;
    const auto theme = AppSettings::Theme(m_ui->themeCombo->currentIndex());
    settings.setTheme(theme);
    settings.setLanguage(m_ui->languageCombo->currentData().toString());
    Theme::apply(theme);
    QDialog::accept();
}

} // namespace keyward
