#pragma once

#include "Backend.h"

#include <QWidget>

#include <memory>
#include <optional>

namespace Ui {
class KeyDetailEditor;
}

class QListWidget;

namespace keyward {

// Every field of one key, its domains and devices, token top-up, revoke and its audit trail.
// Changes are kept here until Save, which stores them in one transaction; leaving a key with
// unsaved changes asks first.
class KeyDetailEditor : public QWidget
{
    Q_OBJECT

public:
    explicit KeyDetailEditor(QWidget* parent = nullptr);
    ~KeyDetailEditor() override;

    void setBackend(Backend* backend);
    // Shows a key (loaded in the background), or nothing.
    void showKey(qint64 id);
    void clear();
    qint64 keyId() const { return m_details ? m_details->key.id : 0; }
    const std::optional<KeyDetails>& details() const { return m_details; }

    bool isDirty() const { return m_dirty; }
    // Before leaving a key: asks Save / Discard / Cancel when there are changes. False: stay.
    bool confirmLeave();
    // The problem with the current input, if any (shown under the fields).
    QString inputProblem() const;

public Q_SLOTS:
    void save();
    void revert();
    void revoke();
    void topUp();

Q_SIGNALS:
    void keySaved(qint64 id);
    void dirtyChanged(bool dirty);
    void busyChanged(bool busy);

private:
    void load(qint64 id);
    void populate(const KeyDetails& details);
    void populateActivations();
    void populateHistory();
    void markDirty();
    void setDirty(bool dirty);
    void setBusy(bool busy);
    void updateState();
    void showProblem(const QString& text);
    void addActivation(bool domain);
    void removeActivations(bool domain);
    QStringList bound(bool domain) const;
    KeyEdit currentEdit() const;
    void afterWrite(const Result<KeyDetails>& result, const QString& doing);

    std::unique_ptr<Ui::KeyDetailEditor> m_ui;
    Backend* m_backend = nullptr;
    std::optional<KeyDetails> m_details;
    qint64 m_requestedId = 0;
    qint64 m_pendingId = 0; // shown once the running save is done
    QStringList m_addDomains, m_removeDomains, m_addUuids, m_removeUuids;
    bool m_dirty = false;
    bool m_busy = false;
    bool m_populating = false;
};

} // namespace keyward
