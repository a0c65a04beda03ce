// WorkerThread: objects are made, used and deleted on the worker; the owner's destructor stops it.

#include "common/workerthread.h"

#include <QTest>
#include <QTimer>

#include <atomic>

using namespace Vigil;
using namespace Qt::StringLiterals;

namespace {

/// Records the threads it was built and destroyed on.
class Probe : public QObject {
public:
    Probe(std::atomic<QThread *> *destroyedOn, int initial)
        : m_destroyedOn(destroyedOn), value(initial), createdOn(QThread::currentThread())
    {
    }
    ~Probe() override { *m_destroyedOn = QThread::currentThread(); }

    std::atomic<QThread *> *m_destroyedOn;
    int value;
    QThread *createdOn;
};

} // namespace

class TestWorkerThread : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void objectsLiveAndDieOnTheWorker()
    {
        std::atomic<QThread *> destroyedOn = nullptr;
        QThread *worker = nullptr;
        {
            WorkerThread thread(u"probe"_s);
            worker = thread.thread();
            QCOMPARE(worker->objectName(), u"probe"_s);
            QVERIFY(thread.isRunning());
            Probe *probe = thread.create<Probe>(&destroyedOn, 42);
            QCOMPARE(probe->createdOn, worker);
            QCOMPARE(probe->thread(), worker);
            QCOMPARE(thread.run([probe] { return probe->value; }), 42);
            QCOMPARE(destroyedOn.load(), nullptr);
        }
        QCOMPARE(destroyedOn.load(), worker);
    }

    void postRunsLaterOnTheWorker()
    {
        WorkerThread thread(u"post"_s);
        std::atomic<QThread *> ranOn = nullptr;
        QVERIFY(thread.post([&] { ranOn = QThread::currentThread(); }));
        QTRY_COMPARE(ranOn.load(), thread.thread());
    }

    void runFromTheWorkerItselfDoesNotDeadlock()
    {
        WorkerThread thread(u"nested"_s);
        const int result = thread.run([&] { return thread.run([] { return 7; }) * 6; });
        QCOMPARE(result, 42);
    }

    void timersWorkOnTheWorker()
    {
        WorkerThread thread(u"timer"_s);
        std::atomic<int> ticks = 0;
        auto *timer = thread.create<QTimer>();
        thread.run([&] {
            QObject::connect(timer, &QTimer::timeout, timer, [&] { ++ticks; });
            timer->start(1);
        });
        QTRY_VERIFY(ticks.load() >= 3);
    }

    void stopIsFinal()
    {
        WorkerThread thread(u"stop"_s);
        thread.stop();
        QVERIFY(!thread.isRunning());
        QVERIFY(!thread.post([] {}));
        thread.stop(); // twice is fine
    }
};

QTEST_GUILESS_MAIN(TestWorkerThread)
#include "tst_workerthread.moc"
