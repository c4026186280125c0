#include "KeyDetailEditor.h"

#include "AuditText.h"
#include "ErrorText.h"
#include "KeyTableModel.h"
#include "RevokeDialog.h"
#include "TokenTopUpDialog.h"
#include "UtcTime.h"
#include "Validation.h"
#include "ui_KeyDetailEditor.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLocale>
#include <QMessageBox>

namespace keyward {
namespace {

enum StatusIndex
{
    ActiveIndex,
    SuspendedIndex,
    ExpiredIndex,
    RevokedIndex
};

int statusIndex(KeyStatus status)
{
    switch (status) {
    case KeyStatus::Active:
        return ActiveIndex;
    case KeyStatus::Suspended:
        return SuspendedIndex;
    case KeyStatus::Expired:
        return ExpiredIndex;
    case KeyStatus::Revoked:
        return RevokedIndex;
    }
    return ActiveIndex;
}

KeyStatus statusAt(int index)
{
    switch (index) {
    case SuspendedIndex:
        return KeyStatus::Suspended;
    case ExpiredIndex:
        return KeyStatus::Expired;
    case RevokedIndex:
        return KeyStatus::Revoked;
    default:
        return KeyStatus::Active;
    }
}

// In UTC like the expiry and the key table, so that every time on the panel reads the same way.
QString when(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")) : QString();
}

} // namespace

KeyDetailEditor::KeyDetailEditor(QWidget* parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::KeyDetailEditor>())
{
    m_ui->setupUi(this);
#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
    m_ui->expiresEdit->setTimeZone(QTimeZone::UTC);
#else
    m_ui->expiresEdit->setTimeSpec(Qt::UTC);
#endif
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(mono.pointSizeF() * 1.08);
    mono.setBold(true);
    m_ui->keyLabel->setFont(mono);
    m_ui->copyKeyButton->setIcon(QIcon(QStringLiteral(":/icons/copy.svg")));
    m_ui->revokeButton->setIcon(QIcon(QStringLiteral(":/icons/revoke.svg")));
    m_ui->saveButton->setIcon(QIcon(QStringLiteral(":/icons/save.svg")));
    m_ui->problemLabel->setStyleSheet(QStringLiteral("color: #d64545;"));
    m_ui->historyList->setSpacing(3);

    auto dirtyOnChange = [this] { markDirty(); };
    connect(m_ui->statusCombo, &QComboBox::currentIndexChanged, this, dirtyOnChange);
    connect(m_ui->customerNameEdit, &QLineEdit::textEdited, this, dirtyOnChange);
    connect(m_ui->customerEmailEdit, &QLineEdit::textEdited, this, dirtyOnChange);
    connect(m_ui->notesEdit, &QPlainTextEdit::textChanged, this, dirtyOnChange);
    connect(m_ui->expiresEdit, &QDateTimeEdit::dateTimeChanged, this, dirtyOnChange);
    connect(m_ui->neverExpiresCheck, &QCheckBox::toggled, this, [this](bool never) {
        m_ui->expiresEdit->setEnabled(!never);
        markDirty();
    });
    connect(m_ui->maxDomainsSpin, &QSpinBox::valueChanged, this, dirtyOnChange);
    connect(m_ui->maxUuidsSpin, &QSpinBox::valueChanged, this, dirtyOnChange);
    connect(m_ui->addDomainButton, &QPushButton::clicked, this, [this] { addActivation(true); });
    connect(m_ui->domainEdit, &QLineEdit::returnPressed, this, [this] { addActivation(true); });
    connect(m_ui->removeDomainButton, &QPushButton::clicked, this, [this] { removeActivations(true); });
    connect(m_ui->addUuidButton, &QPushButton::clicked, this, [this] { addActivation(false); });
    connect(m_ui->uuidEdit, &QLineEdit::returnPressed, this, [this] { addActivation(false); });
    connect(m_ui->removeUuidButton, &QPushButton::clicked, this, [this] { removeActivations(false); });
    connect(m_ui->domainsList, &QListWidget::itemSelectionChanged, this, &KeyDetailEditor::updateState);
    connect(m_ui->uuidsList, &QListWidget::itemSelectionChanged, this, &KeyDetailEditor::updateState);
    connect(m_ui->domainEdit, &QLineEdit::textChanged, this, &KeyDetailEditor::updateState);
    connect(m_ui->uuidEdit, &QLineEdit::textChanged, this, &KeyDetailEditor::updateState);
    connect(m_ui->saveButton, &QPushButton::clicked, this, &KeyDetailEditor::save);
    connect(m_ui->revertButton, &QPushButton::clicked, this, &KeyDetailEditor::revert);
    connect(m_ui->revokeButton, &QPushButton::clicked, this, &KeyDetailEditor::revoke);
    connect(m_ui->topUpButton, &QPushButton::clicked, this, &KeyDetailEditor::topUp);
    connect(m_ui->copyKeyButton, &QToolButton::clicked, this, [this] {
        if (m_details)
            QGuiApplication::clipboard()->setText(m_details->key.key);
    });
    clear();
}

KeyDetailEditor::~KeyDetailEditor() = default;

void KeyDetailEditor::setBackend(Backend* backend)
{
    m_backend = backend;
    clear();
}

void KeyDetailEditor::clear()
{
    m_details.reset();
    m_requestedId = 0;
    m_pendingId = 0;
    m_populating = true;
    m_ui->keyLabel->setText(tr("No key selected"));
    m_ui->statusBadge->clear();
    m_ui->productValue->clear();
    m_ui->customerNameEdit->clear();
    m_ui->customerEmailEdit->clear();
    m_ui->notesEdit->clear();
    m_ui->tokensValue->clear();
    m_ui->createdValue->clear();
    m_ui->updatedValue->clear();
    m_ui->revokedValue->clear();
    m_ui->domainsList->clear();
    m_ui->uuidsList->clear();
    m_ui->historyList->clear();
    m_populating = false;
    setDirty(false);
    showProblem({});
    updateState();
}

void KeyDetailEditor::showKey(qint64 id)
{
    if (id == keyId() && !m_dirty && m_requestedId == 0)
        return;
    if (m_busy) {
        m_pendingId = id; // after the save that is running
        return;
    }
    load(id);
}

void KeyDetailEditor::load(qint64 id)
{
    if (!m_backend || id <= 0) {
        clear();
        return;
    }
    m_requestedId = id;
    m_ui->keyLabel->setText(tr("Loading…"));
    updateState();
    m_backend->keyDetails(id, this, [this, id](const Result<KeyDetails>& details) {
        if (id != m_requestedId)
            return; // another key was chosen meanwhile
        m_requestedId = 0;
        if (!details) {
            clear();
            showProblem(details.errorMessage());
            return;
        }
        populate(*details);
    });
}

void KeyDetailEditor::populate(const KeyDetails& details)
{
    m_details = details;
    m_addDomains.clear();
    m_removeDomains.clear();
    m_addUuids.clear();
    m_removeUuids.clear();
    const LicenseKey& key = details.key;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_populating = true;
    m_ui->keyLabel->setText(key.key);
    m_ui->statusBadge->setText(KeyTableModel::statusText(key, now));
    m_ui->statusBadge->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;")
                                         .arg(KeyTableModel::statusColor(key.effectiveStatus(now)).name()));
    m_ui->productValue->setText(details.product.name);
    m_ui->statusCombo->setCurrentIndex(statusIndex(key.status));
    m_ui->customerNameEdit->setText(key.customerName);
    m_ui->customerEmailEdit->setText(key.customerEmail);
    m_ui->notesEdit->setPlainText(key.notes);
    m_ui->neverExpiresCheck->setChecked(!key.expiresAt.isValid());
    m_ui->expiresEdit->setEnabled(key.expiresAt.isValid());
    m_ui->expiresEdit->setDateTime(
        key.expiresAt.isValid() ? key.expiresAt.toUTC() : utcDateTime(now.date().addYears(1), QTime(0, 0)));
    m_ui->maxDomainsSpin->setValue(key.maxDomains.value_or(0));
    m_ui->maxUuidsSpin->setValue(key.maxUuids.value_or(0));
    m_ui->tokensValue->setText(key.tokenBalance ? QLocale().toString(*key.tokenBalance)
                                                : tr("not a token key"));
    m_ui->createdValue->setText(when(key.createdAt));
    m_ui->updatedValue->setText(when(key.updatedAt));
    m_ui->revokedValue->setText(
        key.revokedAt.isValid() ? tr("%1, %2").arg(when(key.revokedAt), KeyTableModel::statusText(key, now))
                                : tr("no"));
    populateActivations();
    populateHistory();
    m_populating = false;
    setDirty(false);
    // A key that no longer fits its product's format (imported, or the format changed since).
    QString note;
    if (auto format = details.product.format()) {
        const KeyCheck check = format->check(key.key);
        if (!check.valid())
            note = tr("Note: this key does not match the product's format (%1): %2")
                       .arg(check.codeString(), check.message);
    }
    showProblem(note);
    updateState();
}

QStringList KeyDetailEditor::bound(bool domain) const
{
    QStringList out;
    if (!m_details)
        return out;
    for (const Activation& a : m_details->activations) {
        if ((a.kind == ActivationKind::Domain) == domain &&
            !(domain ? m_removeDomains : m_removeUuids).contains(a.value))
            out << a.value;
    }
    out << (domain ? m_addDomains : m_addUuids);
    return out;
}

void KeyDetailEditor::populateActivations()
{
    for (bool domain : {true, false}) {
        QListWidget* list = domain ? m_ui->domainsList : m_ui->uuidsList;
        list->clear();
        if (!m_details)
            continue;
        for (const Activation& a : m_details->activations) {
            if ((a.kind == ActivationKind::Domain) != domain ||
                (domain ? m_removeDomains : m_removeUuids).contains(a.value))
                continue;
            auto* item = new QListWidgetItem(a.value, list);
            item->setToolTip(tr("First seen %1, last seen %2 from %3")
                                 .arg(when(a.firstSeenAt), when(a.lastSeenAt),
                                      a.lastIp.isEmpty() ? tr("this app") : a.lastIp));
        }
        for (const QString& value : domain ? m_addDomains : m_addUuids) {
            auto* item = new QListWidgetItem(tr("%1 (new)").arg(value), list);
            item->setData(Qt::UserRole, value);
            QFont f = item->font();
            f.setItalic(true);
            item->setFont(f);
        }
    }
}

void KeyDetailEditor::populateHistory()
{
    m_ui->historyList->clear();
    if (!m_details)
        return;
    for (const AuditEntry& e : m_details->history) {
        // What happened, then when and who on a second line.
        auto* item = new QListWidgetItem(
            QStringLiteral("%1\n%2 · %3").arg(AuditText::describe(e), when(e.at), e.actor),
            m_ui->historyList);
        item->setToolTip(AuditText::describe(e));
    }
}

void KeyDetailEditor::markDirty()
{
    if (m_populating || !m_details)
        return;
    setDirty(true);
    updateState();
}

void KeyDetailEditor::setDirty(bool dirty)
{
    if (dirty == m_dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

void KeyDetailEditor::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
    updateState();
}

void KeyDetailEditor::showProblem(const QString& text)
{
    m_ui->problemLabel->setText(text);
    m_ui->problemLabel->setVisible(!text.isEmpty());
}

QString KeyDetailEditor::inputProblem() const
{
    if (!m_details)
        return {};
    const QString email = m_ui->customerEmailEdit->text().trimmed();
    if (!validation::isValidEmail(email))
        return tr("\"%1\" is not a valid email address.").arg(email);
    const int domains = int(bound(true).size());
    const int uuids = int(bound(false).size());
    if (m_ui->maxDomainsSpin->value() > 0 && domains > m_ui->maxDomainsSpin->value())
        return tr("%n domain(s) are bound; remove some or raise the maximum.", nullptr, domains);
    if (m_ui->maxUuidsSpin->value() > 0 && uuids > m_ui->maxUuidsSpin->value())
        return tr("%n device(s) are bound; remove some or raise the maximum.", nullptr, uuids);
    if (statusAt(m_ui->statusCombo->currentIndex()) == KeyStatus::Revoked &&
        m_details->key.status != KeyStatus::Revoked)
        return tr("Use Revoke to revoke a key: it asks for the reason.");
    return {};
}

void KeyDetailEditor::updateState()
{
    const bool loaded = m_details.has_value();
    m_ui->emptyLabel->setVisible(!loaded && m_requestedId == 0);
    m_ui->contentWidget->setVisible(loaded || m_requestedId != 0);
    const bool editable =
        loaded && !m_busy && m_backend && !m_backend->isReadOnly() && !m_details->key.inTrash();
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_ui->statusCombo, m_ui->customerNameEdit, m_ui->customerEmailEdit,
                                         m_ui->notesEdit, m_ui->neverExpiresCheck, m_ui->maxDomainsSpin,
                                         m_ui->maxUuidsSpin, m_ui->domainEdit, m_ui->uuidEdit})
        w->setEnabled(editable);
    m_ui->expiresEdit->setEnabled(editable && !m_ui->neverExpiresCheck->isChecked());
    m_ui->copyKeyButton->setEnabled(loaded);
    const QString problem = inputProblem();
    if (loaded && m_dirty)
        showProblem(problem);
    m_ui->saveButton->setEnabled(editable && m_dirty && problem.isEmpty());
    m_ui->revertButton->setEnabled(loaded && m_dirty && !m_busy);
    m_ui->revokeButton->setEnabled(editable && m_details->key.status != KeyStatus::Revoked);
    m_ui->topUpButton->setEnabled(editable && m_details->key.tokenBalance.has_value());

    for (bool domain : {true, false}) {
        const int count = int(bound(domain).size());
        const int max = (domain ? m_ui->maxDomainsSpin : m_ui->maxUuidsSpin)->value();
        const bool full = max > 0 && count >= max;
        QLineEdit* edit = domain ? m_ui->domainEdit : m_ui->uuidEdit;
        (domain ? m_ui->addDomainButton : m_ui->addUuidButton)
            ->setEnabled(editable && !full && !edit->text().trimmed().isEmpty());
        QListWidget* list = domain ? m_ui->domainsList : m_ui->uuidsList;
        (domain ? m_ui->removeDomainButton : m_ui->removeUuidButton)
            ->setEnabled(editable && !list->selectedItems().isEmpty());
        QLabel* label = domain ? m_ui->domainsCount : m_ui->uuidsCount;
        if (!loaded)
            label->clear();
        else if (max > 0)
            label->setText(domain ? tr("%1 of %2 domains used").arg(count).arg(max)
                                  : tr("%1 of %2 devices used").arg(count).arg(max));
        else
            label->setText(domain ? tr("%n domain(s), no limit", nullptr, count)
                                  : tr("%n device(s), no limit", nullptr, count));
    }
}

void KeyDetailEditor::addActivation(bool domain)
{
    if (!m_details)
        return;
    QLineEdit* edit = domain ? m_ui->domainEdit : m_ui->uuidEdit;
    const QString raw = edit->text().trimmed();
    if (raw.isEmpty())
        return;
    const bool valid = domain ? validation::isValidDomain(raw) : validation::isValidUuid(raw);
    if (!valid) {
        showProblem(domain ? tr("\"%1\" is not a domain name.").arg(raw)
                           : tr("\"%1\" is not a device UUID.").arg(raw));
        return;
    }
    const QString value = domain ? validation::normalizeDomain(raw) : validation::normalizeUuid(raw);
    const int max = (domain ? m_ui->maxDomainsSpin : m_ui->maxUuidsSpin)->value();
    if (bound(domain).contains(value)) {
        showProblem(tr("%1 is already bound to this key.").arg(value));
        return;
    }
    if (max > 0 && bound(domain).size() >= max) {
        showProblem(tr("The key allows at most %1; remove one first or raise the maximum.").arg(max));
        return;
    }
    QStringList& removed = domain ? m_removeDomains : m_removeUuids;
    if (removed.contains(value))
        removed.removeAll(value);
    else
        (domain ? m_addDomains : m_addUuids) << value;
    edit->clear();
    populateActivations();
    markDirty();
}

void KeyDetailEditor::removeActivations(bool domain)
{
    QListWidget* list = domain ? m_ui->domainsList : m_ui->uuidsList;
    for (QListWidgetItem* item : list->selectedItems()) {
        const QString added = item->data(Qt::UserRole).toString();
        if (!added.isEmpty())
            (domain ? m_addDomains : m_addUuids).removeAll(added);
        else
            (domain ? m_removeDomains : m_removeUuids) << item->text();
    }
    populateActivations();
    markDirty();
}

KeyEdit KeyDetailEditor::currentEdit() const
{
    KeyEdit edit;
    edit.key = m_details->key;
    edit.key.status = statusAt(m_ui->statusCombo->currentIndex());
    edit.key.customerName = m_ui->customerNameEdit->text().trimmed();
    edit.key.customerEmail = m_ui->customerEmailEdit->text().trimmed();
    edit.key.notes = m_ui->notesEdit->toPlainText();
    edit.key.expiresAt =
        m_ui->neverExpiresCheck->isChecked() ? QDateTime() : m_ui->expiresEdit->dateTime().toUTC();
    const int domains = m_ui->maxDomainsSpin->value();
    const int uuids = m_ui->maxUuidsSpin->value();
    edit.key.maxDomains = domains > 0 ? std::optional<int>(domains) : std::nullopt;
    edit.key.maxUuids = uuids > 0 ? std::optional<int>(uuids) : std::nullopt;
    edit.addDomains = m_addDomains;
    edit.removeDomains = m_removeDomains;
    edit.addUuids = m_addUuids;
    edit.removeUuids = m_removeUuids;
    return edit;
}

void KeyDetailEditor::afterWrite(const Result<KeyDetails>& result, const QString& doing)
{
    setBusy(false);
    if (!result) {
        showProblem(tr("%1 failed: %2").arg(doing, result.errorMessage()));
        if (m_pendingId) {
            ErrorText::show(this, doing, result.error());
            const qint64 next = std::exchange(m_pendingId, 0);
            load(next);
        }
        return;
    }
    populate(*result);
    Q_EMIT keySaved(result->key.id);
    if (m_pendingId)
        load(std::exchange(m_pendingId, 0));
}

void KeyDetailEditor::save()
{
    if (!m_details || !m_dirty || m_busy || !m_backend)
        return;
    if (const QString problem = inputProblem(); !problem.isEmpty()) {
        showProblem(problem);
        return;
    }
    setBusy(true);
    m_backend->saveKey(currentEdit(), this,
                       [this](const Result<KeyDetails>& r) { afterWrite(r, tr("Saving the key")); });
}

void KeyDetailEditor::revert()
{
    if (m_details)
        populate(*m_details);
}

bool KeyDetailEditor::confirmLeave()
{
    if (!m_dirty || !m_details)
        return true;
    QMessageBox box(QMessageBox::Question, tr("Unsaved changes"),
                    tr("Save the changes to %1?").arg(m_details->key.key),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedChanges"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        if (const QString problem = inputProblem(); !problem.isEmpty()) {
            showProblem(problem);
            return false;
        }
        save();
        return true;
    case QMessageBox::Discard:
        setDirty(false);
        return true;
    default:
        return false;
    }
}

void KeyDetailEditor::revoke()
{
    if (!m_details || m_busy || !m_backend)
        return;
    if (m_dirty && !confirmLeave())
        return;
    RevokeDialog dialog(*m_details, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    setBusy(true);
    m_backend->revokeKey(m_details->key.id, dialog.reason(), dialog.note(), this,
                         [this](const Result<KeyDetails>& r) { afterWrite(r, tr("Revoking the key")); });
}

void KeyDetailEditor::topUp()
{
    if (!m_details || !m_details->key.tokenBalance || m_busy || !m_backend)
        return;
    if (m_dirty && !confirmLeave())
        return;
    TokenTopUpDialog dialog(*m_details->key.tokenBalance, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    setBusy(true);
    m_backend->adjustTokens(m_details->key.id, dialog.amount(), dialog.note(), this,
                            [this](const Result<KeyDetails>& r) { afterWrite(r, tr("Topping up tokens")); });
}

} // namespace keyward
