#pragma once

#include "Backend.h"

#include <QWizard>

#include <memory>
#include <optional>

namespace Ui {
class BulkDeleteChoosePage;
class BulkDeletePreviewPage;
class BulkDeleteBackupPage;
class BulkDeleteConfirmPage;
class BulkDeleteRunPage;
class BulkDeleteSummaryPage;
} // namespace Ui

class QLabel;

namespace keyward {

class BackendJob;
class JobProgressView;
class WizardPage;

// Moves many keys to the trash safely, step by step: which keys (the selection, the current
// filter, a pasted list or a file); a preview of how many and which, warning about active keys in
// use; a backup export, on by default; the count typed to confirm; the delete in one transaction
// with progress; a summary that can restore exactly those keys. The rules are BulkTrash's.
class BulkDeleteWizard : public QWizard
{
    Q_OBJECT

public:
    enum PageId
    {
        ChoosePageId,
        PreviewPageId,
        BackupPageId,
        ConfirmPageId,
        RunPageId,
        SummaryPageId
    };
    static constexpr int kPreviewRows = 20;

    // filterCount: how many keys the filter shows (-1: not known yet); selection: the selected ids.
    BulkDeleteWizard(Backend* backend, const std::vector<Product>& products, const KeyFilter& filter,
                     qint64 filterCount, std::vector<qint64> selection, QWidget* parent = nullptr);
    ~BulkDeleteWizard() override;

    BulkTrashTarget target() const;
    const std::optional<BulkTrashPreview>& preview() const { return m_preview; }
    const std::optional<BulkTrashResult>& result() const { return m_result; }
    QString backupPath() const; // empty when no backup is wanted
    bool isRunning() const;

    int nextId() const override;
    void reject() override;

Q_SIGNALS:
    void trashed(qint64 count);
    void restored(qint64 count);

protected:
    void initializePage(int id) override;
    void cleanupPage(int id) override;

private:
    template<typename Form>
    WizardPage* addFormPage(int id, std::unique_ptr<Form>& form);
    void setupChoosePage(qint64 filterCount);
    void setupPreviewPage();
    void setupBackupPage();
    void setupConfirmPage();
    void setupRunPage();
    void setupSummaryPage();

    QString describeFilter() const;
    void loadPreview();
    void showPreview();
    void updateBackupInfo();
    bool confirmed() const;
    void startDelete();
    void deleteFinished();
    void showSummary();
    void restore();

    std::unique_ptr<Ui::BulkDeleteChoosePage> m_choose;
    std::unique_ptr<Ui::BulkDeletePreviewPage> m_previewForm;
    std::unique_ptr<Ui::BulkDeleteBackupPage> m_backup;
    std::unique_ptr<Ui::BulkDeleteConfirmPage> m_confirm;
    std::unique_ptr<Ui::BulkDeleteRunPage> m_run;
    std::unique_ptr<Ui::BulkDeleteSummaryPage> m_summary;
    WizardPage* m_choosePage = nullptr;
    WizardPage* m_previewPage = nullptr;
    WizardPage* m_backupPage = nullptr;
    WizardPage* m_confirmPage = nullptr;
    WizardPage* m_runPage = nullptr;

    Backend* m_backend;
    std::vector<Product> m_products;
    KeyFilter m_filter;
    std::vector<qint64> m_selection;
    int m_previewSerial = 0;
    std::optional<BulkTrashPreview> m_preview;
    std::unique_ptr<BackendJob> m_job;
    JobProgressView* m_progress = nullptr;
    std::optional<BulkTrashResult> m_result;
    QString m_backupWritten;
    bool m_restoring = false;
    qint64 m_pastedKeys = 0;
};

} // namespace keyward
