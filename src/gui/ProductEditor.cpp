#include "ProductEditor.h"

#include "KeyGenerator.h"
#include "ui_ProductEditor.h"

#include <QFontDatabase>
#include <QPushButton>

namespace keyward {
namespace {

constexpr const char* kDigits = "0123456789";
constexpr const char* kLettersDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

int planIndex(Plan plan)
{
    return plan == Plan::Pro ? 1 : plan == Plan::Enterprise ? 2 : 0;
}

Plan planAt(int index)
{
    return index == 1 ? Plan::Pro : index == 2 ? Plan::Enterprise : Plan::Free;
}

} // namespace

ProductEditor::ProductEditor(Backend* backend, std::optional<Product> product, QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::ProductEditor>()), m_backend(backend),
      m_original(product.value_or(Product{})), m_editing(product.has_value())
{
    m_ui->setupUi(this);
    setWindowTitle(m_editing ? tr("Edit product %1").arg(m_original.name) : tr("New product"));
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->sampleLabel->setFont(mono);
    m_ui->patternEdit->setFont(mono);
    m_ui->testKeyEdit->setFont(mono);
    m_ui->alphabetCombo->addItem(QString::fromLatin1(KeyFormat::kCrockfordAlphabet));
    m_ui->alphabetCombo->addItem(QString::fromLatin1(kLettersDigits));
    m_ui->alphabetCombo->addItem(QString::fromLatin1(kDigits));
    m_ui->alphabetCombo->setItemData(0, tr("Crockford base32: no I, L, O or U, so nothing is misread"),
                                     Qt::ToolTipRole);
    m_ui->problemLabel->setStyleSheet(QStringLiteral("color: #d64545;"));

    const Product& p = m_original;
    m_ui->nameEdit->setText(p.name);
    m_ui->planCombo->setCurrentIndex(planIndex(p.plan));
    m_ui->customLimitCheck->setChecked(p.dailyLimitOverride.has_value());
    m_ui->dailyLimitSpin->setEnabled(p.dailyLimitOverride.has_value());
    if (p.dailyLimitOverride)
        m_ui->dailyLimitSpin->setValue(
            int(std::min<qint64>(*p.dailyLimitOverride, m_ui->dailyLimitSpin->maximum())));
    m_ui->maxKeysSpin->setValue(int(std::min<qint64>(p.maxKeys.value_or(0), m_ui->maxKeysSpin->maximum())));
    m_ui->archivedCheck->setChecked(p.archived);
    m_ui->patternEdit->setText(p.keyPattern);
    m_ui->prefixEdit->setText(p.keyPrefix);
    m_ui->alphabetCombo->setCurrentText(p.alphabet);
    m_ui->checkSymbolCheck->setChecked(p.checkSymbol);
    m_ui->weakCheck->setChecked(p.weakFormatAllowed);
    m_ui->expiryDaysSpin->setValue(p.defaultExpiryDays.value_or(0));
    m_ui->defaultMaxDomainsSpin->setValue(p.defaultMaxDomains.value_or(0));
    m_ui->defaultMaxUuidsSpin->setValue(p.defaultMaxUuids.value_or(0));
    m_ui->tokenKeysCheck->setChecked(p.tokenKeys);
    m_ui->defaultTokensSpin->setEnabled(p.tokenKeys);
    m_ui->defaultTokensSpin->setValue(
        int(std::min<qint64>(p.defaultTokens, m_ui->defaultTokensSpin->maximum())));
    if (m_editing) {
        // Existing keys keep their strings; a new format applies to keys generated from now on.
        m_ui->patternEdit->setToolTip(m_ui->patternEdit->toolTip() + QLatin1Char('\n') +
                                      tr("Changing the format affects new keys only."));
    }

    connect(m_ui->customLimitCheck, &QCheckBox::toggled, m_ui->dailyLimitSpin, &QWidget::setEnabled);
    connect(m_ui->tokenKeysCheck, &QCheckBox::toggled, m_ui->defaultTokensSpin, &QWidget::setEnabled);
    for (QLineEdit* e : {m_ui->patternEdit, m_ui->prefixEdit})
        connect(e, &QLineEdit::textChanged, this, &ProductEditor::updateFormat);
    connect(m_ui->alphabetCombo, &QComboBox::currentTextChanged, this, &ProductEditor::updateFormat);
    for (QCheckBox* c : {m_ui->checkSymbolCheck, m_ui->weakCheck})
        connect(c, &QCheckBox::toggled, this, &ProductEditor::updateFormat);
    connect(m_ui->newSampleButton, &QToolButton::clicked, this, &ProductEditor::updateFormat);
    connect(m_ui->testKeyEdit, &QLineEdit::textChanged, this, &ProductEditor::updateTest);
    connect(m_ui->nameEdit, &QLineEdit::textChanged, this, [this] { setProblem({}); });
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &ProductEditor::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateFormat();
}

ProductEditor::~ProductEditor() = default;

Product ProductEditor::product() const
{
    Product p = m_original;
    p.name = m_ui->nameEdit->text().trimmed();
    p.plan = planAt(m_ui->planCombo->currentIndex());
    p.dailyLimitOverride = m_ui->customLimitCheck->isChecked()
                               ? std::optional<qint64>(m_ui->dailyLimitSpin->value())
                               : std::nullopt;
    p.maxKeys =
        m_ui->maxKeysSpin->value() > 0 ? std::optional<qint64>(m_ui->maxKeysSpin->value()) : std::nullopt;
    p.archived = m_ui->archivedCheck->isChecked();
    p.keyPattern = m_ui->patternEdit->text().trimmed();
    p.keyPrefix = m_ui->prefixEdit->text().trimmed();
    p.alphabet = m_ui->alphabetCombo->currentText().trimmed();
    p.checkSymbol = m_ui->checkSymbolCheck->isChecked();
    p.weakFormatAllowed = m_ui->weakCheck->isChecked();
    auto optionalSpin = [](const QSpinBox* s) {
        return s->value() > 0 ? std::optional<int>(s->value()) : std::nullopt;
    };
    p.defaultExpiryDays = optionalSpin(m_ui->expiryDaysSpin);
    p.defaultMaxDomains = optionalSpin(m_ui->defaultMaxDomainsSpin);
    p.defaultMaxUuids = optionalSpin(m_ui->defaultMaxUuidsSpin);
    p.tokenKeys = m_ui->tokenKeysCheck->isChecked();
    p.defaultTokens = p.tokenKeys ? m_ui->defaultTokensSpin->value() : 0;
    return p;
}

void ProductEditor::updateFormat()
{
    KeyFormat::Options options;
    options.pattern = m_ui->patternEdit->text().trimmed();
    options.prefix = m_ui->prefixEdit->text().trimmed();
    options.alphabet = m_ui->alphabetCombo->currentText().trimmed();
    options.checkSymbol = m_ui->checkSymbolCheck->isChecked();
    options.force = true; // show the strength of weak formats too; the store enforces the rule
    auto format = KeyFormat::create(options);
    QPushButton* save = m_ui->buttonBox->button(QDialogButtonBox::Save);
    if (!format) {
        m_ui->sampleLabel->setText(QStringLiteral("—"));
        m_ui->entropyLabel->setText(format.errorMessage());
        m_ui->entropyLabel->setStyleSheet(QStringLiteral("color: #d64545;"));
        save->setEnabled(false);
        updateTest();
        return;
    }
    m_ui->sampleLabel->setText(KeyGenerator(*format).next());
    const double bits = format->entropyBits();
    const bool weak = bits < KeyFormat::kMinimumEntropyBits;
    m_ui->entropyLabel->setText(
        weak ? tr("%1 bits: too easy to guess. Use a longer pattern, or allow weak formats below.")
                   .arg(bits, 0, 'f', 1)
             : tr("%1 bits: strong enough that guessing keys is hopeless.").arg(bits, 0, 'f', 1));
    m_ui->entropyLabel->setStyleSheet(weak ? QStringLiteral("color: #d9822b;")
                                           : QStringLiteral("color: #2e9d4f;"));
    save->setEnabled(!weak || m_ui->weakCheck->isChecked());
    updateTest();
}

void ProductEditor::updateTest()
{
    const QString text = m_ui->testKeyEdit->text();
    if (text.trimmed().isEmpty()) {
        m_ui->testResultLabel->clear();
        return;
    }
    auto format = product().format();
    if (!format) {
        KeyFormat::Options options;
        options.pattern = m_ui->patternEdit->text().trimmed();
        options.prefix = m_ui->prefixEdit->text().trimmed();
        options.alphabet = m_ui->alphabetCombo->currentText().trimmed();
        options.checkSymbol = m_ui->checkSymbolCheck->isChecked();
        options.force = true;
        format = KeyFormat::create(options);
    }
    if (!format) {
        m_ui->testResultLabel->clear();
        return;
    }
    const KeyCheck check = format->check(text);
    if (check.valid()) {
        m_ui->testResultLabel->setText(tr("Valid: %1").arg(check.normalized));
        m_ui->testResultLabel->setStyleSheet(QStringLiteral("color: #2e9d4f;"));
    } else {
        m_ui->testResultLabel->setText(
            tr("%1 at position %2: %3").arg(check.codeString()).arg(check.position + 1).arg(check.message));
        m_ui->testResultLabel->setStyleSheet(QStringLiteral("color: #d64545;"));
    }
}

void ProductEditor::setProblem(const QString& text)
{
    m_ui->problemLabel->setText(text);
    m_ui->problemLabel->setVisible(!text.isEmpty());
}

void ProductEditor::accept()
{
    const Product p = product();
    if (Status s = p.validate(); !s) {
        setProblem(s.errorMessage());
        return;
    }
    m_ui->buttonBox->setEnabled(false);
    auto done = [this](const Result<Product>& r) {
        m_ui->buttonBox->setEnabled(true);
        if (!r) {
            setProblem(r.errorMessage());
            return;
        }
        m_saved = *r;
        QDialog::accept();
    };
    if (m_editing)
        m_backend->updateProduct(p, this, done);
    else
        m_backend->createProduct(p, this, done);
}

} // namespace keyward
