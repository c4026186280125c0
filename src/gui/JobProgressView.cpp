#include "JobProgressView.h"

#include "BackendJob.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>

namespace keyward {

JobProgressView::JobProgressView(QProgressBar* bar, QLabel* label, QObject* parent)
    : QObject(parent), m_bar(bar), m_label(label)
{
    m_bar->setRange(0, 1000);
    m_bar->setValue(0);
    m_bar->setTextVisible(true);
}

void JobProgressView::watch(BackendJob* job)
{
    if (m_job)
        disconnect(m_job, nullptr, this, nullptr);
    m_job = job;
    show(0, 0);
    connect(job, &BackendJob::progress, this, &JobProgressView::show);
}

QString JobProgressView::progressText(qint64 done, qint64 total)
{
    const QLocale locale;
    if (total <= 0)
        return done > 0 ? tr("%1 done").arg(locale.toString(done)) : tr("Starting…");
    const int percent = int(done * 100 / total);
    return tr("%1% · %2 of %3").arg(percent).arg(locale.toString(done), locale.toString(total));
}

void JobProgressView::show(qint64 done, qint64 total)
{
    if (total > 0) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(done * 1000 / total));
    } else {
        m_bar->setRange(0, 0); // busy indicator until the total is known
    }
    m_bar->setFormat(progressText(done, total));
    if (m_label)
        m_label->setText(progressText(done, total));
}

} // namespace keyward
