#include "localization.h"
#include "mainwindow.h"

#include <QLabel>
#include <QMenuBar>
#include <QTest>

using namespace Qt::StringLiterals;

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsWhereDevicesRegister()
    {
        Vigil::Ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), u"Vigil"_s);

        // An installer reads the server ID and port off the window to configure a camera.
        QVERIFY(window.sipAddressText().contains(u"34020000002000000001"_s));
        QVERIFY(window.sipAddressText().endsWith(u":5060"_s));
        auto *details = window.findChild<QLabel *>(u"connectionDetails"_s);
        QVERIFY(details);
        QVERIFY(details->isVisible());
        QVERIFY(details->text().contains(u"3402000000"_s));
        QVERIFY(details->text().contains(u"UDP and TCP"_s));
    }

    void hasMenus()
    {
        Vigil::Ui::MainWindow window;
        QStringList titles;
        const auto actions = window.menuBar()->actions();
        for (const QAction *action : actions)
            titles.append(action->text());
        QCOMPARE(titles, (QStringList{u"&File"_s, u"&View"_s, u"&Help"_s}));
    }

    void speaksChinese()
    {
        // Operators mostly read Chinese: the translation is compiled in and covers the window.
        QVERIFY(Vigil::Ui::Localization::apply(QLocale(QLocale::Chinese, QLocale::China)));
        {
            Vigil::Ui::MainWindow window;
            QCOMPARE(window.menuBar()->actions().constFirst()->text(), u"文件(&F)"_s);
            QVERIFY(window.sipAddressText().startsWith(u"SIP："_s));
            auto *details = window.findChild<QLabel *>(u"connectionDetails"_s);
            QVERIFY(details->text().contains(u"SIP 服务器编号"_s));
        }
        QVERIFY(Vigil::Ui::Localization::apply(QLocale(QLocale::English, QLocale::UnitedStates)) == false);
        Vigil::Ui::MainWindow window;
        QCOMPARE(window.menuBar()->actions().constFirst()->text(), u"&File"_s);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
