// The live grid and its tiles: layouts and their geometry, selection, maximise and restore,
// where channels open, drops from the device tree and between tiles, persistence, and what a
// tile shows as its stream connects, plays, stalls, fails, goes offline and comes back.

#include "channelmime.h"
#include "uitestsupport.h"
#include "video/gridsurface.h"
#include "video/videogrid.h"
#include "video/videotile.h"

#include <QAction>
#include <QApplication>
#include <QDropEvent>
#include <QMenu>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigil;
using Vigil::Ui::VideoGrid;
using Vigil::Ui::VideoTile;
using UiTest::channel;
using UiTest::deviceId;
using Layout = VideoGrid::Layout;
using namespace std::chrono_literals;

namespace {

const DeviceId kNvr = deviceId("34020000001180000001");

QString cameraId(int i)
{
    return u"340200000013100000%1"_s.arg(i, 2, 10, QChar(u'0'));
}

QList<Devices::Channel> cameras(int count)
{
    QList<Devices::Channel> result;
    for (int i = 1; i <= count; ++i)
        result.append(channel(cameraId(i), u"Camera %1"_s.arg(i), kNvr.toString()));
    return result;
}

/// Delivers a synthesized drop of `data` in the middle of `target`, as QDrag would.
bool drop(QWidget *target, QMimeData *data)
{
    const QPointF center(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(center.toPoint(), Qt::CopyAction | Qt::MoveAction, data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent event(center, Qt::CopyAction | Qt::MoveAction, data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &event);
    return event.isAccepted();
}

struct Fixture {
    UiTest::TestBackend backend;
    std::unique_ptr<VideoGrid> grid;

    explicit Fixture(int cameraCount = 30)
    {
        backend.addDevice(kNvr, u"Gate NVR"_s, cameras(cameraCount));
        grid = std::make_unique<VideoGrid>(backend);
        grid->resize(802, 602);
    }
    void publish(const QString &channelId, QColor color = Qt::green)
    {
        auto *opened = backend.openStreamFor(channelId);
        QVERIFY(opened);
        opened->frames->publish(UiTest::colorBars(320, 180, {color}));
    }
};

} // namespace

class TestVideoGrid : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { UiTest::isolateSettings(); }

    void layoutsPlaceTheirTiles_data()
    {
        QTest::addColumn<int>("layout");
        QTest::addColumn<int>("tiles");
        QTest::addColumn<int>("bigCells"); // cells per side of tile 0
        QTest::newRow("1") << int(Layout::One) << 1 << 1;
        QTest::newRow("4") << int(Layout::Four) << 4 << 1;
        QTest::newRow("9") << int(Layout::Nine) << 9 << 1;
        QTest::newRow("16") << int(Layout::Sixteen) << 16 << 1;
        QTest::newRow("25") << int(Layout::TwentyFive) << 25 << 1;
        QTest::newRow("1+5") << int(Layout::OnePlusFive) << 6 << 2;
        QTest::newRow("1+7") << int(Layout::OnePlusSeven) << 8 << 3;
    }

    void layoutsPlaceTheirTiles()
    {
        QFETCH(int, layout);
        QFETCH(int, tiles);
        QFETCH(int, bigCells);
        Fixture f;
        f.grid->show();
        QVERIFY(QTest::qWaitForWindowExposed(f.grid.get()));
        QSignalSpy changed(f.grid.get(), &VideoGrid::layoutChanged);
        f.grid->setGridLayout(Layout(layout));
        QCOMPARE(f.grid->tileCount(), tiles);
        QCOMPARE(changed.size(), layout == int(Layout::Four) ? 0 : 1);

        const int n = VideoGrid::gridSize(Layout(layout));
        const int total = f.grid->width() - VideoGrid::kSpacing; // the area inside the outer spacing
        QRegion covered;
        for (int i = 0; i < VideoGrid::kMaxTiles; ++i) {
            VideoTile *tile = f.grid->tile(i);
            QCOMPARE(tile->isVisible(), i < tiles);
            QCOMPARE(tile->isActive(), i < tiles);
            if (i >= tiles)
                continue;
            const QRect geometry = tile->geometry();
            QVERIFY2(!covered.intersects(geometry), "tiles do not overlap");
            covered += geometry;
            const int span = i == 0 ? bigCells : 1;
            const int expected = (total + VideoGrid::kSpacing) * span / n - VideoGrid::kSpacing;
            QVERIFY2(std::abs(geometry.width() - expected) <= 1,
                     qPrintable(u"tile %1 is %2 wide, not %3"_s.arg(i).arg(geometry.width()).arg(expected)));
        }
        // Together the tiles fill the grid but for the spacing around and between them.
        QCOMPARE(covered.boundingRect(), f.grid->rect().adjusted(VideoGrid::kSpacing, VideoGrid::kSpacing, 0, 0));
        QCOMPARE(VideoGrid::layoutFromKey(VideoGrid::layoutKey(Layout(layout))), std::optional(Layout(layout)));
    }

    void shortcutsSwitchLayouts()
    {
        Fixture f;
        f.grid->show();
        f.grid->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(f.grid.get()));
        QTest::keyClick(f.grid.get(), Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(f.grid->gridLayout(), Layout::Nine);
        QTest::keyClick(f.grid.get(), Qt::Key_7, Qt::ControlModifier);
        QCOMPARE(f.grid->gridLayout(), Layout::OnePlusSeven);
        QCOMPARE(f.grid->layoutActions().size(), 7);
        QVERIFY(f.grid->layoutActions().at(6)->isChecked());
    }

    void keyboardMovesTheSelection()
    {
        Fixture f;
        f.grid->setGridLayout(Layout::OnePlusFive);
        f.grid->show();
        QVERIFY(QTest::qWaitForWindowExposed(f.grid.get()));
        // 1+5: the big tile 0, tiles 1 and 2 down its right, 3, 4 and 5 along the bottom.
        QTest::keyClick(f.grid.get(), Qt::Key_Right);
        QCOMPARE(f.grid->selectedIndex(), 1);
        QTest::keyClick(f.grid.get(), Qt::Key_Down);
        QCOMPARE(f.grid->selectedIndex(), 2);
        QTest::keyClick(f.grid.get(), Qt::Key_Down);
        QCOMPARE(f.grid->selectedIndex(), 5);
        QTest::keyClick(f.grid.get(), Qt::Key_Left);
        QCOMPARE(f.grid->selectedIndex(), 4);
        QTest::keyClick(f.grid.get(), Qt::Key_Up);
        QCOMPARE(f.grid->selectedIndex(), 0);
        QTest::keyClick(f.grid.get(), Qt::Key_Up);
        QCOMPARE(f.grid->selectedIndex(), 0);
        f.grid->openChannel(cameraId(1), 0);
        QTest::keyClick(f.grid.get(), Qt::Key_Return);
        QCOMPARE(f.grid->maximizedIndex(), 0);
        QTest::keyClick(f.grid.get(), Qt::Key_Return);
        QCOMPARE(f.grid->maximizedIndex(), -1);
        QTest::keyClick(f.grid.get(), Qt::Key_Delete);
        QVERIFY(f.grid->tile(0)->channelId().isEmpty());
    }

    void maximisesAndRestores()
    {
        Fixture f;
        f.grid->setGridLayout(Layout::Nine);
        f.grid->show();
        QVERIFY(QTest::qWaitForWindowExposed(f.grid.get()));
        VideoTile *tile = f.grid->tile(4);
        const QRect before = tile->geometry();
        QTest::mouseDClick(tile, Qt::LeftButton);
        QCOMPARE(f.grid->maximizedIndex(), 4);
        QCOMPARE(f.grid->selectedIndex(), 4);
        QVERIFY(tile->isVisible());
        QVERIFY(!f.grid->tile(0)->isVisible());
        QVERIFY(tile->width() > 3 * before.width());
        QVERIFY(f.grid->maximizeAction()->isChecked());
        QTest::mouseDClick(tile, Qt::LeftButton);
        QCOMPARE(f.grid->maximizedIndex(), -1);
        QCOMPARE(tile->geometry(), before);
        QVERIFY(f.grid->tile(0)->isVisible());
    }

    void opensChannelsWhereOperatorsExpect()
    {
        Fixture f;
        QSignalSpy selection(f.grid.get(), &VideoGrid::selectionChanged);
        // The selected tile (0) is free: there; then the first free ones.
        QCOMPARE(f.grid->openChannel(cameraId(1)), 0);
        QCOMPARE(f.grid->openChannel(cameraId(2)), 1);
        f.grid->selectTile(3);
        QCOMPARE(f.grid->openChannel(cameraId(3)), 3);
        QCOMPARE(f.grid->openChannel(cameraId(4)), 2);
        QCOMPARE(f.grid->selectedIndex(), 2);
        // A channel already shown is selected, not opened twice.
        QCOMPARE(f.grid->openChannel(cameraId(1)), 0);
        QCOMPARE(f.backend.openCount(), 4);
        // Full: the selected tile is replaced.
        QCOMPARE(f.grid->openChannel(cameraId(5)), 0);
        QCOMPARE(f.grid->tile(0)->channelId(), cameraId(5));
        QCOMPARE(f.backend.openCount(), 4);
        QCOMPARE(f.grid->selectedChannel(), cameraId(5));
        QVERIFY(!selection.isEmpty());
        QCOMPARE(f.grid->streamingChannels().size(), 4);
        QCOMPARE(f.grid->tile(0)->channelName(), u"Camera 5"_s);
    }

    void dropsChannelsFromTheTree()
    {
        Fixture f;
        f.grid->setGridLayout(Layout::Nine);
        f.grid->show();
        QVERIFY(QTest::qWaitForWindowExposed(f.grid.get()));
        QMimeData one;
        one.setData(Ui::ChannelMime::kChannelsType, cameraId(7).toUtf8());
        QVERIFY(drop(f.grid->tile(5), &one));
        QCOMPARE(f.grid->tile(5)->channelId(), cameraId(7));
        QCOMPARE(f.grid->selectedIndex(), 5);
        QVERIFY(f.backend.openStreamFor(cameraId(7)));

        // Several channels: the first where dropped, the others in the free tiles after it.
        std::unique_ptr<QMimeData> three(Ui::ChannelMime::encodeChannels({cameraId(1), cameraId(2), cameraId(3)}));
        QVERIFY(drop(f.grid->tile(4), three.get()));
        QCOMPARE(f.grid->tile(4)->channelId(), cameraId(1));
        QCOMPARE(f.grid->tile(6)->channelId(), cameraId(2));
        QCOMPARE(f.grid->tile(7)->channelId(), cameraId(3));

        // Something else is refused.
        QMimeData text;
        text.setText(u"hello"_s);
        QVERIFY(!drop(f.grid->tile(0), &text));
        QVERIFY(f.grid->tile(0)->channelId().isEmpty());

        // A tile dropped on another swaps them without restarting their streams.
        Ui::LiveStream *moving = f.grid->tile(5)->stream();
        std::unique_ptr<QMimeData> tile(Ui::ChannelMime::encodeTile(5));
        QVERIFY(drop(f.grid->tile(0), tile.get()));
        QCOMPARE(f.grid->tile(0)->channelId(), cameraId(7));
        QCOMPARE(f.grid->tile(0)->stream(), moving);
        QVERIFY(f.grid->tile(5)->channelId().isEmpty());
        QCOMPARE(f.grid->tile(0)->index(), 0);
    }

    void aDyingGridSaysNothing()
    {
        // The main window listens to the grid and walks its tiles; while the grid is destroyed
        // (tiles go one by one, each hanging up its stream) nothing may reach it.
        auto f = std::make_unique<Fixture>();
        for (int i = 0; i < 4; ++i)
            f->grid->openChannel(cameraId(i + 1), i);
        QCOMPARE(f->backend.openCount(), 4);
        bool dying = false;
        int heardWhileDying = 0;
        QObject listener;
        QObject::connect(f->grid.get(), &VideoGrid::tilesChanged, &listener, [&] { heardWhileDying += dying; });
        dying = true;
        f->grid.reset();
        QCOMPARE(heardWhileDying, 0);
        QCOMPARE(f->backend.openCount(), 0); // every stream was hung up all the same
    }

    void hiddenTilesCloseTheirStreams()
    {
        Fixture f;
        f.grid->setGridLayout(Layout::Nine);
        for (int i = 0; i < 9; ++i)
            f.grid->openChannel(cameraId(i + 1), i);
        QCOMPARE(f.backend.openCount(), 9);
        f.grid->setGridLayout(Layout::Four);
        QCOMPARE(f.backend.openCount(), 4);
        QCOMPARE(f.grid->tile(8)->channelId(), cameraId(9));
        QCOMPARE(f.grid->tile(8)->state(), VideoTile::State::Idle);
        f.grid->setGridLayout(Layout::Nine);
        QCOMPARE(f.backend.openCount(), 9);
        QCOMPARE(f.grid->openStreamCount(), 9);
    }

    void automaticStreamsFollowTheTileSize()
    {
        using Devices::StreamProfile;
        Fixture f;
        QVERIFY(f.grid->automaticStreams());
        const auto profileOf = [&f](int camera) {
            auto *opened = f.backend.openStreamFor(cameraId(camera));
            return opened ? opened->profile : StreamProfile(0xff);
        };
        f.grid->setGridLayout(Layout::Four);
        f.grid->openChannel(cameraId(1), 0);
        QCOMPARE(profileOf(1), StreamProfile::Main);

        // Nine tiles are a third of the grid wide: the stream is re-opened as the sub stream.
        f.grid->setGridLayout(Layout::Nine);
        QCOMPARE(f.grid->tile(0)->profile(), StreamProfile::Sub);
        QCOMPARE(f.grid->tile(0)->profileChoice(), VideoTile::ProfileChoice::Automatic);
        QCOMPARE(profileOf(1), StreamProfile::Sub);
        QCOMPARE(f.backend.openCount(), 1);
        f.grid->openChannel(cameraId(2), 4);
        QCOMPARE(profileOf(2), StreamProfile::Sub);

        // Maximized, a tile plays the main stream; restored, the sub stream again. The other
        // tiles keep theirs.
        f.grid->toggleMaximized(4);
        QCOMPARE(profileOf(2), StreamProfile::Main);
        QCOMPARE(profileOf(1), StreamProfile::Sub);
        f.grid->toggleMaximized(4);
        QCOMPARE(profileOf(2), StreamProfile::Sub);

        // 1+5: the large tile plays the main stream; swapped tiles take the stream of their place.
        f.grid->setGridLayout(Layout::OnePlusFive);
        QCOMPARE(profileOf(1), StreamProfile::Main);
        QCOMPARE(profileOf(2), StreamProfile::Sub);
        f.grid->swapTiles(4, 0);
        QCOMPARE(f.grid->tile(0)->channelId(), cameraId(2));
        QCOMPARE(profileOf(2), StreamProfile::Main);
        QCOMPARE(profileOf(1), StreamProfile::Sub);

        // The operator's choice holds until the layout changes.
        f.grid->tile(4)->setProfile(StreamProfile::Main);
        QCOMPARE(f.grid->tile(4)->profileChoice(), VideoTile::ProfileChoice::Operator);
        f.grid->openChannel(cameraId(3), 1);
        QCOMPARE(profileOf(1), StreamProfile::Main);
        QCOMPARE(profileOf(3), StreamProfile::Sub);
        f.grid->setGridLayout(Layout::Sixteen);
        QCOMPARE(profileOf(1), StreamProfile::Sub);
        QCOMPARE(profileOf(2), StreamProfile::Sub);

        // Off: tiles keep what they play, and channels open with the main stream.
        f.grid->setAutomaticStreams(false);
        f.grid->openChannel(cameraId(4), 5);
        QCOMPARE(profileOf(4), StreamProfile::Main);
        f.grid->setGridLayout(Layout::TwentyFive);
        QCOMPARE(profileOf(4), StreamProfile::Main);
        QCOMPARE(profileOf(1), StreamProfile::Sub);
        // On again: applied at once.
        f.grid->setAutomaticStreams(true);
        QCOMPARE(profileOf(4), StreamProfile::Sub);
        f.grid->setGridLayout(Layout::One);
        QCOMPARE(profileOf(2), StreamProfile::Main);
        QCOMPARE(f.backend.openCount(), 1);
    }

    void deviceSetToTheSubStreamPlaysItInEveryTile()
    {
        // An installer sets a device on a slow link to its sub stream (device properties).
        using Devices::StreamProfile;
        Fixture f;
        Devices::DeviceSettings settings = *f.backend.registryObject.settings(kNvr);
        settings.streamProfile = StreamProfile::Sub;
        f.backend.registryObject.setSettings(kNvr, settings);
        f.grid->setGridLayout(Layout::Four);
        f.grid->openChannel(cameraId(1), 0);
        QCOMPARE(f.backend.openStreamFor(cameraId(1))->profile, StreamProfile::Sub);
        f.grid->toggleMaximized(0);
        QCOMPARE(f.backend.openStreamFor(cameraId(1))->profile, StreamProfile::Sub);
        f.grid->toggleMaximized(0);

        // Set back to the main stream: the open tile follows (the grid re-reads the registry).
        settings.streamProfile = StreamProfile::Main;
        f.backend.registryObject.setSettings(kNvr, settings);
        QTRY_COMPARE(f.backend.openStreamFor(cameraId(1))->profile, StreamProfile::Main);
        // A tile the operator chose for stays as it is.
        f.grid->tile(0)->setProfile(StreamProfile::Main);
        settings.streamProfile = StreamProfile::Sub;
        f.backend.registryObject.setSettings(kNvr, settings);
        f.grid->openChannel(cameraId(2), 1);
        QCOMPARE(f.backend.openStreamFor(cameraId(2))->profile, StreamProfile::Sub);
        QTest::qWait(400); // past the grid's refresh of channel information
        QCOMPARE(f.backend.openStreamFor(cameraId(1))->profile, StreamProfile::Main);

        // Without automatic streams the device's setting still chooses for newly opened channels.
        f.grid->setAutomaticStreams(false);
        f.grid->openChannel(cameraId(3), 2);
        QCOMPARE(f.backend.openStreamFor(cameraId(3))->profile, StreamProfile::Sub);
    }

    void refusedSubStreamFallsBackToTheMainStream()
    {
        using Devices::StreamProfile;
        Fixture f;
        f.grid->setGridLayout(Layout::Nine);
        // A camera without a sub stream answers the INVITE with an error.
        f.backend.initialStreamState = Ui::LiveStream::State::Failed;
        f.grid->openChannel(cameraId(1), 0);
        VideoTile *tile = f.grid->tile(0);
        QCOMPARE(f.backend.streams.size(), 2);
        QCOMPARE(f.backend.streams[0].profile, StreamProfile::Sub);
        QCOMPARE(f.backend.streams[1].profile, StreamProfile::Main);
        QVERIFY(tile->subStreamRefused());
        QCOMPARE(tile->profile(), StreamProfile::Main);
        // The main stream failed too (the device is broken): that failure is shown and retried.
        QCOMPARE(tile->state(), VideoTile::State::Failed);

        // Automatic choices keep the main stream for this channel...
        f.backend.initialStreamState = Ui::LiveStream::State::Connecting;
        f.grid->setGridLayout(Layout::Sixteen);
        QCOMPARE(tile->profile(), StreamProfile::Main);
        // ...but the operator may still ask for the sub stream, and another channel starts afresh.
        tile->setProfile(StreamProfile::Sub);
        QCOMPARE(f.backend.openStreamFor(cameraId(1))->profile, StreamProfile::Sub);
        f.grid->openChannel(cameraId(2), 0);
        QVERIFY(!tile->subStreamRefused());
        QCOMPARE(f.backend.openStreamFor(cameraId(2))->profile, StreamProfile::Sub);

        // A sub stream that played and then failed is retried as it was, not replaced.
        f.publish(cameraId(2));
        QTRY_COMPARE(tile->state(), VideoTile::State::Playing);
        f.backend.openStreamFor(cameraId(2))->stream->setState(Ui::LiveStream::State::Failed, u"Connection lost."_s);
        QCOMPARE(tile->state(), VideoTile::State::Failed);
        QCOMPARE(tile->profile(), StreamProfile::Sub);
        QVERIFY(!tile->subStreamRefused());
    }

    void restoresLayoutAndChannels()
    {
        {
            Fixture f;
            f.grid->setGridLayout(Layout::OnePlusFive);
            f.grid->openChannel(cameraId(1), 0);
            f.grid->openChannel(cameraId(2), 3, Devices::StreamProfile::Sub);
            f.grid->openChannel(cameraId(3), 5);
            f.grid->selectTile(3);
            QSettings settings;
            f.grid->saveState(settings);
        }
        Fixture f;
        QSettings settings;
        f.grid->restoreState(settings);
        QCOMPARE(f.grid->gridLayout(), Layout::OnePlusFive);
        QCOMPARE(f.grid->tile(0)->channelId(), cameraId(1));
        QCOMPARE(f.grid->tile(3)->channelId(), cameraId(2));
        QCOMPARE(f.grid->tile(3)->profile(), Devices::StreamProfile::Sub);
        QCOMPARE(f.grid->tile(5)->channelId(), cameraId(3));
        QVERIFY(f.grid->tile(1)->channelId().isEmpty());
        QCOMPARE(f.grid->selectedIndex(), 3);
        QCOMPARE(f.backend.openCount(), 3);
        QCOMPARE(f.backend.openStreamFor(cameraId(2))->profile, Devices::StreamProfile::Sub);
    }

    void showsWhatTheStreamDoes()
    {
        Fixture f;
        f.grid->show();
        QVERIFY(QTest::qWaitForWindowExposed(f.grid.get()));
        f.grid->openChannel(cameraId(1), 0);
        VideoTile *tile = f.grid->tile(0);
        QCOMPARE(tile->state(), VideoTile::State::Connecting);
        QVERIFY(tile->overlay().stateText.startsWith(u"Connecting"_s));
        QCOMPARE(tile->overlay().title, u"Camera 1"_s);

        f.publish(cameraId(1));
        QTRY_COMPARE(tile->state(), VideoTile::State::Playing);
        QVERIFY(tile->overlay().stateText.isEmpty());
        QVERIFY(!tile->overlay().dimPicture);
        const QImage live = tile->grabShown();
        QVERIFY(UiTest::closeTo(live.pixel(live.width() / 2, live.height() / 2), Qt::green));

        // The pointer over the tile shows the stream's numbers.
        f.backend.openStreamFor(cameraId(1))->stream->setStats({u"H.265"_s, u"TCP passive"_s, 4'200'000, 3});
        QEnterEvent enter(QPointF(10, 10), QPointF(10, 10), QPointF(10, 10));
        QApplication::sendEvent(tile, &enter);
        const QStringList stats = tile->overlay().statsLines;
        QVERIFY2(stats.contains(u"320 × 180"_s), qPrintable(stats.join(u" | "_s)));
        QVERIFY(stats.join(u' ').contains(u"H.265  4.2 Mbit/s"_s));
        QVERIFY(stats.contains(u"3 packets lost"_s));
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(tile, &leave);
        QVERIFY(tile->overlay().statsLines.isEmpty());

        // No picture for longer than the threshold: stalled, darkened, said so.
        const auto later = Ui::LatestFrameSlot::Clock::now() + std::chrono::milliseconds(VideoTile::kStallThresholdMs) + 1s;
        tile->tick(later);
        QCOMPARE(tile->state(), VideoTile::State::Stalled);
        QVERIFY(tile->overlay().dimPicture);
        QVERIFY2(tile->overlay().stateText.startsWith(u"No video for"_s),
                 qPrintable(tile->overlay().stateText));
        const QImage stalled = tile->grabShown();
        QVERIFY(qGreen(stalled.pixel(stalled.width() / 2, stalled.height() / 4)) < 160);
        f.publish(cameraId(1), Qt::blue);
        QTRY_COMPARE(tile->state(), VideoTile::State::Playing);

        // The device goes offline: the stream closes, the tile says why; it comes back by itself.
        f.backend.registryObject.markOffline(kNvr, Devices::OfflineReason::KeepalivesMissed);
        QTRY_COMPARE(tile->state(), VideoTile::State::Offline);
        QVERIFY(!tile->stream());
        QVERIFY(tile->overlay().stateText.contains(u"keepalives missed"_s));
        f.backend.registryObject.markOnline(kNvr, UiTest::peer());
        QTRY_COMPARE(tile->state(), VideoTile::State::Connecting);
        QVERIFY(tile->stream());
        QCOMPARE(f.backend.streams.size(), 2);
    }

    void thePointerOnTheVideoReachesTheTiles()
    {
        // Real input lands on the grid's video window, which hands it to the tile under it.
        Fixture f;
        f.grid->resize(640, 360);
        f.grid->show();
        QVERIFY(QTest::qWaitForWindowExposed(f.grid.get()));
        Ui::GridSurface *surface = f.grid->surface();
        QVERIFY(QTest::qWaitForWindowExposed(surface));
        f.grid->openChannel(cameraId(1), 1);
        f.publish(cameraId(1));
        VideoTile *tile = f.grid->tile(1);
        QTRY_COMPARE(tile->state(), VideoTile::State::Playing);
        const QPoint centre = tile->geometry().center();

        QTest::mouseClick(surface, Qt::LeftButton, {}, centre);
        QCOMPARE(f.grid->selectedIndex(), 1);
        QTest::mouseMove(surface, centre + QPoint(5, 5));
        QVERIFY(!tile->overlay().statsLines.isEmpty());
        QTest::mouseDClick(surface, Qt::LeftButton, {}, centre);
        QCOMPARE(f.grid->maximizedIndex(), 1);
        QTest::mouseDClick(surface, Qt::LeftButton, {}, tile->geometry().center());
        QCOMPARE(f.grid->maximizedIndex(), -1);

        // A tile that leaves the layout under the pointer is no longer hovered when it comes back.
        QTest::mouseMove(surface, f.grid->tile(1)->geometry().center());
        QVERIFY(!tile->overlay().statsLines.isEmpty());
        f.grid->setGridLayout(Layout::One);
        f.grid->setGridLayout(Layout::Four);
        f.publish(cameraId(1));
        QTRY_COMPARE(tile->state(), VideoTile::State::Playing);
        QVERIFY(tile->overlay().statsLines.isEmpty());
    }

    void retriesFailedStreams()
    {
        Fixture f;
        f.backend.initialStreamState = Ui::LiveStream::State::Failed;
        f.grid->openChannel(cameraId(1), 0);
        VideoTile *tile = f.grid->tile(0);
        QCOMPARE(tile->state(), VideoTile::State::Failed);
        QCOMPARE(tile->failureReason(), u"The device refused the stream (488)."_s);
        QVERIFY(tile->overlay().stateText.contains(u"488"_s));
        QVERIFY(tile->overlay().stateText.contains(u"Retrying in"_s));
        QTRY_VERIFY(!f.backend.streams.first().stream); // released after its signal
        f.backend.initialStreamState = Ui::LiveStream::State::Connecting;
        tile->tick(Ui::LatestFrameSlot::Clock::now() + 6s);
        QCOMPARE(tile->state(), VideoTile::State::Connecting);
        QCOMPARE(f.backend.streams.size(), 2);
        // A stream that ends while playing is retried too.
        f.publish(cameraId(1));
        QTRY_COMPARE(tile->state(), VideoTile::State::Playing);
        f.backend.openStreamFor(cameraId(1))->stream->setState(Ui::LiveStream::State::Ended, u"BYE from the device"_s);
        QCOMPARE(tile->state(), VideoTile::State::Failed);
        QVERIFY(tile->overlay().stateText.contains(u"BYE from the device"_s));
    }

    void savesSnapshots()
    {
        Fixture f;
        QTemporaryDir dir;
        f.grid->openChannel(cameraId(2), 0);
        VideoTile *tile = f.grid->tile(0);
        QVERIFY(!tile->saveSnapshot(dir.path(), Ui::SnapshotFormat::Png));
        f.publish(cameraId(2), Qt::red);
        QTRY_COMPARE(tile->state(), VideoTile::State::Playing);
        const QDateTime time(QDate(2024, 5, 1), QTime(13, 45, 7));
        const auto png = tile->saveSnapshot(dir.path(), Ui::SnapshotFormat::Png, time);
        QVERIFY2(png, png ? "" : qPrintable(png.error().message));
        QCOMPARE(QFileInfo(*png).fileName(), u"Camera 2_34020000001310000002_20240501-134507.png"_s);
        const QImage saved(*png);
        QCOMPARE(saved.size(), QSize(320, 180));
        QVERIFY(UiTest::closeTo(saved.pixel(160, 90), Qt::red, 3));
        const auto again = tile->saveSnapshot(dir.path(), Ui::SnapshotFormat::Png, time);
        QVERIFY(again && *again != *png);
        const auto jpeg = tile->saveSnapshot(dir.path(), Ui::SnapshotFormat::Jpeg, time);
        QVERIFY(jpeg && jpeg->endsWith(u".jpg"_s) && QImage(*jpeg).width() == 320);
        QCOMPARE(VideoTile::snapshotFileName(u"东门/入口:1"_s, cameraId(1), time, Ui::SnapshotFormat::Jpeg),
                 u"东门_入口_1_34020000001310000001_20240501-134507.jpg"_s);
    }

    void contextMenuOffersTheAutomaticStream()
    {
        using Devices::StreamProfile;
        Fixture f;
        f.grid->setGridLayout(Layout::Nine);
        f.grid->openChannel(cameraId(1), 0);
        VideoTile *tile = f.grid->tile(0);
        const auto action = [](QMenu *menu, const QString &name) {
            for (QAction *a : menu->actions())
                if (a->objectName() == name)
                    return a;
            return static_cast<QAction *>(nullptr);
        };
        std::unique_ptr<QMenu> menu(tile->createContextMenu(false, f.grid->automaticProfile(0)));
        QAction *automatic = action(menu.get(), u"automaticStream"_s);
        QVERIFY(automatic && automatic->isChecked());
        QVERIFY(automatic->text().contains(u"Sub"_s));
        action(menu.get(), u"mainStream"_s)->trigger();
        QCOMPARE(tile->profileChoice(), VideoTile::ProfileChoice::Operator);
        QCOMPARE(f.backend.openStreamFor(cameraId(1))->profile, StreamProfile::Main);

        // Back to the grid's choice from the menu.
        menu.reset(tile->createContextMenu(false, f.grid->automaticProfile(0)));
        automatic = action(menu.get(), u"automaticStream"_s);
        QVERIFY(!automatic->isChecked());
        QVERIFY(action(menu.get(), u"mainStream"_s)->isChecked());
        automatic->trigger();
        QCOMPARE(tile->profileChoice(), VideoTile::ProfileChoice::Automatic);
        QCOMPARE(f.backend.openStreamFor(cameraId(1))->profile, StreamProfile::Sub);
        // Without automatic streams the menu has only main and sub.
        menu.reset(tile->createContextMenu(false));
        QVERIFY(!action(menu.get(), u"automaticStream"_s));
    }

    void contextMenuActsOnTheTile()
    {
        Fixture f;
        f.grid->openChannel(cameraId(1), 0);
        VideoTile *tile = f.grid->tile(0);
        std::unique_ptr<QMenu> menu(tile->createContextMenu(false));
        QStringList names;
        for (QAction *action : menu->actions()) {
            if (!action->isSeparator())
                names.append(action->objectName());
        }
        QCOMPARE(names, (QStringList{u"snapshot"_s, u"streamInfo"_s, u"mainStream"_s, u"subStream"_s, u"maximize"_s,
                                     u"close"_s}));
        QAction *sub = nullptr;
        QAction *close = nullptr;
        for (QAction *action : menu->actions()) {
            if (action->objectName() == u"subStream"_s)
                sub = action;
            if (action->objectName() == u"close"_s)
                close = action;
            if (action->objectName() == u"snapshot"_s)
                QVERIFY(!action->isEnabled()); // nothing to save yet
        }
        sub->trigger();
        QCOMPARE(tile->profile(), Devices::StreamProfile::Sub);
        QCOMPARE(f.backend.openStreamFor(cameraId(1))->profile, Devices::StreamProfile::Sub);
        QCOMPARE(f.backend.openCount(), 1);
        close->trigger();
        QVERIFY(tile->channelId().isEmpty());
        QCOMPARE(f.backend.openCount(), 0);
        QCOMPARE(tile->state(), VideoTile::State::Empty);
    }
};

QTEST_MAIN(TestVideoGrid)
#include "tst_videogrid.moc"
