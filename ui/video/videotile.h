#pragma once

#include "common/result.h"
#include "devices/device.h"
#include "latestframeslot.h"
#include "settings/consolesettings.h"
#include "videooverlay.h"

#include <QPoint>
#include <QPointer>
#include <QWidget>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

class QMenu;

namespace Vigil::Ui {

class ConsoleBackend;
class GridSurface;
class LiveStream;

/// One window of the live grid: a channel, its stream and what the operator sees of it.
///
/// The tile opens the stream through the backend when it has a channel, is part of the
/// current layout (active) and the channel is online; it closes it otherwise, and retries a
/// failed stream with a growing delay. Pictures come through a LatestFrameSlot (a new slot per
/// stream, so a late picture from an old stream never shows on a new one). The tile decides
/// by itself when a stream is stalled — no picture for a while — and says so over a darkened
/// picture: frozen video never passes for live.
///
/// What the tile shows (picture, overlay, border) is painted by the grid's GridSurface, in the
/// slot the tile was given, which stays the tile's when tiles swap places; the widget itself
/// paints nothing and lies under that window, which hands it its mouse and drag-and-drop input.
///
/// Mouse: click selects, double-click maximises (VideoGrid), drag moves the channel to
/// another tile; channels from the device tree can be dropped on it. GUI thread.
class VideoTile : public QWidget {
    Q_OBJECT

public:
    enum class State : std::uint8_t {
        Empty,      ///< no channel
        Idle,       ///< a channel, but not in the current layout: no stream
        Connecting, ///< stream opened, no picture yet
        Playing,
        Stalled,    ///< pictures stopped coming
        Offline,    ///< the channel or its device is offline
        Failed,     ///< the stream failed; retried after a delay
    };
    Q_ENUM(State)

    /// No picture for this long (or 4 usual frame intervals, whichever is longer) is a stall.
    static constexpr int kStallThresholdMs = 2000;

    /// Paints in `surface`'s slot `index` (none without a surface: tests of the logic alone).
    VideoTile(int index, ConsoleBackend &backend, GridSurface *surface, QWidget *parent = nullptr);
    ~VideoTile() override;

    int index() const noexcept { return m_index; }
    /// VideoGrid renumbers tiles when it swaps them (streams keep running).
    void setIndex(int index);
    const QString &channelId() const noexcept { return m_channelId; }
    /// The channel's name, or its ID until the name is known.
    QString channelName() const;
    Devices::StreamProfile profile() const noexcept { return m_profile; }
    State state() const noexcept { return m_state; }
    /// What the overlay says about the state ("Connecting…", "No video for 5 s"...).
    QString stateText() const;
    const QString &failureReason() const noexcept { return m_failureReason; }

    bool isSelected() const noexcept { return m_selected; }
    void setSelected(bool selected);
    /// Whether the tile is part of the current layout; inactive tiles keep their channel but
    /// close its stream.
    bool isActive() const noexcept { return m_active; }
    void setActive(bool active);

    /// Who chose a tile's stream profile.
    enum class ProfileChoice : std::uint8_t {
        Operator,  ///< kept until the operator or a new channel changes it
        Automatic, ///< the grid's choice by tile size (VideoGrid::automaticProfile())
    };
    Q_ENUM(ProfileChoice)

    /// Shows `channelId` (replacing what was there) with the given stream profile.
    void setChannel(const QString &channelId, Devices::StreamProfile profile = Devices::StreamProfile::Main,
                    ProfileChoice choice = ProfileChoice::Operator);
    void clearChannel();
    /// Switches to another stream of the channel (re-opens the stream when it changes).
    /// An automatic sub stream the camera refused (the stream failed before its first picture)
    /// falls back to the main stream, and automatic choices ask for the main stream from then
    /// on, until the tile gets another channel.
    void setProfile(Devices::StreamProfile profile, ProfileChoice choice = ProfileChoice::Operator);
    ProfileChoice profileChoice() const noexcept { return m_profileChoice; }
    /// The camera refused the sub stream this tile asked for automatically.
    bool subStreamRefused() const noexcept { return m_subStreamRefused; }
    /// Re-reads the channel's name and whether it and its device are online from the
    /// registry (done when the channel is set; VideoGrid calls it when the registry changes).
    void refreshChannelInfo();

    /// Re-draws the overlay (VideoGrid calls it when the surface's GL error changes).
    void refreshOverlay();

    /// Periodic work (VideoGrid calls it twice a second): stall detection, frame rate,
    /// retries, the hover statistics. Nothing here runs per frame.
    void tick(LatestFrameSlot::Clock::time_point now);

    /// The picture shown (the newest the stream delivered); null without one.
    const std::shared_ptr<const YuvFrame> &frame() const noexcept { return m_frame; }
    /// What is written over the picture.
    const VideoOverlay &overlay() const noexcept { return m_overlay; }
    /// The surface slot the tile paints in.
    int surfaceSlot() const noexcept { return m_surfaceSlot; }
    /// Pictures uploaded to the GPU for this tile so far, each painted at least once.
    quint64 uploadCount() const;
    /// Where the picture lands in the tile (tile coordinates); empty without one.
    QRect pictureRect() const;
    /// What the surface paints in this tile now (device pixels), read back from the GPU; null
    /// when it is not on screen. Waits for the render thread: for tests and diagnostics.
    QImage grabShown() const;
    LiveStream *stream() const noexcept { return m_stream.get(); }
    /// The slot the current stream writes to; null without a stream.
    const std::shared_ptr<LatestFrameSlot> &frameSlot() const noexcept { return m_slot; }
    double frameRate() const noexcept { return m_frameRate; }
    std::int64_t bitrateBps() const;
    /// Lines of the hover statistics: resolution, frame rate, codec, bitrate.
    QStringList statsLines() const;

    /// The current picture at its own size, without overlay; null without one.
    QImage snapshotImage() const;
    /// Saves the current picture into `folder` (created when missing); returns the file path.
    Result<QString> saveSnapshot(const QString &folder, SnapshotFormat format,
                                 const QDateTime &time = QDateTime::currentDateTime()) const;
    /// "<name>_<channel ID>_<yyyyMMdd-HHmmss>.<png|jpg>", unsafe characters replaced.
    static QString snapshotFileName(const QString &channelName, const QString &channelId, const QDateTime &time,
                                    SnapshotFormat format);

    /// Saves a snapshot where the settings say and reports it with statusMessage().
    void takeSnapshot();

    /// The right-click menu (the caller owns it); `maximized` chooses Maximize or Restore.
    /// With `automaticProfile` (the grid chooses streams), the menu offers the automatic choice
    /// beside the main and sub streams.
    QMenu *createContextMenu(bool maximized,
                             std::optional<Devices::StreamProfile> automaticProfile = std::nullopt);

Q_SIGNALS:
    void clicked(int index);
    void doubleClicked(int index);
    void channelsDropped(int index, const QStringList &channelIds);
    void tileDropped(int fromIndex, int toIndex);
    /// The channel or the stream changed (opened, closed).
    void channelChanged(int index);
    void stateChanged(int index);
    void contextMenuRequested(int index, const QPoint &globalPos);
    void statusMessage(const QString &message);

protected:
    bool event(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void enterEvent(QEnterEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void setChannelInfo(const QString &name, bool online, const QString &offlineReason);
    /// `profile`, or the main stream for an automatic choice on a channel that refused its sub stream.
    Devices::StreamProfile allowedProfile(Devices::StreamProfile profile, ProfileChoice choice) const;
    void openStream();
    void closeStream();
    void syncStream();
    void onStreamStateChanged();
    void onFrameReady();
    void updateState();
    void refreshBorder();
    void showFrame(std::shared_ptr<const YuvFrame> frame);
    void showStreamInfo();

    int m_index;
    const int m_surfaceSlot;
    ConsoleBackend &m_backend;
    QPointer<GridSurface> m_surface;
    std::shared_ptr<const YuvFrame> m_frame;
    VideoOverlay m_overlay;

    QString m_channelId;
    QString m_channelName;
    bool m_online = true;
    QString m_offlineReason;
    Devices::StreamProfile m_profile = Devices::StreamProfile::Main;
    ProfileChoice m_profileChoice = ProfileChoice::Operator;
    bool m_subStreamRefused = false;
    bool m_active = false;
    bool m_selected = false;
    bool m_dropTarget = false;
    bool m_hovered = false;
    QPoint m_pressPos;

    std::unique_ptr<LiveStream> m_stream;
    std::shared_ptr<LatestFrameSlot> m_slot;
    State m_state = State::Empty;
    QString m_failureReason;
    bool m_hasFrame = false;
    bool m_stalled = false;
    bool m_failed = false; ///< the last stream failed; retried at m_retryAt
    LatestFrameSlot::Clock::time_point m_openedAt;
    LatestFrameSlot::Clock::time_point m_lastTick;
    LatestFrameSlot::Clock::time_point m_retryAt;
    int m_retryCount = 0;
    double m_frameRate = 0;
    std::int64_t m_frameIntervalMs = 0; ///< usual gap between pictures while they come
    std::uint64_t m_ratePublished = 0;
    LatestFrameSlot::Clock::time_point m_rateSampledAt;
};

} // namespace Vigil::Ui
