#pragma once

#include "Backend.h"

#include <QDialog>

#include <memory>
#include <optional>

namespace Ui {
class ProductEditor;
}

namespace keyward {

// Creates or edits a product: name, plan and limits, the key format with a live sample, its
// strength and a field to test keys against it, and the defaults for new keys. Saving goes
// through the backend; the dialog stays open with the reason when the store refuses.
class ProductEditor : public QDialog
{
    Q_OBJECT

public:
    ProductEditor(Backend* backend, std::optional<Product> product, QWidget* parent = nullptr);
    ~ProductEditor() override;

    // The product as the form describes it now.
    Product product() const;
    // The stored product after a successful save.
    const Product& saved() const { return m_saved; }

    void accept() override;

private:
    void updateFormat();
    void updateTest();
    void setProblem(const QString& text);

    std::unique_ptr<Ui::ProductEditor> m_ui;
    Backend* m_backend;
    Product m_original;
    Product m_saved;
    bool m_editing = false;
};

} // namespace keyward
