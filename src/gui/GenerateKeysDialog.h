#pragma once

#include "Backend.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QPointer>

#include <memory>

namespace Ui {
class GenerateKeysDialog;
}

namespace keyward {

class BackendJob;
class JobProgressView;

// Generates keys for a product off the GUI thread, with progress and cancel (a cancelled run
// stores nothing); afterwards the new keys can be saved as CSV/JSON or copied.
class GenerateKeysDialog : public QDialog
{
    Q_OBJECT

public:
    GenerateKeysDialog(Backend* backend, const std::vector<Product>& products, qint64 productId,
                       QWidget* parent = nullptr);
    ~GenerateKeysDialog() override;

    GenerationRequest request() const;
    // The keys of the last successful run (empty when there were more than Backend::kRetainedKeys).
    QStringList generatedKeys() const;
    bool isRunning() const;
    // Writes the generated keys to a file (format by suffix), in the background.
    void saveKeys(const QString& path);

    void reject() override;

Q_SIGNALS:
    void generated(qint64 productId, qint64 count);

private:
    void start();
    void finished();
    void updateFormatInfo();
    void updateState();
    void chooseSaveFile(const QString& suffix);
    const Product* currentProduct() const;

    std::unique_ptr<Ui::GenerateKeysDialog> m_ui;
    Backend* m_backend;
    std::vector<Product> m_products;
    JobProgressView* m_progress;
    std::unique_ptr<BackendJob> m_job;
    std::unique_ptr<BackendJob> m_saveJob;
    QElapsedTimer m_clock;
    QStringList m_keys;
};

} // namespace keyward
