#pragma once

#include <QObject>
#include <QPointer>

class QLabel;
class QProgressBar;

namespace keyward {

class BackendJob;

// Shows a running BackendJob in a progress bar and a status label ("42% · 420,000 of 1,000,000").
class JobProgressView : public QObject
{
    Q_OBJECT

public:
    JobProgressView(QProgressBar* bar, QLabel* label, QObject* parent = nullptr);

    void watch(BackendJob* job);
    static QString progressText(qint64 done, qint64 total);

private:
    void show(qint64 done, qint64 total);

    QProgressBar* m_bar;
    QLabel* m_label;
    QPointer<BackendJob> m_job;
};

} // namespace keyward
