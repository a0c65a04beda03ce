// The event dock: follows the log incrementally (also when it is written from another
// thread), stays bounded, filters by kind, severity and text, copies rows as text, and keeps
// still while the operator reads older rows.

#include "events/eventfilterproxy.h"
#include "events/eventlogmodel.h"
#include "events/eventlogwidget.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace Vigil;
using Vigil::Devices::EventKind;
using Vigil::Ui::EventLogModel;
using Vigil::Ui::EventLogWidget;

namespace {

const QString kNvr = u"34020000001180000001"_s;
const QString kIpc = u"34020000001320000009"_s;

void fill(Devices::EventLog &log)
{
    log.add(EventKind::DeviceRegistered, kNvr, {u"192.0.2.10:5060"_s, u"UDP"_s});
    log.add(EventKind::CatalogSynced, kNvr, {u"16"_s});
    log.add(EventKind::AuthFailed, QString(), {u"203.0.113.5:5060"_s, u"wrong password"_s});
    log.add(EventKind::DeviceOffline, kIpc, {u"3 keepalives missed"_s});
    log.add(EventKind::SourceBanned, QString(), {u"203.0.113.5"_s, u"10"_s});
}

} // namespace

class TestEventLogWidget : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { UiTest::isolateSettings(); }

    void followsTheLogFromAnyThread()
    {
        UiTest::TestBackend backend;
        backend.addDevice(UiTest::deviceId("34020000001180000001"), u"Gate NVR"_s);
        fill(backend.eventLog);
        EventLogModel model(backend.eventLog, &backend.registry(), 100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, EventLogModel::DeviceColumn).data().toString(), u"Gate NVR (%1)"_s.arg(kNvr));
        QCOMPARE(model.index(0, EventLogModel::TextColumn).data().toString(),
                 u"Registered from 192.0.2.10:5060 over UDP"_s);
        QCOMPARE(model.index(3, EventLogModel::SeverityColumn).data().toString(), u"Warning"_s);
        QCOMPARE(model.index(4, EventLogModel::KindColumn).data().toString(), u"Address blocked"_s);

        // 300 events written by another thread arrive in a few batches, the newest 100 kept.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QThread *writer = QThread::create([&backend] {
            for (int i = 0; i < 300; ++i)
                backend.eventLog.add(EventKind::Info, kIpc, {u"event %1"_s.arg(i)});
        });
        writer->start();
        writer->wait();
        delete writer;
        QTRY_COMPARE(model.index(model.rowCount() - 1, EventLogModel::TextColumn).data().toString(), u"event 299"_s);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.index(0, EventLogModel::TextColumn).data().toString(), u"event 200"_s);
        QVERIFY(inserted.size() < 10);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        backend.eventLog.add(EventKind::DeviceRemoved, kIpc);
        QTRY_COMPARE(model.rowCount(), 1);
    }

    void filtersAndCopies()
    {
        UiTest::TestBackend backend;
        fill(backend.eventLog);
        EventLogWidget widget(backend.eventLog, &backend.registry());
        widget.resize(900, 300);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QAbstractItemModelTester tester(widget.proxy(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(widget.proxy()->rowCount(), 5);

        widget.severityFilter()->setCurrentIndex(1); // warnings and errors
        QCOMPARE(widget.proxy()->rowCount(), 3);
        widget.severityFilter()->setCurrentIndex(2); // errors only
        QCOMPARE(widget.proxy()->rowCount(), 1);
        widget.severityFilter()->setCurrentIndex(0);

        widget.kindFilter()->setCurrentIndex(widget.kindFilter()->findData(int(EventKind::DeviceOffline)));
        QCOMPARE(widget.proxy()->rowCount(), 1);
        QCOMPARE(widget.proxy()->index(0, EventLogModel::DeviceColumn).data().toString(), kIpc);
        widget.kindFilter()->setCurrentIndex(0);

        widget.textFilter()->setText(u"203.0.113.5"_s);
        QCOMPARE(widget.proxy()->rowCount(), 2);
        widget.textFilter()->setText(u"CATALOG"_s);
        QCOMPARE(widget.proxy()->rowCount(), 1);
        widget.textFilter()->clear();

        // Select two rows and press Ctrl+C.
        QItemSelectionModel *selection = widget.view()->selectionModel();
        selection->select(widget.proxy()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        selection->select(widget.proxy()->index(3, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        const QStringList lines = widget.selectedText().split(u'\n');
        QCOMPARE(lines.size(), 2);
        const QStringList columns = lines[0].split(u'\t');
        QCOMPARE(columns.size(), 5);
        QCOMPARE(columns[1], u"Information"_s);
        QCOMPARE(columns[3], u"Catalog synchronised"_s);
        QCOMPARE(columns[4], u"Catalog synchronised: 16 channels"_s);
        QVERIFY(lines[1].endsWith(u"Offline: 3 keepalives missed"_s));
        QApplication::clipboard()->clear();
        widget.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&widget));
        widget.view()->setFocus();
        QTest::keySequence(widget.view(), QKeySequence::Copy);
        QCOMPARE(QApplication::clipboard()->text(), widget.selectedText());
    }

    void keepsStillWhileTheOperatorReads()
    {
        UiTest::TestBackend backend;
        for (int i = 0; i < 200; ++i)
            backend.eventLog.add(EventKind::Info, kIpc, {u"old %1"_s.arg(i)});
        EventLogWidget widget(backend.eventLog, &backend.registry());
        widget.resize(700, 200);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QScrollBar *bar = widget.view()->verticalScrollBar();
        QTRY_COMPARE(bar->value(), bar->maximum());

        // At the bottom: new events scroll into view.
        backend.eventLog.add(EventKind::Info, kIpc, {u"new 1"_s});
        QTRY_COMPARE(widget.model()->rowCount(), 201);
        QTRY_COMPARE(bar->value(), bar->maximum());

        // Scrolled up: the view stays where the operator is.
        bar->setValue(10);
        backend.eventLog.add(EventKind::Info, kIpc, {u"new 2"_s});
        QTRY_COMPARE(widget.model()->rowCount(), 202);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(bar->value(), 10);
    }
};

QTEST_MAIN(TestEventLogWidget)
#include "tst_eventlogwidget.moc"
