#pragma once

#include "devices/device.h"

#include <QList>
#include <QRect>
#include <QStringList>
#include <QWidget>

#include <array>
#include <cstdint>
#include <optional>

class QAction;
class QActionGroup;
class QSettings;
class QTimer;

namespace Vigil::Ui {

class ConsoleBackend;
class GridSurface;
class VideoTile;

/// The live view: up to 25 VideoTiles in one of the usual layouts (1, 4, 9, 16, 25, and one
/// big tile with 5 or 7 small ones). One tile is selected (the PTZ panel follows it); a tile
/// can be maximised and restored with a double-click; channels open by double-click in the
/// tree (the selected tile when free, else the first free one) or by dropping them on a tile;
/// tiles swap by dragging one onto another.
///
/// Tiles outside the current layout keep their channels but close their streams, so switching
/// from 16 to 4 and back costs no bandwidth meanwhile and loses nothing. Layout, channels and
/// stream profiles are saved to and restored from the settings. Channel names and online
/// state come from the registry (coalesced). GUI thread.
class VideoGrid : public QWidget {
    Q_OBJECT

public:
    enum class Layout : std::uint8_t { One, Four, Nine, Sixteen, TwentyFive, OnePlusFive, OnePlusSeven };
    Q_ENUM(Layout)
    static constexpr int kMaxTiles = 25;
    static constexpr int kSpacing = 2;

    /// Where a tile sits in its layout, in cells of a square grid.
    struct Cell {
        int column = 0;
        int row = 0;
        int span = 1; ///< columns and rows it covers
        friend bool operator==(const Cell &, const Cell &) = default;
    };
    static const QList<Layout> &allLayouts();
    /// Cells per side of the layout's square grid: 1, 2, 3, 4, 5, 3, 4.
    static int gridSize(Layout layout);
    static QList<Cell> cells(Layout layout);
    static int tileCount(Layout layout) { return int(cells(layout).size()); }
    /// "1", "4", "9", "16", "25", "1+5", "1+7": the settings value and the toolbar text.
    static QString layoutKey(Layout layout);
    static std::optional<Layout> layoutFromKey(QStringView key);
    /// Translated, for menus: "4 Tiles", "1+5 Tiles"...
    static QString layoutName(Layout layout);
    /// The geometry of cell `cell` of a `layout` grid filling `area`.
    static QRect cellRect(Layout layout, const Cell &cell, const QRect &area);

    explicit VideoGrid(ConsoleBackend &backend, QWidget *parent = nullptr);
    ~VideoGrid() override;

    Layout gridLayout() const noexcept { return m_layout; }
    void setGridLayout(Layout layout);
    /// Tiles in the current layout.
    int tileCount() const { return tileCount(m_layout); }
    VideoTile *tile(int index) const;
    /// The window the tiles' pictures are painted in.
    GridSurface *surface() const noexcept { return m_surface; }

    int selectedIndex() const noexcept { return m_selected; }
    void selectTile(int index);
    /// The channel in the selected tile (empty when none).
    QString selectedChannel() const;

    /// The maximised tile, or -1.
    int maximizedIndex() const noexcept { return m_maximized; }
    void toggleMaximized(int index);

    /// Whether the grid chooses each tile's stream by the tile's size (ConsoleSettings::
    /// automaticStreams): tiles at least half as wide as the grid — layouts 1 and 4, the large
    /// tile of 1+5 and 1+7, a maximized tile — play the main stream, smaller ones the sub
    /// stream. The grid chooses when a channel is opened without a stream profile, when the
    /// layout changes, when tiles swap and when a tile is maximized or restored; a choice the
    /// operator makes in a tile's menu holds until then. Off: tiles play what they were given,
    /// the main stream unless told otherwise. Switching it on applies it at once.
    bool automaticStreams() const noexcept { return m_automaticStreams; }
    void setAutomaticStreams(bool on);
    /// The stream the automatic choice gives tile `index` in the current layout.
    Devices::StreamProfile automaticProfile(int index) const;
    /// The stream the grid gives `channelId` in tile `index`: the sub stream when the channel's
    /// device is set to play its sub stream (device properties: slow links), else
    /// automaticProfile() with automatic streams on, else the main stream.
    Devices::StreamProfile chosenProfile(int index, const QString &channelId) const;

    /// Opens `channelId` in tile `tileIndex`, or (with -1) in the selected tile when it is
    /// free, else in the first free tile, else in the selected one. A channel already shown
    /// is not opened twice: its tile is selected. Without a profile, the grid chooses (see
    /// automaticStreams()). Returns the tile used, or -1.
    int openChannel(const QString &channelId, int tileIndex = -1,
                    std::optional<Devices::StreamProfile> profile = std::nullopt);
    /// Opens several channels: the first in `firstTile` (-1: where openChannel() would put
    /// it), the others in the free tiles after it.
    void openChannels(const QStringList &channelIds, int firstTile = -1);
    void closeTile(int index);
    void closeAll();
    void swapTiles(int from, int to);

    /// Channels of the current layout with an open stream.
    QStringList streamingChannels() const;
    int openStreamCount() const;
    std::int64_t inboundBitrateBps() const;

    void saveState(QSettings &settings) const;
    void restoreState(QSettings &settings);

    /// Actions for menus and the tool bar: the layouts (checkable, Ctrl+1...Ctrl+7), and
    /// snapshot, maximise, close and close all for the selected tile.
    QList<QAction *> layoutActions() const;
    QAction *snapshotAction() const noexcept { return m_snapshotAction; }
    QAction *maximizeAction() const noexcept { return m_maximizeAction; }
    QAction *closeAction() const noexcept { return m_closeAction; }
    QAction *closeAllAction() const noexcept { return m_closeAllAction; }

Q_SIGNALS:
    void layoutChanged(Vigil::Ui::VideoGrid::Layout layout);
    void selectionChanged(int index);
    /// A tile's channel, stream or state changed (the tree's streaming icons, the status bar).
    void tilesChanged();
    void statusMessage(const QString &message);

protected:
    void resizeEvent(QResizeEvent *event) override;
    /// Arrows move the selection, Enter maximises and restores, Delete closes the tile.
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void retranslate();
    void relayout();
    void updateActions();
    void refreshAllChannelInfo();
    void scheduleInfoRefresh();
    void tick();
    /// Gives tile `index` (every tile of the layout with -1) chosenProfile(); with
    /// `keepOperatorChoices`, only tiles already playing the grid's choice.
    void applyChosenProfiles(int index, bool keepOperatorChoices);
    /// applyChosenProfiles(index, false) when automatic streams are on: the layout, a
    /// maximization or the tiles' places changed.
    void applyAutomaticProfiles(int index = -1);
    void showContextMenu(int index, const QPoint &globalPos);
    /// The tile next to `index` in an arrow key's direction, or -1.
    int neighbour(int index, Qt::Key direction) const;
    void onTileChanged();

    ConsoleBackend &m_backend;
    GridSurface *m_surface = nullptr; ///< owned by m_surfaceContainer
    QWidget *m_surfaceContainer = nullptr;
    std::array<VideoTile *, kMaxTiles> m_tiles{};
    Layout m_layout = Layout::Four;
    int m_selected = 0;
    int m_maximized = -1;
    bool m_automaticStreams = true;
    QTimer *m_tickTimer = nullptr;
    QTimer *m_infoTimer = nullptr;
    QActionGroup *m_layoutGroup = nullptr;
    QAction *m_snapshotAction = nullptr;
    QAction *m_maximizeAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_closeAllAction = nullptr;
};

} // namespace Vigil::Ui
