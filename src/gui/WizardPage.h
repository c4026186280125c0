#pragma once

#include <QAbstractButton>
#include <QWizard>
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

// A job that a page started is running: Back would stop it, but one that commits meanwhile is done,
// so Stop is the way out. Queued: the wizard sets its buttons after initializing a page, and again
// (Back enabled) when the page's state changes, i.e. when the job ends.
inline void disableBackWhileRunning(QWizard* wizard, std::function<bool()> running)
{
    QMetaObject::invokeMethod(
        wizard,
        [wizard, running = std::move(running)] {
            if (running())
                wizard->button(QWizard::BackButton)->setEnabled(false);
        },
        Qt::QueuedConnection);
}

} // namespace keyward
