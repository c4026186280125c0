#include "ExportDialog.h"

#include "AppSettings.h"
#include "BackendJob.h"
#include "JobProgressView.h"
#include "ui_ExportDialog.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QPushButton>

namespace keyward {

ExportDialog::ExportDialog(Backend* backend, const KeyFilter& filter, qint64 filterCount,
                           std::vector<qint64> selection, QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::ExportDialog>()), m_backend(backend), m_filter(filter),
      m_selection(std::move(selection))
{
    m_ui->setupUi(this);
    const QLocale locale;
    m_ui->filterRadio->setText(filterCount >= 0
                                   ? tr("All %1 keys of the current view").arg(locale.toString(filterCount))
                                   : tr("All keys of the current view"));
    m_ui->selectionRadio->setText(tr("The %n selected key(s)", nullptr, int(m_selection.size())));
    m_ui->selectionRadio->setEnabled(!m_selection.empty());
    if (m_selection.size() > 1)
        m_ui->selectionRadio->setChecked(true);
    m_exportButton = m_ui->buttonBox->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_progress = new JobProgressView(m_ui->progressBar, nullptr, this);
    m_ui->progressBar->setVisible(false);
    const QString folder = AppSettings().lastExportFolder();
    m_ui->fileEdit->setText(QDir(folder).filePath(QStringLiteral("keys.csv")));

    connect(m_ui->formatCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        QString path = m_ui->fileEdit->text();
        const QString suffix = index == 1 ? QStringLiteral("json") : QStringLiteral("csv");
        const QFileInfo info(path);
        if (!info.suffix().isEmpty())
            path.chop(info.suffix().size());
        else
            path += QLatin1Char('.');
        m_ui->fileEdit->setText(path + suffix);
    });
    connect(m_ui->fileEdit, &QLineEdit::textChanged, this, &ExportDialog::updateState);
    connect(m_ui->browseButton, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export keys to"), m_ui->fileEdit->text(),
                                                          tr("CSV (*.csv);;JSON (*.json)"));
        if (!path.isEmpty())
            setPath(path);
    });
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::start);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    updateState();
}

ExportDialog::~ExportDialog()
{
    if (isRunning())
        m_job->cancel();
}

void ExportDialog::setPath(const QString& path)
{
    m_ui->fileEdit->setText(path);
    const auto format = exportFormatForPath(path);
    if (format)
        m_ui->formatCombo->setCurrentIndex(*format == ExportFormat::Json ? 1 : 0);
    m_ui->fileEdit->setText(path);
}

bool ExportDialog::isRunning() const
{
    return m_job && !m_job->isFinished();
}

void ExportDialog::updateState()
{
    const bool running = isRunning();
    const bool pathOk = exportFormatForPath(m_ui->fileEdit->text().trimmed()).has_value();
    m_exportButton->setEnabled(!running && pathOk && m_exported < 0);
    m_ui->scopeGroup->setEnabled(!running && m_exported < 0);
    if (!pathOk && !running)
        m_ui->statusLabel->setText(tr("The file name must end in .csv or .json."));
    else if (!running && m_exported < 0)
        m_ui->statusLabel->clear();
}

void ExportDialog::start()
{
    if (isRunning())
        return;
    ExportRequest r;
    r.path = m_ui->fileEdit->text().trimmed();
    r.format = exportFormatForPath(r.path).value_or(ExportFormat::Csv);
    if (m_ui->selectionRadio->isChecked())
        r.ids = m_selection;
    else
        r.filter = m_filter;
    AppSettings().setLastExportFolder(QFileInfo(r.path).absolutePath());
    m_job.reset(m_backend->exportKeys(r));
    m_ui->progressBar->setVisible(true);
    m_progress->watch(m_job.get());
    connect(m_job.get(), &BackendJob::finished, this, &ExportDialog::finished);
    updateState();
}

void ExportDialog::finished()
{
    const Status s = m_job->status();
    if (s) {
        m_exported = m_job->count();
        m_ui->statusLabel->setText(tr("Exported %1 keys to %2.")
                                       .arg(QLocale().toString(m_exported),
                                            QDir::toNativeSeparators(m_ui->fileEdit->text().trimmed())));
        m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setText(tr("Close"));
    } else {
        m_ui->statusLabel->setText(s.errorKind() == ErrorKind::Cancelled
                                       ? tr("Stopped. No file was written.")
                                       : tr("Not exported: %1").arg(s.errorMessage()));
        m_ui->progressBar->setVisible(false);
    }
    updateState();
}

void ExportDialog::reject()
{
    if (isRunning()) {
        m_job->cancel();
        return;
    }
    if (m_exported >= 0)
        accept();
    else
        QDialog::reject();
}

} // namespace keyward
