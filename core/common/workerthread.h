#pragma once

#include <QMetaObject>
#include <QObject>
#include <QString>
#include <QThread>

#include <memory>
#include <type_traits>
#include <utility>

namespace Vigil {

/// A QThread with its own event loop, owned like a unique_ptr (after qBittorrent): it starts in
/// the constructor, and the destructor quits the loop and waits for the thread. Objects made
/// with create() are constructed on the thread and deleted there when it stops, so sockets and
/// timers are created, used and destroyed on one thread only.
///
/// Used for the signalling thread (SIP transport, transactions, registrar) and media workers.
/// The owner calls everything here from the thread that created it; objects on the worker are
/// reached only through post()/run() or queued signals.
class WorkerThread {
public:
    /// `name` shows in debuggers and `top -H` (QThread sets it as the OS thread name).
    explicit WorkerThread(const QString &name);
    /// Same as stop().
    ~WorkerThread();

    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    QThread *thread() const noexcept { return m_thread.get(); }
    bool isRunning() const;

    /// Constructs `T(args...)` on the worker thread and returns it once built. The object is a
    /// child of the thread's root object: it is deleted on the thread when the thread stops
    /// (or earlier, with deleteLater()). The pointer is for connecting signals and for post()
    /// and run(); touch the object itself only on the worker thread.
    template <typename T, typename... Args>
    T *create(Args &&...args)
    {
        static_assert(std::is_base_of_v<QObject, T>, "WorkerThread::create() makes QObjects");
        return run([&]() -> T * {
            auto object = std::make_unique<T>(std::forward<Args>(args)...);
            object->setParent(m_root);
            return object.release(); // owned by m_root now
        });
    }

    /// Queues `function` to run on the worker thread and returns at once. False when the
    /// thread is not running (the function is dropped).
    template <typename F>
    bool post(F &&function)
    {
        if (!isRunning())
            return false;
        return QMetaObject::invokeMethod(m_root, std::forward<F>(function), Qt::QueuedConnection);
    }

    /// Runs `function` on the worker thread and returns its result, waiting for it; called on
    /// the worker thread itself it simply runs. Never call it from a thread the worker is
    /// itself waiting for (that deadlocks).
    template <typename F>
    std::invoke_result_t<F> run(F &&function)
    {
        using R = std::invoke_result_t<F>;
        Q_ASSERT(isRunning());
        const Qt::ConnectionType type =
            QThread::currentThread() == m_thread.get() ? Qt::DirectConnection : Qt::BlockingQueuedConnection;
        if constexpr (std::is_void_v<R>) {
            QMetaObject::invokeMethod(m_root, std::forward<F>(function), type);
        } else {
            R result{};
            QMetaObject::invokeMethod(m_root, std::forward<F>(function), type, &result);
            return result;
        }
    }

    /// Stops the event loop, deletes the objects made with create() on the thread, and waits
    /// for it to end. Does nothing the second time. Must not be called on the worker thread.
    void stop();

private:
    std::unique_ptr<QThread> m_thread;
    QObject *m_root = nullptr; ///< lives on the worker; parent of created objects; deleted there
};

} // namespace Vigil
