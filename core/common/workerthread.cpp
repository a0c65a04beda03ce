#include "workerthread.h"

namespace Vigil {

WorkerThread::WorkerThread(const QString &name)
    : m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(name);
    auto root = std::make_unique<QObject>();
    root->setObjectName(name);
    root->moveToThread(m_thread.get());
    // QThread deletes deferred-deleted objects on the thread right after finished().
    QObject::connect(m_thread.get(), &QThread::finished, root.get(), &QObject::deleteLater);
    m_root = root.release(); // owned by the thread from here on, see above
    m_thread->start();
}

WorkerThread::~WorkerThread()
{
    stop();
}

bool WorkerThread::isRunning() const
{
    return m_thread->isRunning();
}

void WorkerThread::stop()
{
    Q_ASSERT_X(QThread::currentThread() != m_thread.get(), "WorkerThread::stop",
               "a worker thread cannot wait for itself");
    if (m_thread->isFinished())
        return;
    m_thread->quit();
    m_thread->wait();
    m_root = nullptr;
}

} // namespace Vigil
