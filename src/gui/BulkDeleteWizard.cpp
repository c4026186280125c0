#include "BulkDeleteWizard.h"

#include "AppSettings.h"
#include "BackendJob.h"
#include "FileDialogs.h"
#include "JobProgressView.h"
#include "KeyListReader.h"
#include "KeyTableModel.h"
#include "WizardPage.h"
#include "ui_BulkDeleteBackupPage.h"
#include "ui_BulkDeleteChoosePage.h"
#include "ui_BulkDeleteConfirmPage.h"
#include "ui_BulkDeletePreviewPage.h"
#include "ui_BulkDeleteRunPage.h"
#include "ui_BulkDeleteSummaryPage.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QStyle>

#include <climits>

namespace keyward {
namespace {

QString number(qint64 n)
{
    return QLocale().toString(n);
}

// For tr()'s %n, which takes an int.
int clampedCount(qint64 n)
{
    return int(std::min<qint64>(n, INT_MAX));
}

void setWarning(QLabel* label, const QString& text)
{
    label->setText(text);
    label->setStyleSheet(text.isEmpty() ? QString() : QStringLiteral("color: #b3261e;"));
}

QString statusName(KeyStatus status)
{
    switch (status) {
    case KeyStatus::Active:
        return BulkDeleteWizard::tr("active");
    case KeyStatus::Suspended:
        return BulkDeleteWizard::tr("suspended");
    case KeyStatus::Revoked:
        return BulkDeleteWizard::tr("revoked");
    case KeyStatus::Expired:
        return BulkDeleteWizard::tr("expired");
    }
    return {};
}

} // namespace

BulkDeleteWizard::BulkDeleteWizard(Backend* backend, const std::vector<Product>& products,
                                   const KeyFilter& filter, qint64 filterCount, std::vector<qint64> selection,
                                   QWidget* parent)
    : QWizard(parent), m_backend(backend), m_products(products), m_filter(filter),
      m_selection(std::move(selection))
{
    setWindowTitle(tr("Bulk delete"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setOption(QWizard::NoBackButtonOnLastPage);
    setMinimumSize(860, 600);
    m_filter.scope = KeyFilter::Scope::Live;
    setupChoosePage(filterCount);
    setupPreviewPage();
    setupBackupPage();
    setupConfirmPage();
    setupRunPage();
    setupSummaryPage();
    setStartId(ChoosePageId);
}

BulkDeleteWizard::~BulkDeleteWizard()
{
    if (isRunning())
        m_job->cancel();
}

template<typename Form>
WizardPage* BulkDeleteWizard::addFormPage(int id, std::unique_ptr<Form>& form)
{
    auto* page = new WizardPage(this);
    form = std::make_unique<Form>();
    form->setupUi(page);
    setPage(id, page);
    return page;
}

void BulkDeleteWizard::setupChoosePage(qint64 filterCount)
{
    m_choosePage = addFormPage(ChoosePageId, m_choose);
    Ui::BulkDeleteChoosePage& ui = *m_choose;
    ui.selectionRadio->setText(m_selection.empty()
                                   ? tr("The &selected keys (none are selected on the Keys page)")
                                   : tr("The %Ln &selected key(s)", nullptr, int(m_selection.size())));
    ui.selectionRadio->setEnabled(!m_selection.empty());
    ui.filterRadio->setText(filterCount >= 0 ? tr("All %1 keys of the current &view").arg(number(filterCount))
                                             : tr("All keys of the current &view"));
    const QString filter = describeFilter();
    if (filter.isEmpty())
        setWarning(ui.filterInfoLabel, tr("No filter is set: that is every live key."));
    else
        ui.filterInfoLabel->setText(filter);
    (m_selection.empty() ? ui.filterRadio : ui.selectionRadio)->setChecked(true);
    ui.pasteEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto changed = [this] {
        Ui::BulkDeleteChoosePage& form = *m_choose;
        form.pasteEdit->setEnabled(form.pasteRadio->isChecked());
        form.keyFileEdit->setEnabled(form.fileRadio->isChecked());
        form.keyFileBrowseButton->setEnabled(form.fileRadio->isChecked());
        m_choosePage->recheck();
    };
    for (QRadioButton* r : {ui.selectionRadio, ui.filterRadio, ui.pasteRadio, ui.fileRadio})
        connect(r, &QRadioButton::toggled, this, changed);
    // Counted once per change (a pasted list can be long), not on every check of the page.
    connect(ui.pasteEdit, &QPlainTextEdit::textChanged, this, [this, changed] {
        m_pastedKeys = KeyListReader::fromText(m_choose->pasteEdit->toPlainText()).size();
        m_choose->pasteInfoLabel->setText(
            m_pastedKeys > 0 ? tr("%Ln key(s) listed", nullptr, int(m_pastedKeys)) : QString());
        changed();
    });
    connect(ui.keyFileEdit, &QLineEdit::textChanged, this, changed);
    connect(ui.keyFileBrowseButton, &QPushButton::clicked, this, [this] {
        const QString path =
            FileDialogs::open(this, QStringLiteral("keyFileDialog"), tr("Delete the keys listed in"),
                              AppSettings().lastImportFolder(),
                              tr("Key lists (*.txt *.csv *.tsv *.json *.jsonl);;All files (*)"));
        if (!path.isEmpty())
            m_choose->keyFileEdit->setText(QDir::toNativeSeparators(path));
    });
    changed();
    m_choosePage->setCompleteRule([this] {
        const Ui::BulkDeleteChoosePage& form = *m_choose;
        if (form.selectionRadio->isChecked())
            return !m_selection.empty();
        if (form.pasteRadio->isChecked())
            return m_pastedKeys > 0;
        if (form.fileRadio->isChecked())
            return QFileInfo(QDir::fromNativeSeparators(form.keyFileEdit->text().trimmed())).isFile();
        return form.filterRadio->isChecked();
    });
}

QString BulkDeleteWizard::describeFilter() const
{
    QStringList parts;
    if (m_filter.productId) {
        const auto it = std::find_if(m_products.begin(), m_products.end(),
                                     [this](const Product& p) { return p.id == *m_filter.productId; });
        parts << tr("product \"%1\"")
                     .arg(it == m_products.end() ? QString::number(*m_filter.productId) : it->name);
    }
    if (m_filter.status)
        parts << tr("status %1").arg(statusName(*m_filter.status));
    if (!m_filter.text.trimmed().isEmpty())
        parts << (m_filter.match == KeyFilter::TextMatch::Substring ? tr("containing \"%1\"")
                                                                    : tr("starting with \"%1\""))
                     .arg(m_filter.text.trimmed());
    if (m_filter.expiresFrom.isValid())
        parts << tr("expiring from %1").arg(m_filter.expiresFrom.toUTC().date().toString(Qt::ISODate));
    if (m_filter.expiresTo.isValid())
        parts << tr("expiring before %1").arg(m_filter.expiresTo.toUTC().date().toString(Qt::ISODate));
    return parts.isEmpty() ? QString() : tr("Filter: %1").arg(parts.join(QLatin1String(", ")));
}

BulkTrashTarget BulkDeleteWizard::target() const
{
    const Ui::BulkDeleteChoosePage& ui = *m_choose;
    if (ui.selectionRadio->isChecked())
        return BulkTrashTarget::ofIds(m_selection);
    if (ui.pasteRadio->isChecked())
        return BulkTrashTarget::ofText(ui.pasteEdit->toPlainText());
    if (ui.fileRadio->isChecked())
        return BulkTrashTarget::ofFile(QDir::fromNativeSeparators(ui.keyFileEdit->text().trimmed()));
    return BulkTrashTarget::ofFilter(m_filter);
}

void BulkDeleteWizard::setupPreviewPage()
{
    m_previewPage = addFormPage(PreviewPageId, m_previewForm);
    Ui::BulkDeletePreviewPage& ui = *m_previewForm;
    const int icon = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    ui.warningIcon->setPixmap(
        style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this).pixmap(icon, icon));
    ui.warningFrame->setVisible(false);
    const QStringList headers{tr("Key"),      tr("Product"), tr("Status"),
                              tr("Customer"), tr("Email"),   tr("Expires")};
    ui.previewTable->setColumnCount(int(headers.size()));
    ui.previewTable->setHorizontalHeaderLabels(headers);
    ui.previewTable->verticalHeader()->setVisible(false);
    ui.previewTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    ui.previewTable->horizontalHeader()->setStretchLastSection(true);
    ui.previewTable->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_previewPage->setCompleteRule([this] { return m_preview && m_preview->count > 0; });
}

// Asks the backend what the delete would do; a reply for an earlier choice is dropped.
void BulkDeleteWizard::loadPreview()
{
    const int serial = ++m_previewSerial;
    m_preview.reset();
    Ui::BulkDeletePreviewPage& ui = *m_previewForm;
    setWarning(ui.countLabel, QString());
    ui.countLabel->setText(tr("Counting the keys…"));
    ui.warningFrame->setVisible(false);
    ui.previewTable->setRowCount(0);
    ui.moreLabel->clear();
    m_previewPage->recheck();
    m_backend->previewBulkTrash(
        target(), kPreviewRows, this, [this, serial](const Result<BulkTrashPreview>& r) {
            if (serial != m_previewSerial)
                return;
            if (!r) {
                setWarning(m_previewForm->countLabel,
                           tr("These keys cannot be deleted: %1").arg(r.errorMessage()));
                return;
            }
            m_preview = *r;
            showPreview();
            m_previewPage->recheck();
        });
}

void BulkDeleteWizard::showPreview()
{
    Ui::BulkDeletePreviewPage& ui = *m_previewForm;
    const BulkTrashPreview& p = *m_preview;
    QString text = p.count > 0
                       ? tr("<b>%Ln key(s)</b> will move to the trash.", nullptr, clampedCount(p.count))
                       : tr("None of these keys is live: there is nothing to delete.");
    if (p.alreadyInTrash > 0)
        text += QLatin1Char(' ') + tr("%Ln of the listed keys are in the trash already and stay there.",
                                      nullptr, clampedCount(p.alreadyInTrash));
    ui.countLabel->setText(text);
    if (p.activeWithActivations > 0) {
        ui.warningLabel->setText(tr(
            "<b>%Ln of them are active and in use:</b> bound to domains or devices. The software there stops "
            "validating as soon as they are deleted.",
            nullptr, clampedCount(p.activeWithActivations)));
        ui.warningFrame->setVisible(true);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    ui.previewTable->setRowCount(int(p.firstRows.size()));
    for (int r = 0; r < int(p.firstRows.size()); ++r) {
        const LicenseKey& k = p.firstRows[size_t(r)];
        const QStringList cells{k.key,
                                k.productName,
                                KeyTableModel::statusText(k, now),
                                k.customerName,
                                k.customerEmail,
                                k.expiresAt.isValid() ? k.expiresAt.toUTC().date().toString(Qt::ISODate)
                                                      : tr("Never")};
        for (int c = 0; c < int(cells.size()); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c == 0)
                item->setFont(mono);
            ui.previewTable->setItem(r, c, item);
        }
    }
    ui.previewTable->resizeColumnsToContents();
    for (int c = 0; c + 1 < ui.previewTable->columnCount(); ++c) // the last one stretches
        ui.previewTable->setColumnWidth(c, ui.previewTable->columnWidth(c) + 10);
    if (p.count > qint64(p.firstRows.size()))
        ui.moreLabel->setText(tr("… and %1 more.").arg(number(p.count - qint64(p.firstRows.size()))));
}

void BulkDeleteWizard::setupBackupPage()
{
    m_backupPage = addFormPage(BackupPageId, m_backup);
    Ui::BulkDeleteBackupPage& ui = *m_backup;
    const QString name = QStringLiteral("keyward-backup-%1.csv")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    ui.backupFileEdit->setText(
        QDir::toNativeSeparators(QDir(AppSettings().lastExportFolder()).filePath(name)));
    connect(ui.backupCheck, &QCheckBox::toggled, this, &BulkDeleteWizard::updateBackupInfo);
    connect(ui.backupFileEdit, &QLineEdit::textChanged, this, &BulkDeleteWizard::updateBackupInfo);
    connect(ui.backupFormatCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        QString path = m_backup->backupFileEdit->text().trimmed();
        const QString suffix = QFileInfo(path).suffix();
        if (!suffix.isEmpty())
            path.chop(suffix.size() + 1);
        m_backup->backupFileEdit->setText(path +
                                          (index == 1 ? QStringLiteral(".json") : QStringLiteral(".csv")));
    });
    connect(ui.backupBrowseButton, &QPushButton::clicked, this, [this] {
        const QString path =
            FileDialogs::save(this, QStringLiteral("backupFileDialog"), tr("Write the backup to"),
                              QDir::fromNativeSeparators(m_backup->backupFileEdit->text().trimmed()),
                              tr("CSV (*.csv);;JSON (*.json)"));
        if (path.isEmpty())
            return;
        m_backup->backupFileEdit->setText(QDir::toNativeSeparators(path));
        const auto format = exportFormatForPath(path);
        QSignalBlocker block(m_backup->backupFormatCombo);
        m_backup->backupFormatCombo->setCurrentIndex(format == ExportFormat::Json ? 1 : 0);
    });
    updateBackupInfo();
    m_backupPage->setCompleteRule([this] {
        if (!m_backup->backupCheck->isChecked())
            return true;
        const QString path = backupPath();
        return exportFormatForPath(path).has_value() && QFileInfo(QFileInfo(path).absolutePath()).isDir();
    });
}

QString BulkDeleteWizard::backupPath() const
{
    if (!m_backup->backupCheck->isChecked())
        return {};
    return QDir::fromNativeSeparators(m_backup->backupFileEdit->text().trimmed());
}

void BulkDeleteWizard::updateBackupInfo()
{
    Ui::BulkDeleteBackupPage& ui = *m_backup;
    const bool on = ui.backupCheck->isChecked();
    for (QWidget* w :
         std::initializer_list<QWidget*>{ui.backupFormatCombo, ui.backupFileEdit, ui.backupBrowseButton,
                                         ui.formatCaption, ui.backupFileCaption})
        w->setEnabled(on);
    const QString path = QDir::fromNativeSeparators(ui.backupFileEdit->text().trimmed());
    if (!on)
        setWarning(ui.backupInfoLabel, tr("Without a backup, the trash is the only way back."));
    else if (!exportFormatForPath(path))
        setWarning(ui.backupInfoLabel, tr("The file name must end in .csv or .json."));
    else if (!QFileInfo(QFileInfo(path).absolutePath()).isDir())
        setWarning(ui.backupInfoLabel,
                   tr("The folder %1 does not exist.").arg(QFileInfo(path).absolutePath()));
    else if (QFileInfo::exists(path))
        setWarning(ui.backupInfoLabel, tr("The file exists and will be replaced."));
    else
        setWarning(ui.backupInfoLabel, QString());
    m_backupPage->recheck();
}

void BulkDeleteWizard::setupConfirmPage()
{
    m_confirmPage = addFormPage(ConfirmPageId, m_confirm);
    m_confirmPage->setButtonText(QWizard::NextButton, tr("&Delete"));
    connect(m_confirm->confirmEdit, &QLineEdit::textChanged, m_confirmPage, &WizardPage::recheck);
    m_confirmPage->setCompleteRule([this] { return confirmed(); });
}

// The typed number, with or without group separators, is the previewed count.
bool BulkDeleteWizard::confirmed() const
{
    if (!m_preview)
        return false;
    QString typed = m_confirm->confirmEdit->text().trimmed();
    typed.remove(QLocale().groupSeparator());
    typed.remove(QRegularExpression(QStringLiteral("[\\s,.'’]")));
    bool ok = false;
    const qint64 n = typed.toLongLong(&ok);
    return ok && n == m_preview->count;
}

void BulkDeleteWizard::setupRunPage()
{
    m_runPage = addFormPage(RunPageId, m_run);
    m_runPage->setCommitPage(true); // once deleted, the summary (with restore) is the way back
    m_runPage->setButtonText(QWizard::CommitButton, tr("&Next"));
    m_progress = new JobProgressView(m_run->deleteProgressBar, nullptr, this);
    connect(m_run->stopDeleteButton, &QPushButton::clicked, this, [this] {
        if (isRunning()) {
            m_job->cancel();
            m_run->deleteStatusLabel->setText(tr("Stopping…"));
        }
    });
    m_runPage->setCompleteRule([this] { return m_result.has_value() && !isRunning(); });
}

void BulkDeleteWizard::setupSummaryPage()
{
    auto* page = addFormPage(SummaryPageId, m_summary);
    page->setFinalPage(true);
    connect(m_summary->restoreButton, &QPushButton::clicked, this, &BulkDeleteWizard::restore);
}

bool BulkDeleteWizard::isRunning() const
{
    return m_job && !m_job->isFinished();
}

int BulkDeleteWizard::nextId() const
{
    return currentId() == SummaryPageId ? -1 : QWizard::nextId();
}

void BulkDeleteWizard::initializePage(int id)
{
    switch (id) {
    case PreviewPageId:
        loadPreview();
        break;
    case ConfirmPageId: {
        const qint64 count = m_preview ? m_preview->count : 0;
        m_confirm->confirmLabel->setText(
            tr("Type <b>%1</b> to move %Ln key(s) to the trash.", nullptr, clampedCount(count)).arg(count));
        m_confirm->confirmEdit->clear();
        const QString backup = backupPath();
        if (backup.isEmpty())
            setWarning(m_confirm->confirmBackupLabel, tr("No backup will be written."));
        else
            m_confirm->confirmBackupLabel->setText(
                tr("First a backup of them is written to %1.").arg(QDir::toNativeSeparators(backup)));
        m_confirm->confirmEdit->setFocus();
        break;
    }
    case RunPageId:
        startDelete();
        break;
    case SummaryPageId:
        showSummary();
        break;
    default:
        break;
    }
    QWizard::initializePage(id);
}

void BulkDeleteWizard::cleanupPage(int id)
{
    if (id == RunPageId && isRunning())
        m_job->cancel();
    QWizard::cleanupPage(id);
}

void BulkDeleteWizard::reject()
{
    if (isRunning()) {
        m_job->cancel(); // the first Cancel stops the delete; the next one closes
        return;
    }
    QWizard::reject();
}

void BulkDeleteWizard::startDelete()
{
    if (isRunning())
        m_job->cancel();
    m_result.reset();
    BulkTrashRequest request;
    request.target = target();
    request.expectedCount = m_preview ? m_preview->count : -1;
    request.backupPath = backupPath();
    if (!request.backupPath.isEmpty())
        AppSettings().setLastExportFolder(QFileInfo(request.backupPath).absolutePath());
    m_job.reset(m_backend->bulkTrash(request));
    m_progress->watch(m_job.get());
    m_run->deleteProgressBar->setVisible(true);
    m_run->stopDeleteButton->setVisible(true);
    m_run->deleteStatusLabel->setText(request.backupPath.isEmpty()
                                          ? tr("Moving the keys to the trash…")
                                          : tr("Writing the backup, then moving the keys to the trash…"));
    m_backupWritten = request.backupPath;
    connect(m_job.get(), &BackendJob::finished, this, &BulkDeleteWizard::deleteFinished);
    m_runPage->recheck();
    disableBackWhileRunning(this, [this] { return isRunning(); });
}

void BulkDeleteWizard::deleteFinished()
{
    m_run->stopDeleteButton->setVisible(false);
    const auto* result = m_job->result<BulkTrashResult>();
    if (!m_job->status() || !result) {
        const Status& s = m_job->status();
        m_run->deleteProgressBar->setVisible(false);
        m_run->deleteStatusLabel->setText(s.errorKind() == ErrorKind::Cancelled
                                              ? tr("Stopped. No key was deleted.")
                                              : tr("No key was deleted: %1").arg(s.errorMessage()));
        m_runPage->recheck();
        return;
    }
    m_result = *result;
    Q_EMIT trashed(m_result->trashed);
    m_runPage->recheck();
    if (currentId() == RunPageId)
        next();
}

void BulkDeleteWizard::showSummary()
{
    const BulkTrashResult& r = *m_result;
    const int n = clampedCount(r.trashed);
    m_summary->summaryLabel->setText(tr(
        "%Ln key(s) moved to the trash. They no longer validate; the Trash lists them until you restore or "
        "purge them.",
        nullptr, n));
    m_summary->backupLabel->setText(m_backupWritten.isEmpty()
                                        ? tr("No backup was written.")
                                        : tr("Backup of %Ln key(s): %1", nullptr, clampedCount(r.backedUp))
                                              .arg(QDir::toNativeSeparators(m_backupWritten)));
    m_summary->restoreButton->setText(tr("&Restore these %Ln key(s)", nullptr, n));
    m_summary->restoreButton->setEnabled(!r.ids.empty());
    m_summary->restoreStatusLabel->clear();
}

// Brings back exactly the keys this wizard moved to the trash.
void BulkDeleteWizard::restore()
{
    if (!m_result || m_restoring)
        return;
    m_restoring = true;
    m_summary->restoreButton->setEnabled(false);
    m_summary->restoreStatusLabel->setText(tr("Restoring…"));
    m_backend->restoreKeys(m_result->ids, this, [this](const Result<qint64>& r) {
        m_restoring = false;
        if (!r) {
            setWarning(m_summary->restoreStatusLabel, tr("Not restored: %1").arg(r.errorMessage()));
            m_summary->restoreButton->setEnabled(true);
            return;
        }
        m_summary->restoreStatusLabel->setText(
            tr("%Ln key(s) restored from the trash.", nullptr, clampedCount(*r)));
        Q_EMIT restored(*r);
    });
}

} // namespace keyward
