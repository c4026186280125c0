#pragma once

#include <QWizardPage>

#include <functional>

namespace keyward {

// A wizard page whose form comes from ui/ and whose "can go on" rule the wizard supplies, so that
// one wizard class keeps the state its pages share.
class WizardPage : public QWizardPage
{
    Q_OBJECT

public:
    using QWizardPage::QWizardPage;

    void setCompleteRule(std::function<bool()> rule) { m_rule = std::move(rule); }
    bool isComplete() const override { return m_rule ? m_rule() : QWizardPage::isComplete(); }
    // Tells the wizard to ask isComplete() again (its Next and Finish buttons follow).
    void recheck() { Q_EMIT completeChanged(); }

private:
    std::function<bool()> m_rule;
};

} // namespace keyward
