#pragma once

#include "videooverlay.h"
#include "yuvframe.h"

#include <QColor>
#include <QPointer>
#include <QWindow>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

class QThread;

namespace Vigil::Ui {

/// The video grid's pictures, painted into one native OpenGL window from a render thread of its
/// own, so that the GUI thread never waits for the graphics driver: with a software renderer
/// (llvmpipe, a virtual machine) one pass over a full grid takes tens of milliseconds, and in
/// the GUI thread every tile's input and the whole window would wait for it.
///
/// The window shows up to kMaxTiles tiles, each a rectangle with a border, a picture (aspect
/// ratio kept, letterboxed on black, optionally dimmed) and an overlay (title, state text,
/// statistics) painted here on the GUI thread when it changes and blended as a texture. The GUI
/// thread hands over only the newest state; the render thread paints when something changed, at
/// most maximumRate() passes a second, uploading each new picture once and only as many of its
/// rows as show (YuvPainter::rowStepFor()). Nothing queues up.
///
/// The window does not take keyboard focus. Its mouse and drag-and-drop input goes to the
/// widgets of the input target (the grid whose tiles these are) under the pointer, as if they
/// had been under it, so those widgets keep all the interaction: embed the window with
/// QWidget::createWindowContainer() over them, the container covering the input target exactly
/// (window positions are taken as the target's) and with Qt::WA_TransparentForMouseEvents.
///
/// Where OpenGL cannot be used from another thread, or with VIGIL_VIDEO_RENDER_THREAD=0 in the
/// environment (for a driver that misbehaves with it), the same passes run in the GUI thread.
/// The window's methods are for the GUI thread.
class GridSurface : public QWindow {
    Q_OBJECT

public:
    static constexpr int kMaxTiles = 25;
    static constexpr int kHardwareRate = 60;
    static constexpr int kSoftwareRate = 30;

    explicit GridSurface(QWidget *inputTarget = nullptr);
    ~GridSurface() override;

    /// The colour between and around the tiles.
    void setBackground(const QColor &color);

    /// Where tile `slot` sits in the window (logical pixels); empty hides it.
    void setTileRect(int slot, const QRect &rect);
    QRect tileRect(int slot) const;
    /// The tile's border (width in logical pixels) and its colour.
    void setTileBorder(int slot, const QColor &color, int width = 2);
    /// The picture shown from the next pass on; null: none (black).
    void setTileFrame(int slot, std::shared_ptr<const YuvFrame> frame);
    void setTileOverlay(int slot, const VideoOverlay &overlay);

    /// Where the tile's picture lands in the window (logical pixels); empty without one.
    QRect pictureRect(int slot) const;

    /// The most passes a second; a display's vertical sync may allow fewer. By default
    /// kHardwareRate, and kSoftwareRate on a rasterizer that runs on the CPU (llvmpipe, a virtual
    /// machine's), where every pass over a full window costs the processor as much as several
    /// cameras' decoding: 30 still shows every picture of 25 fps cameras.
    int maximumRate() const noexcept;
    /// A fixed maximumRate() (0: the default).
    void setMaximumRate(int passesPerSecond);

    /// Pictures of tile `slot` uploaded to the GPU so far (each painted from then on).
    quint64 uploadCount(int slot) const;
    /// Passes painted so far.
    quint64 passCount() const noexcept { return m_passes.load(std::memory_order_relaxed); }
    /// Whether the passes run in a thread of their own.
    bool isThreaded() const noexcept { return m_threaded; }

    /// Paints a pass now and returns what it painted (device pixels); null when the window is
    /// not on screen or cannot be painted. Waits for the render thread: for tests, screenshots
    /// and diagnostics only.
    QImage grabFramebuffer();
    /// The part of grabFramebuffer() tile `slot` covers; null when it is hidden or not on screen.
    QImage grabTile(int slot);

    /// Why video cannot be shown (empty when it can); translated.
    QString glError() const;

Q_SIGNALS:
    /// glError() changed.
    void glErrorChanged();

protected:
    bool event(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void exposeEvent(QExposeEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Tile;
    struct Scene;
    class Renderer;

    /// Marks the scene changed and wakes the painter.
    void changed();
    void repaintOverlay(int slot);
    void updateGeometryState();
    /// Stops painting and frees the GL context (the native window is about to go).
    void releaseGl();

    /// Forwarding of input to the input target's widgets.
    QWidget *widgetAt(const QPointF &pos) const;
    void forwardMouse(QMouseEvent *event);
    void forwardDrag(QEvent *event);
    /// Sends the widget under the drag a leave and forgets it.
    void leaveDragTarget();
    void setHoverTarget(QWidget *widget, const QPointF &pos);

    QPointer<QWidget> m_inputTarget;
    QPointer<QWidget> m_mouseGrabber; ///< the widget the pressed button went to
    QPointer<QWidget> m_hoverTarget;
    QPointer<QWidget> m_dragTarget;
    bool m_dragAccepted = false;

    std::array<VideoOverlay, kMaxTiles> m_overlays;
    std::unique_ptr<Renderer> m_renderer;
    std::atomic<int> m_maximumRate{0};
    std::atomic<bool> m_softwareRenderer{false};
    std::atomic<quint64> m_passes{0};
    bool m_threaded = false;
    QThread *m_renderThread = nullptr;
    // Without a render thread: passes from a timer in the GUI thread.
    bool m_passScheduled = false;
    std::chrono::steady_clock::time_point m_lastGuiPass;
};

} // namespace Vigil::Ui
