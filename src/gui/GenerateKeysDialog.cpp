#include "GenerateKeysDialog.h"

#include "AppSettings.h"
#include "BackendJob.h"
#include "JobProgressView.h"
#include "KeyGenerator.h"
#include "UtcTime.h"
#include "Validation.h"
#include "ui_GenerateKeysDialog.h"

#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLocale>

namespace keyward {

GenerateKeysDialog::GenerateKeysDialog(Backend* backend, const std::vector<Product>& products,
                                       qint64 productId, QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::GenerateKeysDialog>()), m_backend(backend)
{
    m_ui->setupUi(this);
    for (const Product& p : products) {
        if (!p.archived)
            m_products.push_back(p);
    }
    for (const Product& p : m_products)
        m_ui->productCombo->addItem(p.name, p.id);
    const int at = m_ui->productCombo->findData(productId);
    if (at >= 0)
        m_ui->productCombo->setCurrentIndex(at);
    m_ui->formatInfoLabel->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui->expiryDateEdit->setDate(QDate::currentDate().addYears(1));
    m_progress = new JobProgressView(m_ui->progressBar, nullptr, this);
    m_ui->progressBar->setVisible(false);

    connect(m_ui->productCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_ui->customFormatCheck->isChecked()) {
            if (const Product* p = currentProduct()) {
                m_ui->patternEdit->setText(p->keyPattern);
                m_ui->prefixEdit->setText(p->keyPrefix);
            }
        }
        updateFormatInfo();
        updateState();
    });
    connect(m_ui->customFormatCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_ui->patternEdit->setEnabled(on);
        m_ui->prefixEdit->setEnabled(on);
        updateFormatInfo();
    });
    connect(m_ui->patternEdit, &QLineEdit::textChanged, this, &GenerateKeysDialog::updateFormatInfo);
    connect(m_ui->prefixEdit, &QLineEdit::textChanged, this, &GenerateKeysDialog::updateFormatInfo);
    connect(m_ui->expiryCombo, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_ui->expiryDateEdit->setEnabled(index == 2); });
    connect(m_ui->saveToFileCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_ui->fileEdit->setEnabled(on);
        m_ui->browseButton->setEnabled(on);
        updateState();
    });
    connect(m_ui->fileEdit, &QLineEdit::textChanged, this, &GenerateKeysDialog::updateState);
    connect(m_ui->customerEmailEdit, &QLineEdit::textChanged, this, &GenerateKeysDialog::updateState);
    connect(m_ui->browseButton, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Write the new keys to"),
            QDir(AppSettings().lastExportFolder()).filePath(QStringLiteral("keys.csv")),
            tr("CSV (*.csv);;JSON (*.json)"));
        if (!path.isEmpty())
            m_ui->fileEdit->setText(path);
    });
    connect(m_ui->generateButton, &QPushButton::clicked, this, [this] {
        if (isRunning())
            m_job->cancel();
        else
            start();
    });
    connect(m_ui->closeButton, &QPushButton::clicked, this, &GenerateKeysDialog::reject);
    connect(m_ui->saveCsvButton, &QPushButton::clicked, this,
            [this] { chooseSaveFile(QStringLiteral("csv")); });
    connect(m_ui->saveJsonButton, &QPushButton::clicked, this,
            [this] { chooseSaveFile(QStringLiteral("json")); });
    connect(m_ui->copyButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_keys.join(QLatin1Char('\n')));
        m_ui->statusLabel->setText(tr("%n key(s) copied to the clipboard.", nullptr, int(m_keys.size())));
    });
    if (const Product* p = currentProduct()) {
        m_ui->patternEdit->setText(p->keyPattern);
        m_ui->prefixEdit->setText(p->keyPrefix);
    }
    if (m_products.empty())
        m_ui->statusLabel->setText(tr("Create a product first: keys always belong to a product."));
    updateFormatInfo();
    updateState();
}

GenerateKeysDialog::~GenerateKeysDialog()
{
    if (m_job && !m_job->isFinished())
        m_job->cancel();
}

const Product* GenerateKeysDialog::currentProduct() const
{
    const int at = m_ui->productCombo->currentIndex();
    return at >= 0 && size_t(at) < m_products.size() ? &m_products[size_t(at)] : nullptr;
}

GenerationRequest GenerateKeysDialog::request() const
{
    GenerationRequest r;
    if (const Product* p = currentProduct())
        r.productId = p->id;
    r.count = m_ui->countSpin->value();
    if (m_ui->customFormatCheck->isChecked()) {
        KeyFormat::Options options;
        options.pattern = m_ui->patternEdit->text().trimmed();
        options.prefix = m_ui->prefixEdit->text().trimmed();
        if (const Product* p = currentProduct()) {
            options.alphabet = p->alphabet;
            options.checkSymbol = p->checkSymbol;
        }
        if (auto format = KeyFormat::create(options))
            r.format = *format;
    }
    switch (m_ui->expiryCombo->currentIndex()) {
    case 1:
        r.expiresAt = QDateTime();
        break;
    case 2:
        r.expiresAt = utcDateTime(m_ui->expiryDateEdit->date().addDays(1), QTime(0, 0));
        break;
    default:
        break;
    }
    if (m_ui->maxDomainsSpin->value() >= 0)
        r.maxDomains = m_ui->maxDomainsSpin->value();
    if (m_ui->maxUuidsSpin->value() >= 0)
        r.maxUuids = m_ui->maxUuidsSpin->value();
    if (m_ui->tokensSpin->value() >= 0)
        r.tokens = m_ui->tokensSpin->value();
    r.customerName = m_ui->customerNameEdit->text().trimmed();
    r.customerEmail = m_ui->customerEmailEdit->text().trimmed();
    r.notes = m_ui->notesEdit->text().trimmed();
    return r;
}

void GenerateKeysDialog::updateFormatInfo()
{
    const Product* p = currentProduct();
    if (!p) {
        m_ui->formatInfoLabel->clear();
        return;
    }
    KeyFormat::Options options;
    options.pattern = m_ui->patternEdit->text().trimmed();
    options.prefix = m_ui->prefixEdit->text().trimmed();
    options.alphabet = p->alphabet;
    options.checkSymbol = p->checkSymbol;
    options.force = p->weakFormatAllowed;
    auto format = KeyFormat::create(options);
    if (!format) {
        m_ui->formatInfoLabel->setText(format.errorMessage());
        return;
    }
    m_ui->formatInfoLabel->setText(
        tr("%1  (%2 bits)").arg(KeyGenerator(*format).next()).arg(format->entropyBits(), 0, 'f', 0));
}

bool GenerateKeysDialog::isRunning() const
{
    return m_job && !m_job->isFinished();
}

void GenerateKeysDialog::updateState()
{
    const bool running = isRunning() || (m_saveJob && !m_saveJob->isFinished());
    const bool fileOk =
        !m_ui->saveToFileCheck->isChecked() ||
        QFileInfo(m_ui->fileEdit->text()).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0 ||
        QFileInfo(m_ui->fileEdit->text()).suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) == 0;
    const bool emailOk = validation::isValidEmail(m_ui->customerEmailEdit->text().trimmed());
    m_ui->generateButton->setText(isRunning() ? tr("&Stop") : tr("&Generate"));
    m_ui->generateButton->setEnabled(
        isRunning() || (!running && currentProduct() && fileOk && emailOk && !m_backend->isReadOnly()));
    for (QWidget* w : {static_cast<QWidget*>(m_ui->whatGroup), static_cast<QWidget*>(m_ui->termsGroup)})
        w->setEnabled(!running);
    const bool haveKeys = !m_keys.isEmpty() && !running;
    m_ui->saveCsvButton->setEnabled(haveKeys);
    m_ui->saveJsonButton->setEnabled(haveKeys);
    m_ui->copyButton->setEnabled(haveKeys);
    if (!emailOk)
        m_ui->statusLabel->setText(
            tr("\"%1\" is not a valid email address.").arg(m_ui->customerEmailEdit->text().trimmed()));
}

void GenerateKeysDialog::start()
{
    m_keys.clear();
    const QString output = m_ui->saveToFileCheck->isChecked() ? m_ui->fileEdit->text().trimmed() : QString();
    m_job.reset(m_backend->generateKeys(request(), output));
    m_ui->progressBar->setVisible(true);
    m_progress->watch(m_job.get());
    m_ui->statusLabel->setText(tr("Generating…"));
    m_clock.start();
    connect(m_job.get(), &BackendJob::finished, this, &GenerateKeysDialog::finished);
    updateState();
}

void GenerateKeysDialog::finished()
{
    const Status status = m_job->status();
    const QLocale locale;
    if (!status) {
        m_ui->statusLabel->setText(status.errorKind() == ErrorKind::Cancelled
                                       ? tr("Stopped. No keys were stored.")
                                       : tr("Nothing was stored: %1").arg(status.errorMessage()));
        m_ui->progressBar->setVisible(false);
        updateState();
        return;
    }
    m_keys = m_job->keys();
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    QString text =
        tr("Generated %1 keys in %2 s.").arg(locale.toString(m_job->count())).arg(seconds, 0, 'f', 1);
    if (m_ui->saveToFileCheck->isChecked())
        text +=
            QLatin1Char(' ') + tr("They are in %1.").arg(QDir::toNativeSeparators(m_ui->fileEdit->text()));
    if (m_keys.isEmpty() && m_job->count() > 0)
        text += QLatin1Char(' ') + tr("There are too many to keep here; export them from the Keys list.");
    m_ui->statusLabel->setText(text);
    Q_EMIT generated(request().productId, m_job->count());
    updateState();
}

QStringList GenerateKeysDialog::generatedKeys() const
{
    return m_keys;
}

void GenerateKeysDialog::chooseSaveFile(const QString& suffix)
{
    AppSettings settings;
    const QString filter = suffix == QLatin1String("csv") ? tr("CSV (*.csv)") : tr("JSON (*.json)");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save the new keys"),
        QDir(settings.lastExportFolder()).filePath(QStringLiteral("keys.") + suffix), filter);
    if (path.isEmpty())
        return;
    settings.setLastExportFolder(QFileInfo(path).absolutePath());
    saveKeys(path);
}

void GenerateKeysDialog::saveKeys(const QString& path)
{
    ExportRequest r;
    r.path = path;
    r.format = exportFormatForPath(path).value_or(ExportFormat::Csv);
    r.keys = m_keys;
    m_saveJob.reset(m_backend->exportKeys(r));
    m_ui->progressBar->setVisible(true);
    m_progress->watch(m_saveJob.get());
    connect(m_saveJob.get(), &BackendJob::finished, this, [this, path] {
        const Status s = m_saveJob->status();
        m_ui->statusLabel->setText(s ? tr("Saved %n key(s) to %1.", nullptr, int(m_saveJob->count()))
                                           .arg(QDir::toNativeSeparators(path))
                                     : tr("Not saved: %1").arg(s.errorMessage()));
        updateState();
    });
    updateState();
}

void GenerateKeysDialog::reject()
{
    if (isRunning()) {
        m_job->cancel(); // stays open until the run has stopped and rolled back
        return;
    }
    QDialog::reject();
}

} // namespace keyward
