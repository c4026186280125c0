#include "RevokeDialog.h"

#include "ui_RevokeDialog.h"

#include <QLocale>
#include <QPushButton>

namespace keyward {

RevokeDialog::RevokeDialog(const KeyDetails& details, QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::RevokeDialog>())
{
    m_ui->setupUi(this);
    m_ui->introLabel->setText(
        tr("Revoke <b>%1</b> of %2? Its validations answer \"revoked\" from now on; a revoked "
           "key can be reinstated later.")
            .arg(details.key.key.toHtmlEscaped(), details.product.name.toHtmlEscaped()));
    m_ui->lossLabel->setText(losses(details, QDateTime::currentDateTimeUtc()));
    QPushButton* revoke = m_ui->buttonBox->addButton(tr("Revoke key"), QDialogButtonBox::AcceptRole);
    revoke->setObjectName(QStringLiteral("confirmRevokeButton"));
    revoke->setEnabled(false);
    connect(m_ui->confirmCheck, &QCheckBox::toggled, revoke, &QPushButton::setEnabled);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

RevokeDialog::~RevokeDialog() = default;

RevokeReason RevokeDialog::reason() const
{
    switch (m_ui->reasonCombo->currentIndex()) {
    case 0:
        return RevokeReason::Refund;
    case 1:
        return RevokeReason::Chargeback;
    case 2:
        return RevokeReason::Abuse;
    default:
        return RevokeReason::Other;
    }
}

QString RevokeDialog::note() const
{
    return m_ui->noteEdit->text().trimmed();
}

QString RevokeDialog::losses(const KeyDetails& details, const QDateTime& now)
{
    const LicenseKey& key = details.key;
    QStringList items;
    items << tr("Every app using this key stops validating it.");
    QStringList domains, devices;
    for (const Activation& a : details.activations)
        (a.kind == ActivationKind::Domain ? domains : devices) << a.value.toHtmlEscaped();
    if (!domains.isEmpty())
        items << tr("Access on %n domain(s): %1", nullptr, int(domains.size()))
                     .arg(domains.join(QStringLiteral(", ")));
    if (!devices.isEmpty())
        items << tr("Access on %n device(s)", nullptr, int(devices.size()));
    if (key.tokenBalance && *key.tokenBalance > 0)
        items << tr("%1 unused tokens").arg(QLocale().toString(*key.tokenBalance));
    if (!key.expiresAt.isValid())
        items << tr("A license that would never expire");
    else if (key.expiresAt > now)
        items << tr("%n day(s) left until it expires", nullptr, int(now.daysTo(key.expiresAt)));
    QString html = QStringLiteral("<ul style=\"margin-left: -20px\">");
    for (const QString& item : items)
        html += QStringLiteral("<li>") + item + QStringLiteral("</li>");
    return html + QStringLiteral("</ul>");
}

} // namespace keyward
