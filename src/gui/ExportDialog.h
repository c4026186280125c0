#pragma once

#include "Backend.h"

#include <QDialog>

#include <memory>

namespace Ui {
class ExportDialog;
}

namespace keyward {

class BackendJob;
class JobProgressView;

// Exports the keys of the current filter or of the selection to CSV or JSON, with progress and
// cancel. The file appears only when the export is complete.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    ExportDialog(Backend* backend, const KeyFilter& filter, qint64 filterCount, std::vector<qint64> selection,
                 QWidget* parent = nullptr);
    ~ExportDialog() override;

    void setPath(const QString& path);
    void start();
    bool isRunning() const;
    qint64 exported() const { return m_exported; }

    void reject() override;

private:
    void updateState();
    void finished();

    std::unique_ptr<Ui::ExportDialog> m_ui;
    Backend* m_backend;
    KeyFilter m_filter;
    std::vector<qint64> m_selection;
    JobProgressView* m_progress;
    std::unique_ptr<BackendJob> m_job;
    QPushButton* m_exportButton;
    qint64 m_exported = -1;
};

} // namespace keyward
