#pragma once

#include "Backend.h"

#include <QTemporaryDir>
#include <QWizard>

#include <memory>
#include <optional>

namespace Ui {
class ImportFilePage;
class ImportMappingPage;
class ImportOptionsPage;
class ImportCheckPage;
class ImportRunPage;
class ImportSummaryPage;
} // namespace Ui

class QComboBox;
class QLabel;
class QTableView;
class QTimer;

namespace keyward {

class BackendJob;
class ImportReportModel;
class JobProgressView;
class WizardPage;

// Imports license keys from a file, step by step: the file and the product; the column mapping,
// guessed from the header, with the first rows; the conflict policy and whether to check first;
// the check (a dry run) with its row-level report; the import with progress and stop; a summary.
// The reading, checking and importing run in the backend (KeyImport): a stopped or failed import
// changes nothing, and the GUI never waits for them.
class ImportWizard : public QWizard
{
    Q_OBJECT

public:
    enum PageId
    {
        FilePageId,
        MappingPageId,
        OptionsPageId,
        CheckPageId,
        RunPageId,
        SummaryPageId
    };
    static constexpr int kPreviewRows = 50;

    ImportWizard(Backend* backend, const std::vector<Product>& products, qint64 productId,
                 QWidget* parent = nullptr);
    ~ImportWizard() override;

    void setFilePath(const QString& path);
    bool hasPreview() const { return m_preview.has_value(); }
    bool isRunning() const;
    ImportMapping mapping() const;
    ConflictPolicy policy() const;
    // The last check (dry run) and the import, once they finished.
    const std::optional<ImportSummary>& checkSummary() const { return m_checked; }
    const std::optional<ImportSummary>& importSummary() const { return m_imported; }

    int nextId() const override;
    void reject() override;

Q_SIGNALS:
    // After a successful import (not a dry run): the keys added or updated.
    void imported(qint64 productId, qint64 count);

protected:
    void initializePage(int id) override;
    void cleanupPage(int id) override;

private:
    template<typename Form>
    WizardPage* addFormPage(int id, std::unique_ptr<Form>& form);
    void setupFilePage();
    void setupMappingPage();
    void setupOptionsPage();
    void setupCheckPage();
    void setupRunPage();
    void setupSummaryPage();

    void loadPreview();
    void showFileInfo();
    void showProductInfo();
    void rebuildMapping();
    void mappingChanged();
    void fillPreviewTable();
    qint64 productId() const;
    QString productName() const;

    ImportRequest request(bool dryRun) const;
    void startJob(BackendJob* job);
    void stopJob();
    void startCheck();
    void checkFinished();
    void startImport();
    void importFinished();
    void showSummary();
    bool canImportAfterCheck() const;
    void saveReport(const QString& reportPath, QLabel* status);
    static void setupReportTable(QTableView* table, ImportReportModel* model);

    std::unique_ptr<Ui::ImportFilePage> m_file;
    std::unique_ptr<Ui::ImportMappingPage> m_map;
    std::unique_ptr<Ui::ImportOptionsPage> m_options;
    std::unique_ptr<Ui::ImportCheckPage> m_check;
    std::unique_ptr<Ui::ImportRunPage> m_run;
    std::unique_ptr<Ui::ImportSummaryPage> m_summary;
    WizardPage* m_filePage = nullptr;
    WizardPage* m_mappingPage = nullptr;
    WizardPage* m_checkPage = nullptr;
    WizardPage* m_runPage = nullptr;

    Backend* m_backend;
    std::vector<Product> m_products;
    QTimer* m_previewTimer;
    int m_previewSerial = 0;
    std::optional<ImportPreview> m_preview;
    QStringList m_mappedColumns;           // the columns the combos were built for
    std::vector<QComboBox*> m_fieldCombos; // one per ImportField
    std::unique_ptr<BackendJob> m_job;
    JobProgressView* m_checkProgress = nullptr;
    JobProgressView* m_runProgress = nullptr;
    ImportReportModel* m_checkReport = nullptr;
    ImportReportModel* m_summaryReport = nullptr;
    QTemporaryDir m_reports; // the full reports the jobs write, until saved somewhere
    QString m_checkReportPath;
    QString m_importReportPath;
    std::optional<ImportSummary> m_checked;
    std::optional<ImportSummary> m_imported;
};

} // namespace keyward
