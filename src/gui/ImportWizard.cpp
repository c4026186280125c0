#include "ImportWizard.h"

#include "AppSettings.h"
#include "BackendJob.h"
#include "FileDialogs.h"
#include "ImportReportModel.h"
#include "JobProgressView.h"
#include "WizardPage.h"
#include "ui_ImportCheckPage.h"
#include "ui_ImportFilePage.h"
#include "ui_ImportMappingPage.h"
#include "ui_ImportOptionsPage.h"
#include "ui_ImportRunPage.h"
#include "ui_ImportSummaryPage.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLocale>
#include <QPushButton>
#include <QTimer>

#include <climits>

namespace keyward {
namespace {

QString fieldLabel(ImportField field)
{
    switch (field) {
    case ImportField::Key:
        return ImportWizard::tr("License key");
    case ImportField::CustomerName:
        return ImportWizard::tr("Customer name");
    case ImportField::CustomerEmail:
        return ImportWizard::tr("Customer email");
    case ImportField::ExpiresAt:
        return ImportWizard::tr("Expires");
    case ImportField::Notes:
        return ImportWizard::tr("Notes");
    case ImportField::Status:
        return ImportWizard::tr("Status");
    case ImportField::MaxDomains:
        return ImportWizard::tr("Max. domains");
    case ImportField::MaxUuids:
        return ImportWizard::tr("Max. devices");
    case ImportField::Tokens:
        return ImportWizard::tr("Tokens");
    case ImportField::RevokeReason:
        return ImportWizard::tr("Revoke reason");
    case ImportField::CreatedAt:
        return ImportWizard::tr("Created");
    }
    return {};
}

QString columnTitle(const QStringList& columns, int column)
{
    const QString name = columns.value(column);
    return name.isEmpty() ? ImportWizard::tr("Column %1").arg(column + 1) : name;
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

void setWarning(QLabel* label, const QString& text)
{
    label->setText(text);
    label->setStyleSheet(text.isEmpty() ? QString() : QStringLiteral("color: #b3261e;"));
}

} // namespace

ImportWizard::ImportWizard(Backend* backend, const std::vector<Product>& products, qint64 productId,
                           QWidget* parent)
    : QWizard(parent), m_backend(backend), m_previewTimer(new QTimer(this))
{
    setWindowTitle(tr("Import keys"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setOption(QWizard::NoBackButtonOnLastPage);
    setMinimumSize(880, 640);
    for (const Product& p : products) {
        if (!p.archived)
            m_products.push_back(p);
    }
    setupFilePage();
    setupMappingPage();
    setupOptionsPage();
    setupCheckPage();
    setupRunPage();
    setupSummaryPage();
    const int at = m_file->productCombo->findData(productId);
    if (at >= 0)
        m_file->productCombo->setCurrentIndex(at);
    showProductInfo();
    setStartId(FilePageId);
}

ImportWizard::~ImportWizard()
{
    stopJob();
}

template<typename Form>
WizardPage* ImportWizard::addFormPage(int id, std::unique_ptr<Form>& form)
{
    auto* page = new WizardPage(this);
    form = std::make_unique<Form>();
    form->setupUi(page);
    setPage(id, page);
    return page;
}

void ImportWizard::setupFilePage()
{
    m_filePage = addFormPage(FilePageId, m_file);
    for (const Product& p : m_products)
        m_file->productCombo->addItem(p.name, p.id);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(250);
    connect(m_previewTimer, &QTimer::timeout, this, &ImportWizard::loadPreview);
    connect(m_file->fileEdit, &QLineEdit::textChanged, this, [this] {
        m_preview.reset();
        ++m_previewSerial; // a reply for the old text is stale
        m_file->fileInfoLabel->clear();
        m_filePage->recheck();
        m_previewTimer->start();
    });
    connect(m_file->browseButton, &QPushButton::clicked, this, [this] {
        const QString current = m_file->fileEdit->text().trimmed();
        const QString path =
            FileDialogs::open(this, QStringLiteral("importFileDialog"), tr("Import keys from"),
                              current.isEmpty() ? AppSettings().lastImportFolder() : current,
                              tr("Key files (*.csv *.tsv *.txt *.json *.jsonl *.ndjson);;All files (*)"));
        if (!path.isEmpty())
            setFilePath(path);
    });
    connect(m_file->productCombo, &QComboBox::currentIndexChanged, this, &ImportWizard::showProductInfo);
    showProductInfo();
    m_filePage->setCompleteRule([this] { return m_preview.has_value() && productId() > 0; });
}

void ImportWizard::setupMappingPage()
{
    m_mappingPage = addFormPage(MappingPageId, m_map);
    m_map->previewTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_map->previewTable->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_mappingPage->setCompleteRule([this] { return mapping().isMapped(ImportField::Key); });
}

void ImportWizard::setupOptionsPage()
{
    addFormPage(OptionsPageId, m_options);
}

void ImportWizard::setupReportTable(QTableView* table, ImportReportModel* model)
{
    table->setModel(model);
    table->verticalHeader()->setVisible(false);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setColumnWidth(ImportReportModel::LineCol, 70);
    table->setColumnWidth(ImportReportModel::FieldCol, 130);
    table->setColumnWidth(ImportReportModel::ProblemCol, 480);
    table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
}

void ImportWizard::setupCheckPage()
{
    m_checkPage = addFormPage(CheckPageId, m_check);
    m_checkPage->setButtonText(QWizard::NextButton, tr("&Import"));
    m_checkReport = new ImportReportModel(this);
    setupReportTable(m_check->checkReportTable, m_checkReport);
    m_checkProgress = new JobProgressView(m_check->checkProgressBar, nullptr, this);
    connect(m_check->checkAgainButton, &QPushButton::clicked, this, &ImportWizard::startCheck);
    connect(m_check->exportCheckReportButton, &QPushButton::clicked, this,
            [this] { saveReport(m_checkReportPath, m_check->checkReportInfoLabel); });
    m_checkPage->setCompleteRule([this] { return canImportAfterCheck(); });
}

void ImportWizard::setupRunPage()
{
    m_runPage = addFormPage(RunPageId, m_run);
    // Once imported, there is no going back to change what was imported.
    m_runPage->setCommitPage(true);
    m_runPage->setButtonText(QWizard::CommitButton, tr("&Next"));
    m_runProgress = new JobProgressView(m_run->importProgressBar, nullptr, this);
    connect(m_run->stopImportButton, &QPushButton::clicked, this, [this] {
        if (isRunning()) {
            m_job->cancel();
            m_run->importStatusLabel->setText(tr("Stopping…"));
        }
    });
    connect(m_run->retryImportButton, &QPushButton::clicked, this, &ImportWizard::startImport);
    m_runPage->setCompleteRule([this] { return m_imported.has_value() && !isRunning(); });
}

void ImportWizard::setupSummaryPage()
{
    auto* page = addFormPage(SummaryPageId, m_summary);
    page->setFinalPage(true);
    m_summaryReport = new ImportReportModel(this);
    setupReportTable(m_summary->summaryReportTable, m_summaryReport);
    connect(m_summary->exportSummaryReportButton, &QPushButton::clicked, this,
            [this] { saveReport(m_importReportPath, m_summary->summaryReportInfoLabel); });
}

void ImportWizard::showProductInfo()
{
    const auto it = std::find_if(m_products.begin(), m_products.end(),
                                 [this](const Product& p) { return p.id == productId(); });
    if (it == m_products.end())
        setWarning(m_file->productInfoLabel, tr("Create a product first: imported keys belong to one."));
    else
        m_file->productInfoLabel->setText(tr("Its keys look like %1.").arg(it->keyPrefix + it->keyPattern));
    m_filePage->recheck();
}

void ImportWizard::setFilePath(const QString& path)
{
    m_file->fileEdit->setText(QDir::toNativeSeparators(path));
    m_previewTimer->stop();
    loadPreview();
}

qint64 ImportWizard::productId() const
{
    return m_file->productCombo->currentData().toLongLong();
}

QString ImportWizard::productName() const
{
    return m_file->productCombo->currentText();
}

bool ImportWizard::isRunning() const
{
    return m_job && !m_job->isFinished();
}

// Reads the start of the file in the backend; a reply for text typed over since is dropped.
void ImportWizard::loadPreview()
{
    const QString path = QDir::fromNativeSeparators(m_file->fileEdit->text().trimmed());
    const int serial = ++m_previewSerial;
    m_preview.reset();
    m_filePage->recheck();
    if (path.isEmpty()) {
        setWarning(m_file->fileInfoLabel, QString());
        return;
    }
    setWarning(m_file->fileInfoLabel, QString());
    m_file->fileInfoLabel->setText(tr("Reading…"));
    m_backend->previewImport(path, kPreviewRows, this, [this, serial](const Result<ImportPreview>& preview) {
        if (serial != m_previewSerial)
            return;
        if (!preview) {
            setWarning(m_file->fileInfoLabel,
                       tr("This file cannot be imported: %1").arg(preview.errorMessage()));
            return;
        }
        m_preview = *preview;
        AppSettings().setLastImportFolder(QFileInfo(m_preview->path).absolutePath());
        showFileInfo();
        m_filePage->recheck();
    });
}

void ImportWizard::showFileInfo()
{
    QString kind;
    switch (m_preview->format) {
    case RecordSource::Format::Csv:
        kind = m_preview->delimiter == ';'    ? tr("CSV separated by semicolons")
               : m_preview->delimiter == '\t' ? tr("Tab-separated values")
                                              : tr("CSV separated by commas");
        break;
    case RecordSource::Format::JsonArray:
        kind = tr("JSON array");
        break;
    case RecordSource::Format::JsonLines:
        kind = tr("JSON lines");
        break;
    }
    const QString size = QLocale().formattedDataSize(m_preview->fileSize);
    QString info = tr("%1, %2, %n column(s): %3", nullptr, int(m_preview->columns.size()))
                       .arg(kind, size, m_preview->columns.join(QLatin1String(", ")));
    if (!m_preview->guess.isMapped(ImportField::Key))
        info += QLatin1Char('\n') + tr("No column looks like the license key; choose it on the next page.");
    m_file->fileInfoLabel->setText(info);
}

ImportMapping ImportWizard::mapping() const
{
    ImportMapping m;
    for (size_t f = 0; f < m_fieldCombos.size(); ++f)
        m.set(ImportField(f), m_fieldCombos[f]->currentData().toInt());
    return m;
}

ConflictPolicy ImportWizard::policy() const
{
    if (m_options->updateRadio->isChecked())
        return ConflictPolicy::Update;
    if (m_options->stopRadio->isChecked())
        return ConflictPolicy::Stop;
    return ConflictPolicy::Skip;
}

// One combo per field, two fields per row, set to the guess (only when the file's columns changed,
// so that going back and forth keeps what the person chose).
void ImportWizard::rebuildMapping()
{
    if (m_preview->columns == m_mappedColumns && !m_fieldCombos.empty()) {
        fillPreviewTable(); // the same columns, perhaps of another file
        return;
    }
    m_mappedColumns = m_preview->columns;
    QGridLayout* grid = m_map->fieldsLayout;
    while (QLayoutItem* item = grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_fieldCombos.clear();
    for (int f = 0; f < kImportFieldCount; ++f) {
        const auto field = ImportField(f);
        auto* combo = new QComboBox(m_map->fieldsGroup);
        combo->setObjectName(QStringLiteral("map_") + importFieldName(field));
        combo->addItem(tr("(not imported)"), -1);
        for (int c = 0; c < m_preview->columns.size(); ++c)
            combo->addItem(columnTitle(m_preview->columns, c), c);
        combo->setCurrentIndex(combo->findData(m_preview->guess.column(field)));
        auto* label = new QLabel(field == ImportField::Key ? fieldLabel(field) + QStringLiteral(" *")
                                                           : fieldLabel(field),
                                 m_map->fieldsGroup);
        label->setObjectName(QStringLiteral("mapLabel_") + importFieldName(field));
        label->setBuddy(combo);
        grid->addWidget(label, f / 2, (f % 2) * 2);
        grid->addWidget(combo, f / 2, (f % 2) * 2 + 1);
        connect(combo, &QComboBox::currentIndexChanged, this, &ImportWizard::mappingChanged);
        m_fieldCombos.push_back(combo);
    }
    mappingChanged();
}

void ImportWizard::mappingChanged()
{
    const ImportMapping m = mapping();
    if (!m.isMapped(ImportField::Key)) {
        setWarning(m_map->mappingHintLabel, tr("Choose the column that holds the license keys."));
    } else {
        QStringList unused;
        for (int c = 0; c < m_mappedColumns.size(); ++c) {
            bool used = false;
            for (int f = 0; f < kImportFieldCount; ++f)
                used = used || m.column(ImportField(f)) == c;
            if (!used)
                unused << columnTitle(m_mappedColumns, c);
        }
        setWarning(m_map->mappingHintLabel, QString());
        m_map->mappingHintLabel->setText(unused.isEmpty()
                                             ? tr("Every column is imported.")
                                             : tr("Not imported: %1.").arg(unused.join(QLatin1String(", "))));
    }
    fillPreviewTable();
    m_mappingPage->recheck();
}

// The first rows as the file has them, each column headed by its name and the field it fills.
void ImportWizard::fillPreviewTable()
{
    QTableWidget* table = m_map->previewTable;
    const ImportMapping m = mapping();
    const QStringList& columns = m_mappedColumns;
    table->clear();
    table->setColumnCount(int(columns.size()));
    table->setRowCount(int(m_preview->rows.size()));
    for (int c = 0; c < columns.size(); ++c) {
        QStringList fields;
        for (int f = 0; f < kImportFieldCount; ++f) {
            if (m.column(ImportField(f)) == c)
                fields << fieldLabel(ImportField(f));
        }
        auto* header =
            new QTableWidgetItem(columnTitle(columns, c) + QStringLiteral("\n→ ") +
                                 (fields.isEmpty() ? tr("not imported") : fields.join(QLatin1String(", "))));
        QFont font = header->font();
        font.setBold(!fields.isEmpty());
        header->setFont(font);
        table->setHorizontalHeaderItem(c, header);
    }
    const QColor faded = table->palette().color(QPalette::Disabled, QPalette::Text);
    for (int r = 0; r < int(m_preview->rows.size()); ++r) {
        const SourceRecord& record = m_preview->rows[size_t(r)];
        table->setVerticalHeaderItem(r, new QTableWidgetItem(QString::number(record.line)));
        for (int c = 0; c < columns.size(); ++c) {
            QString value = record.values.value(c);
            if (value.size() > 200)
                value = value.left(197) + QStringLiteral("…");
            auto* item = new QTableWidgetItem(value.simplified());
            bool used = false;
            for (int f = 0; f < kImportFieldCount; ++f)
                used = used || m.column(ImportField(f)) == c;
            if (!used)
                item->setForeground(faded);
            if (!record.error.isEmpty())
                item->setToolTip(tr("Line %1: %2").arg(record.line).arg(record.error));
            table->setItem(r, c, item);
        }
    }
    table->resizeColumnsToContents();
    for (int c = 0; c < columns.size(); ++c)
        table->setColumnWidth(c, std::min(table->columnWidth(c), 260));
}

int ImportWizard::nextId() const
{
    switch (currentId()) {
    case OptionsPageId:
        return m_options->checkFirstCheck->isChecked() ? CheckPageId : RunPageId;
    case SummaryPageId:
        return -1;
    default:
        return QWizard::nextId();
    }
}

void ImportWizard::initializePage(int id)
{
    switch (id) {
    case MappingPageId:
        rebuildMapping();
        break;
    case CheckPageId:
        startCheck();
        break;
    case RunPageId:
        startImport();
        break;
    case SummaryPageId:
        showSummary();
        break;
    default:
        break;
    }
    QWizard::initializePage(id);
}

// Back from a page with running work stops the work (nothing was stored by it).
void ImportWizard::cleanupPage(int id)
{
    if (id == CheckPageId || id == RunPageId)
        stopJob();
    QWizard::cleanupPage(id);
}

void ImportWizard::reject()
{
    if (isRunning()) {
        m_job->cancel(); // the first Cancel (or Escape) stops the work; the next one closes
        return;
    }
    QWizard::reject();
}

ImportRequest ImportWizard::request(bool dryRun) const
{
    ImportRequest r;
    r.path = m_preview->path;
    r.options.productId = productId();
    r.options.mapping = mapping();
    // The check reports every row; with "stop", the import then refuses if the check found any.
    r.options.onConflict = dryRun && policy() == ConflictPolicy::Stop ? ConflictPolicy::Skip : policy();
    r.options.dryRun = dryRun;
    r.options.requireProductFormat = !m_options->anyFormatCheck->isChecked();
    r.reportPath =
        m_reports.filePath(dryRun ? QStringLiteral("check-report.csv") : QStringLiteral("import-report.csv"));
    return r;
}

void ImportWizard::startJob(BackendJob* job)
{
    stopJob();
    m_job.reset(job);
}

void ImportWizard::stopJob()
{
    if (isRunning())
        m_job->cancel();
}

void ImportWizard::startCheck()
{
    m_checked.reset();
    m_checkReport->setProblems({});
    m_checkReportPath.clear();
    startJob(m_backend->importKeys(request(true)));
    m_check->checkProgressBar->setVisible(true);
    m_checkProgress->watch(m_job.get());
    m_check->checkStatusLabel->setText(tr("Checking every row…"));
    setWarning(m_check->checkWarningLabel, QString());
    m_check->checkWarningLabel->setVisible(false);
    m_check->checkReportInfoLabel->clear();
    m_check->checkAgainButton->setEnabled(false);
    m_check->exportCheckReportButton->setEnabled(false);
    connect(m_job.get(), &BackendJob::finished, this, &ImportWizard::checkFinished);
    m_checkPage->recheck();
}

void ImportWizard::checkFinished()
{
    m_check->checkAgainButton->setEnabled(true);
    m_check->checkProgressBar->setVisible(false);
    const auto* result = m_job->result<ImportJobResult>();
    if (!m_job->status() || !result) {
        const Status& s = m_job->status();
        m_check->checkStatusLabel->setText(
            s.errorKind() == ErrorKind::Cancelled
                ? tr("The check was stopped.")
                : tr("The file could not be checked: %1").arg(s.errorMessage()));
        m_checkPage->recheck();
        return;
    }
    const ImportSummary& s = result->summary;
    m_checked = s;
    m_checkReportPath = result->reportPath;
    m_checkReport->setProblems(s.problems);
    QStringList counts{tr("<b>%1</b> to import as new keys").arg(number(s.imported))};
    if (s.updated > 0)
        counts << tr("<b>%1</b> to update").arg(number(s.updated));
    if (s.skipped > 0)
        counts << tr("<b>%1</b> already stored (skipped)").arg(number(s.skipped));
    counts << tr("<b>%1</b> rejected").arg(number(s.rejected));
    m_check->checkStatusLabel->setText(
        tr("%Ln row(s) checked: %1.", nullptr, int(std::min<qint64>(s.rows, INT_MAX)))
            .arg(counts.join(QLatin1String(", "))));
    if (policy() == ConflictPolicy::Stop && s.rejected + s.skipped > 0)
        setWarning(
            m_check->checkWarningLabel,
            tr("With \"Stop\", nothing would be imported: fix the rows listed below, or go back and choose "
               "to skip or update them."));
    else if (s.imported + s.updated == 0)
        setWarning(m_check->checkWarningLabel, tr("No row of this file can be imported."));
    m_check->checkWarningLabel->setVisible(!m_check->checkWarningLabel->text().isEmpty());
    if (s.problemCount > qint64(s.problems.size()))
        m_check->checkReportInfoLabel->setText(
            tr("Showing the first %1 of %2 problems; the saved report has all of them.")
                .arg(number(qint64(s.problems.size())), number(s.problemCount)));
    else if (s.problemCount == 0)
        m_check->checkReportInfoLabel->setText(tr("No problems found."));
    m_check->exportCheckReportButton->setEnabled(!m_checkReportPath.isEmpty() && s.problemCount > 0);
    if (!result->reportError.isEmpty())
        m_check->checkReportInfoLabel->setText(
            tr("The report could not be kept: %1").arg(result->reportError));
    m_checkPage->recheck();
}

bool ImportWizard::canImportAfterCheck() const
{
    if (!m_checked || isRunning())
        return false;
    if (policy() == ConflictPolicy::Stop && m_checked->rejected + m_checked->skipped > 0)
        return false;
    return m_checked->imported + m_checked->updated > 0;
}

void ImportWizard::startImport()
{
    m_imported.reset();
    m_importReportPath.clear();
    startJob(m_backend->importKeys(request(false)));
    m_run->importProgressBar->setVisible(true);
    m_runProgress->watch(m_job.get());
    m_run->importStatusLabel->setText(tr("Importing into \"%1\"…").arg(productName()));
    m_run->stopImportButton->setVisible(true);
    m_run->stopImportButton->setEnabled(true);
    m_run->retryImportButton->setVisible(false);
    connect(m_job.get(), &BackendJob::finished, this, &ImportWizard::importFinished);
    m_runPage->recheck();
    disableBackWhileRunning(this, [this] { return isRunning(); });
}

void ImportWizard::importFinished()
{
    m_run->stopImportButton->setVisible(false);
    const auto* result = m_job->result<ImportJobResult>();
    if (!m_job->status() || !result) {
        const Status& s = m_job->status();
        m_run->importProgressBar->setVisible(false);
        m_run->importStatusLabel->setText(s.errorKind() == ErrorKind::Cancelled
                                              ? tr("Stopped. Nothing was imported.")
                                              : tr("Nothing was imported: %1").arg(s.errorMessage()));
        m_run->retryImportButton->setVisible(true);
        m_runPage->recheck();
        return;
    }
    m_imported = result->summary;
    m_importReportPath = result->reportPath;
    if (!m_imported->stopped)
        Q_EMIT imported(productId(), m_imported->imported + m_imported->updated);
    m_runPage->recheck();
    if (currentId() == RunPageId)
        next();
}

void ImportWizard::showSummary()
{
    const ImportSummary& s = *m_imported;
    for (const auto& [label, n] : {std::pair{m_summary->importedValue, s.imported},
                                   {m_summary->updatedValue, s.updated},
                                   {m_summary->skippedValue, s.skipped},
                                   {m_summary->rejectedValue, s.rejected}})
        label->setText(QStringLiteral("<b>%1</b>").arg(number(n)));
    const QString file = QFileInfo(m_preview->path).fileName();
    if (s.stopped)
        setWarning(
            m_summary->summaryLabel,
            tr("Nothing was imported from %1: with \"Stop\", a rejected or already stored row stops the "
               "whole import. The rows are listed below.")
                .arg(file));
    else
        m_summary->summaryLabel->setText(
            tr("%1 rows of %2 were read into \"%3\". The import is recorded in the "
               "audit log with these counts.")
                .arg(number(s.rows), file, productName()));
    m_summaryReport->setProblems(s.problems);
    m_summary->summaryReportTable->setVisible(s.problemCount > 0);
    m_summary->exportSummaryReportButton->setVisible(s.problemCount > 0);
    m_summary->exportSummaryReportButton->setEnabled(!m_importReportPath.isEmpty());
    m_summary->summaryReportInfoLabel->setText(
        s.problemCount > qint64(s.problems.size())
            ? tr("Showing the first %1 of %2 problems; the saved report has all of them.")
                  .arg(number(qint64(s.problems.size())), number(s.problemCount))
            : QString());
}

// The job wrote the whole report to a temporary file; saving copies it where the person wants it.
void ImportWizard::saveReport(const QString& reportPath, QLabel* status)
{
    if (reportPath.isEmpty())
        return;
    const QString start =
        QDir(AppSettings().lastExportFolder())
            .filePath(QFileInfo(m_preview->path).completeBaseName() + QStringLiteral("-report.csv"));
    const QString target = FileDialogs::save(this, QStringLiteral("reportFileDialog"),
                                             tr("Save the report as"), start, tr("CSV (*.csv)"));
    if (target.isEmpty())
        return;
    AppSettings().setLastExportFolder(QFileInfo(target).absolutePath());
    if (QFile::exists(target))
        QFile::remove(target);
    if (QFile::copy(reportPath, target))
        status->setText(tr("Report saved to %1.").arg(QDir::toNativeSeparators(target)));
    else
        setWarning(status, tr("The report could not be saved to %1.").arg(QDir::toNativeSeparators(target)));
}

} // namespace keyward
