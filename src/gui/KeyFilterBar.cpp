#include "KeyFilterBar.h"

#include "UtcTime.h"

#include "ui_KeyFilterBar.h"

namespace keyward {

KeyFilterBar::KeyFilterBar(QWidget* parent) : QWidget(parent), m_ui(std::make_unique<Ui::KeyFilterBar>())
{
    m_ui->setupUi(this);
    const QDate today = QDate::currentDate();
    m_ui->expiresFromEdit->setDate(today);
    m_ui->expiresToEdit->setDate(today.addMonths(1));
    m_ui->productCombo->addItem(tr("All products"));
    m_typing.setSingleShot(true);
    m_typing.setInterval(kTypingDelayMs);
    connect(&m_typing, &QTimer::timeout, this, &KeyFilterBar::changed);
    connect(m_ui->searchEdit, &QLineEdit::textChanged, this, [this] { m_typing.start(); });
    connect(m_ui->searchEdit, &QLineEdit::returnPressed, this, [this] {
        m_typing.stop();
        changed();
    });
    for (QComboBox* combo : {m_ui->matchCombo, m_ui->productCombo, m_ui->statusCombo})
        connect(combo, &QComboBox::currentIndexChanged, this, &KeyFilterBar::changed);
    connect(m_ui->expiresFromCheck, &QCheckBox::toggled, m_ui->expiresFromEdit, &QWidget::setEnabled);
    connect(m_ui->expiresToCheck, &QCheckBox::toggled, m_ui->expiresToEdit, &QWidget::setEnabled);
    for (QCheckBox* check : {m_ui->expiresFromCheck, m_ui->expiresToCheck})
        connect(check, &QCheckBox::toggled, this, &KeyFilterBar::changed);
    for (QDateEdit* edit : {m_ui->expiresFromEdit, m_ui->expiresToEdit})
        connect(edit, &QDateEdit::dateChanged, this, [this](const QDate&) { changed(); });
    connect(m_ui->clearButton, &QToolButton::clicked, this, &KeyFilterBar::clear);
}

KeyFilterBar::~KeyFilterBar() = default;

void KeyFilterBar::changed()
{
    if (!m_updating)
        Q_EMIT filterChanged();
}

KeyFilter KeyFilterBar::filter() const
{
    KeyFilter f;
    f.text = m_ui->searchEdit->text().trimmed();
    switch (m_ui->matchCombo->currentIndex()) {
    case 1:
        f.match = KeyFilter::TextMatch::Prefix;
        break;
    case 2:
        f.match = KeyFilter::TextMatch::EmailPrefix;
        break;
    default:
        f.match = KeyFilter::TextMatch::Substring;
        break;
    }
    const QVariant product = m_ui->productCombo->currentData();
    if (product.isValid())
        f.productId = product.toLongLong();
    switch (m_ui->statusCombo->currentIndex()) {
    case 1:
        f.status = KeyStatus::Active;
        break;
    case 2:
        f.status = KeyStatus::Suspended;
        break;
    case 3:
        f.status = KeyStatus::Revoked;
        break;
    case 4:
        f.status = KeyStatus::Expired;
        break;
    default:
        break;
    }
    // Whole days in UTC: from the start of the first to the end of the last.
    if (m_ui->expiresFromCheck->isChecked())
        f.expiresFrom = utcDateTime(m_ui->expiresFromEdit->date(), QTime(0, 0));
    if (m_ui->expiresToCheck->isChecked())
        f.expiresTo = utcDateTime(m_ui->expiresToEdit->date().addDays(1), QTime(0, 0));
    return f;
}

void KeyFilterBar::setProducts(const std::vector<Product>& products)
{
    m_updating = true;
    const QVariant current = m_ui->productCombo->currentData();
    m_ui->productCombo->clear();
    m_ui->productCombo->addItem(tr("All products"));
    for (const Product& p : products)
        m_ui->productCombo->addItem(p.archived ? tr("%1 (archived)").arg(p.name) : p.name, p.id);
    const int at = current.isValid() ? m_ui->productCombo->findData(current) : 0;
    m_ui->productCombo->setCurrentIndex(qMax(0, at));
    m_updating = false;
    if (current.isValid() && at < 0)
        changed(); // the product shown is gone
}

void KeyFilterBar::setProductFilter(qint64 productId)
{
    const int at = productId > 0 ? m_ui->productCombo->findData(productId) : 0;
    if (at >= 0)
        m_ui->productCombo->setCurrentIndex(at);
}

void KeyFilterBar::focusSearch()
{
    m_ui->searchEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui->searchEdit->selectAll();
}

void KeyFilterBar::clear()
{
    m_updating = true;
    m_ui->searchEdit->clear();
    m_ui->matchCombo->setCurrentIndex(0);
    m_ui->productCombo->setCurrentIndex(0);
    m_ui->statusCombo->setCurrentIndex(0);
    m_ui->expiresFromCheck->setChecked(false);
    m_ui->expiresToCheck->setChecked(false);
    m_updating = false;
    m_typing.stop();
    Q_EMIT filterChanged();
}

} // namespace keyward
