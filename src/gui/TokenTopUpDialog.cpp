#include "TokenTopUpDialog.h"

#include "ui_TokenTopUpDialog.h"

#include <QLocale>

namespace keyward {

TokenTopUpDialog::TokenTopUpDialog(qint64 balance, QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::TokenTopUpDialog>())
{
    m_ui->setupUi(this);
    m_ui->balanceValue->setText(QLocale().toString(balance));
    auto update = [this, balance] { m_ui->afterValue->setText(QLocale().toString(balance + amount())); };
    connect(m_ui->amountSpin, &QSpinBox::valueChanged, this, update);
    update();
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

TokenTopUpDialog::~TokenTopUpDialog() = default;

qint64 TokenTopUpDialog::amount() const
{
    return m_ui->amountSpin->value();
}

QString TokenTopUpDialog::note() const
{
    return m_ui->noteEdit->text().trimmed();
}

} // namespace keyward
