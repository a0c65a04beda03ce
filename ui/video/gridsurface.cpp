#include "gridsurface.h"

#include "graphicsinfo.h"
#include "uilogging.h"
#include "yuvpainter.h"

#include <QContextMenuEvent>
#include <QCoreApplication>
#include <QDropEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QPlatformSurfaceEvent>
#include <QThread>
#include <QTimer>
#include <QWidget>

#include <chrono>
#include <cmath>

using namespace std::chrono_literals;

namespace Vigil::Ui {

namespace {

using Clock = std::chrono::steady_clock;

constexpr float kDimFactor = 0.4f;
const QColor kLetterbox(Qt::black);

QRect toDevice(const QRect &rect, qreal ratio)
{
    if (ratio == 1.0)
        return rect;
    const int left = int(std::lround(rect.x() * ratio));
    const int top = int(std::lround(rect.y() * ratio));
    const int right = int(std::lround((rect.x() + rect.width()) * ratio));
    const int bottom = int(std::lround((rect.y() + rect.height()) * ratio));
    return QRect(left, top, right - left, bottom - top);
}

/// The tile's inside: its rectangle less the border.
QRect innerRect(const QRect &rect, int border)
{
    return rect.adjusted(border, border, -border, -border);
}

} // namespace

struct GridSurface::Tile {
    QRect rect; ///< logical pixels
    QColor border{0x30, 0x30, 0x30};
    int borderWidth = 2;
    std::shared_ptr<const YuvFrame> frame;
    quint64 frameSerial = 0;
    bool dim = false;
    OverlayImage overlay;
    quint64 overlaySerial = 0;
};

struct GridSurface::Scene {
    std::array<Tile, kMaxTiles> tiles;
    QSize size; ///< device pixels
    qreal ratio = 1.0;
    bool exposed = false;
    QColor background{0x10, 0x10, 0x10};
};

/// The scene shared with the painter, and the painter: a thread of its own (or the GUI thread
/// where OpenGL cannot be used from another one) that owns the GL context.
class GridSurface::Renderer {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Ui::GridSurface)

public:
    explicit Renderer(GridSurface &window)
        : m_window(window)
        , m_format(window.requestedFormat())
    {
    }

    // Shared, under m_mutex.
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    Scene m_scene;
    bool m_dirty = false;
    bool m_stop = false;
    bool m_releaseRequested = false;
    bool m_grabRequested = false;
    QImage m_grabbed;
    QString m_error;
    std::array<std::atomic<quint64>, kMaxTiles> m_uploads{};

    /// The thread's loop: a pass whenever the scene changed, at most maximumRate() a second.
    void run()
    {
        std::unique_lock lock(m_mutex);
        Clock::time_point lastPass;
        while (true) {
            m_wake.wait(lock, [this] {
                return m_stop || m_releaseRequested || m_grabRequested
                    || (m_dirty && m_scene.exposed && !m_scene.size.isEmpty());
            });
            if (m_stop)
                break;
            if (m_releaseRequested) {
                lock.unlock();
                freeGl();
                lock.lock();
                m_releaseRequested = false;
                m_done.notify_all();
                continue;
            }
            if (!m_grabRequested) {
                const auto due = lastPass + passInterval();
                if (Clock::now() < due) {
                    m_wake.wait_until(lock, due, [this] { return m_stop || m_releaseRequested || m_grabRequested; });
                    continue;
                }
            }
            const bool grab = m_grabRequested;
            QImage image;
            {
                const Scene scene = m_scene; // pictures and overlays are shared, not copied
                m_dirty = false;
                lastPass = Clock::now(); // the pace counts from the start of a pass
                lock.unlock();
                if (scene.exposed)
                    pass(scene, grab ? &image : nullptr);
            } // the pictures this pass held go back to their decoders outside the lock
            lock.lock();
            if (grab) {
                m_grabbed = std::move(image);
                m_grabRequested = false;
                m_done.notify_all();
            }
        }
        lock.unlock();
        freeGl();
    }

    Clock::duration passInterval() const
    {
        return std::chrono::microseconds(1'000'000 / std::max(1, m_window.maximumRate()));
    }

    /// One pass over `scene`; with `grab`, what it painted is read back. False when nothing
    /// could be painted.
    bool pass(const Scene &scene, QImage *grab)
    {
        if (!m_context && (m_contextFailed || !createContext()))
            return false;
        if (!m_context->makeCurrent(&m_window))
            return false;
        const QString errorBefore = m_painter.error();
        m_painter.begin(scene.size, scene.background);
        for (std::size_t i = 0; i < scene.tiles.size(); ++i) {
            const Tile &tile = scene.tiles[i];
            if (tile.rect.isEmpty())
                continue;
            const QRect outer = toDevice(tile.rect, scene.ratio);
            const QRect inner = toDevice(innerRect(tile.rect, tile.borderWidth), scene.ratio);
            TileGl &gl = m_tiles[i];
            fillAround(outer, inner, tile.border);
            if (!tile.frame) {
                m_painter.fill(inner, kLetterbox);
                if (gl.textures.hasPicture) // the tile closed: its textures can go (a 1080p picture's are 3 MB)
                    m_painter.releasePicture(gl.textures);
            } else {
                const QRect target = YuvPainter::fitRect(QSize(tile.frame->width(), tile.frame->height()), inner);
                fillAround(inner, target, kLetterbox);
                // A 1080p picture in a quarter-height tile: a quarter of its rows is all that shows.
                const int rowStep = YuvPainter::rowStepFor(tile.frame->height(), target.height());
                if (gl.frameSerial != tile.frameSerial || !gl.textures.hasPicture || gl.textures.rowStep != rowStep) {
                    m_painter.upload(gl.textures, *tile.frame, rowStep);
                    gl.frameSerial = tile.frameSerial;
                    m_uploads[i].fetch_add(1, std::memory_order_relaxed);
                }
                m_painter.drawPicture(gl.textures, *tile.frame, target, tile.dim ? kDimFactor : 1.0f);
            }
            if (!tile.overlay.image.isNull()) {
                if (gl.overlaySerial != tile.overlaySerial || gl.textures.overlay == 0) {
                    m_painter.uploadOverlay(gl.textures, tile.overlay.image);
                    gl.overlaySerial = tile.overlaySerial;
                }
                m_painter.drawOverlay(gl.textures, inner.topLeft(), tile.overlay.parts);
            }
        }
        m_painter.end();
        if (grab)
            *grab = m_painter.readPixels(scene.size);
        m_context->swapBuffers(&m_window);
        m_window.m_passes.fetch_add(1, std::memory_order_relaxed);
        if (m_painter.error() != errorBefore)
            setError(m_painter.error());
        return true;
    }

    /// Fills what of `outer` lies outside `inner` (a rectangle inside it): a frame of four strips,
    /// so that no pixel is filled twice (a software renderer pays for every one).
    void fillAround(const QRect &outer, const QRect &inner, const QColor &color)
    {
        if (inner.isEmpty()) {
            m_painter.fill(outer, color);
            return;
        }
        m_painter.fill(QRect(outer.left(), outer.top(), outer.width(), inner.top() - outer.top()), color);
        m_painter.fill(QRect(outer.left(), inner.bottom() + 1, outer.width(), outer.bottom() - inner.bottom()), color);
        m_painter.fill(QRect(outer.left(), inner.top(), inner.left() - outer.left(), inner.height()), color);
        m_painter.fill(QRect(inner.right() + 1, inner.top(), outer.right() - inner.right(), inner.height()), color);
    }

    /// Frees every GL object and the context (in the thread that made them).
    void freeGl()
    {
        m_contextFailed = false;
        if (!m_context)
            return;
        if (m_context->makeCurrent(&m_window)) {
            for (TileGl &gl : m_tiles)
                m_painter.releaseTextures(gl.textures);
            m_painter.release();
            m_context->doneCurrent();
        }
        m_tiles = {};
        m_context.reset();
    }

private:
    bool createContext()
    {
        auto context = std::make_unique<QOpenGLContext>();
        context->setFormat(m_format);
        if (!context->create() || !context->makeCurrent(&m_window)) {
            // Not again for every picture: the next native window gets the next try.
            m_contextFailed = true;
            qCWarning(lcUi) << "no OpenGL context for the video grid's window";
            if (m_error.isEmpty()) {
                setError(tr("Video cannot be shown: no OpenGL context could be made for the video window."));
                m_showsContextError = true;
            }
            return false;
        }
        m_context = std::move(context);
        if (std::exchange(m_showsContextError, false))
            setError(QString());
        m_painter.initialize(m_context.get());
        const auto *renderer = reinterpret_cast<const char *>(m_context->functions()->glGetString(GL_RENDERER));
        const QString rendererName = QString::fromLatin1(renderer ? renderer : "");
        m_window.m_softwareRenderer = GraphicsInfo::isSoftwareRenderer(rendererName);
        qCDebug(lcUi).noquote() << "video grid painted by" << rendererName << "from"
                                << (QThread::currentThread() == m_window.thread() ? "the GUI thread" : "a render thread")
                                << "at most" << m_window.maximumRate() << "passes/s";
        return true;
    }

    void setError(const QString &error)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_error = error;
        }
        QMetaObject::invokeMethod(&m_window, &GridSurface::glErrorChanged, Qt::QueuedConnection);
    }

    GridSurface &m_window;
    const QSurfaceFormat m_format;
    // The painter's own, in the thread that paints.
    std::unique_ptr<QOpenGLContext> m_context;
    bool m_contextFailed = false;     ///< for the current native window
    bool m_showsContextError = false; ///< m_error is that failure
    YuvPainter m_painter;
    /// A tile's textures and which of its pictures and overlays they hold.
    struct TileGl {
        YuvPainter::Textures textures;
        quint64 frameSerial = 0;
        quint64 overlaySerial = 0;
    };
    std::array<TileGl, kMaxTiles> m_tiles{};
};

GridSurface::GridSurface(QWidget *inputTarget)
    : m_inputTarget(inputTarget)
{
    setSurfaceType(QSurface::OpenGLSurface);
    setFlag(Qt::WindowDoesNotAcceptFocus);
    m_renderer = std::make_unique<Renderer>(*this);
    // VIGIL_VIDEO_RENDER_THREAD=0: the way around a graphics driver that misbehaves with it.
    m_threaded = QOpenGLContext::supportsThreadedOpenGL() && qEnvironmentVariable("VIGIL_VIDEO_RENDER_THREAD") != u"0";
    if (!m_threaded)
        qCInfo(lcUi) << "the video grid is painted in the GUI thread";
    if (m_threaded) {
        m_renderThread = QThread::create([this] { m_renderer->run(); });
        m_renderThread->setObjectName(QStringLiteral("video render"));
        m_renderThread->start();
    }
}

GridSurface::~GridSurface()
{
    if (m_renderThread) {
        {
            const std::lock_guard lock(m_renderer->m_mutex);
            m_renderer->m_stop = true;
        }
        m_renderer->m_wake.notify_all();
        m_renderThread->wait();
        delete m_renderThread;
    } else {
        m_renderer->freeGl();
    }
}

void GridSurface::changed()
{
    if (m_threaded) {
        // Under the caller's lock.
        m_renderer->m_dirty = true;
        m_renderer->m_wake.notify_one();
        return;
    }
    m_renderer->m_dirty = true;
    if (m_passScheduled)
        return;
    m_passScheduled = true;
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(m_lastGuiPass + m_renderer->passInterval() - Clock::now());
    QTimer::singleShot(std::max<qint64>(0, wait.count()), this, [this] {
        m_passScheduled = false;
        if (!m_renderer->m_dirty || !m_renderer->m_scene.exposed || m_renderer->m_scene.size.isEmpty())
            return;
        m_renderer->m_dirty = false;
        m_lastGuiPass = Clock::now();
        m_renderer->pass(m_renderer->m_scene, nullptr);
    });
}

void GridSurface::setBackground(const QColor &color)
{
    const std::lock_guard lock(m_renderer->m_mutex);
    m_renderer->m_scene.background = color;
    changed();
}

void GridSurface::setTileRect(int slot, const QRect &rect)
{
    if (slot < 0 || slot >= kMaxTiles)
        return;
    bool resized = false;
    {
        const std::lock_guard lock(m_renderer->m_mutex);
        Tile &tile = m_renderer->m_scene.tiles[std::size_t(slot)];
        if (tile.rect == rect)
            return;
        resized = tile.rect.size() != rect.size();
        tile.rect = rect;
        changed();
    }
    if (resized)
        repaintOverlay(slot);
}

QRect GridSurface::tileRect(int slot) const
{
    if (slot < 0 || slot >= kMaxTiles)
        return {};
    const std::lock_guard lock(m_renderer->m_mutex);
    return m_renderer->m_scene.tiles[std::size_t(slot)].rect;
}

void GridSurface::setTileBorder(int slot, const QColor &color, int width)
{
    if (slot < 0 || slot >= kMaxTiles)
        return;
    bool resized = false;
    {
        const std::lock_guard lock(m_renderer->m_mutex);
        Tile &tile = m_renderer->m_scene.tiles[std::size_t(slot)];
        if (tile.border == color && tile.borderWidth == width)
            return;
        resized = tile.borderWidth != width;
        tile.border = color;
        tile.borderWidth = width;
        changed();
    }
    if (resized)
        repaintOverlay(slot);
}

void GridSurface::setTileFrame(int slot, std::shared_ptr<const YuvFrame> frame)
{
    if (slot < 0 || slot >= kMaxTiles)
        return;
    std::shared_ptr<const YuvFrame> old; // freed outside the lock
    const std::lock_guard lock(m_renderer->m_mutex);
    Tile &tile = m_renderer->m_scene.tiles[std::size_t(slot)];
    old = std::exchange(tile.frame, std::move(frame));
    ++tile.frameSerial;
    changed();
}

void GridSurface::setTileOverlay(int slot, const VideoOverlay &overlay)
{
    if (slot < 0 || slot >= kMaxTiles || m_overlays[std::size_t(slot)] == overlay)
        return;
    m_overlays[std::size_t(slot)] = overlay;
    repaintOverlay(slot);
}

void GridSurface::repaintOverlay(int slot)
{
    const VideoOverlay &overlay = m_overlays[std::size_t(slot)];
    QRect inner;
    {
        const std::lock_guard lock(m_renderer->m_mutex);
        const Tile &tile = m_renderer->m_scene.tiles[std::size_t(slot)];
        inner = innerRect(tile.rect, tile.borderWidth);
    }
    // Painted here, outside the lock: text takes a while.
    OverlayImage image = OverlayImage::paint(overlay, inner.size(), devicePixelRatio());
    OverlayImage old;
    const std::lock_guard lock(m_renderer->m_mutex);
    Tile &tile = m_renderer->m_scene.tiles[std::size_t(slot)];
    old = std::exchange(tile.overlay, std::move(image));
    tile.dim = overlay.dimPicture;
    ++tile.overlaySerial;
    changed();
}

QRect GridSurface::pictureRect(int slot) const
{
    if (slot < 0 || slot >= kMaxTiles)
        return {};
    const std::lock_guard lock(m_renderer->m_mutex);
    const Tile &tile = m_renderer->m_scene.tiles[std::size_t(slot)];
    if (!tile.frame)
        return {};
    return YuvPainter::fitRect(QSize(tile.frame->width(), tile.frame->height()), innerRect(tile.rect, tile.borderWidth));
}

int GridSurface::maximumRate() const noexcept
{
    if (const int fixed = m_maximumRate.load(std::memory_order_relaxed); fixed > 0)
        return fixed;
    return m_softwareRenderer.load(std::memory_order_relaxed) ? kSoftwareRate : kHardwareRate;
}

void GridSurface::setMaximumRate(int passesPerSecond)
{
    m_maximumRate = passesPerSecond <= 0 ? 0 : std::min(passesPerSecond, 1000);
}

quint64 GridSurface::uploadCount(int slot) const
{
    if (slot < 0 || slot >= kMaxTiles)
        return 0;
    return m_renderer->m_uploads[std::size_t(slot)].load(std::memory_order_relaxed);
}

QString GridSurface::glError() const
{
    const std::lock_guard lock(m_renderer->m_mutex);
    return m_renderer->m_error;
}

QImage GridSurface::grabFramebuffer()
{
    updateGeometryState(); // a resize whose event has not come yet
    if (!m_threaded) {
        if (!isExposed())
            return {};
        QImage image;
        m_renderer->pass(m_renderer->m_scene, &image);
        return image;
    }
    std::unique_lock lock(m_renderer->m_mutex);
    if (!m_renderer->m_scene.exposed)
        return {};
    m_renderer->m_grabRequested = true;
    m_renderer->m_wake.notify_one();
    if (!m_renderer->m_done.wait_for(lock, 10s, [this] { return !m_renderer->m_grabRequested; })) {
        qCWarning(lcUi) << "the video render thread did not answer a grab in 10 s";
        m_renderer->m_grabRequested = false;
        return {};
    }
    return std::exchange(m_renderer->m_grabbed, QImage());
}

QImage GridSurface::grabTile(int slot)
{
    const QRect tile = tileRect(slot);
    const QImage whole = tile.isEmpty() ? QImage() : grabFramebuffer();
    return whole.isNull() ? QImage() : whole.copy(toDevice(tile, devicePixelRatio()));
}

void GridSurface::updateGeometryState()
{
    const qreal ratio = devicePixelRatio();
    const QSize size(int(std::lround(width() * ratio)), int(std::lround(height() * ratio)));
    bool ratioChanged = false;
    {
        const std::lock_guard lock(m_renderer->m_mutex);
        Scene &scene = m_renderer->m_scene;
        scene.size = size;
        ratioChanged = scene.ratio != ratio;
        scene.ratio = ratio;
        scene.exposed = isExposed();
        changed();
    }
    // Another screen or scale: the overlays' text at the new pixel density.
    if (ratioChanged) {
        for (int slot = 0; slot < kMaxTiles; ++slot)
            repaintOverlay(slot);
    }
}

void GridSurface::exposeEvent(QExposeEvent *)
{
    updateGeometryState();
}

void GridSurface::resizeEvent(QResizeEvent *)
{
    updateGeometryState();
}

void GridSurface::releaseGl()
{
    {
        const std::lock_guard lock(m_renderer->m_mutex);
        m_renderer->m_scene.exposed = false;
    }
    if (!m_threaded) {
        m_renderer->freeGl();
        return;
    }
    std::unique_lock lock(m_renderer->m_mutex);
    m_renderer->m_releaseRequested = true;
    m_renderer->m_wake.notify_one();
    m_renderer->m_done.wait(lock, [this] { return !m_renderer->m_releaseRequested; });
}

bool GridSurface::event(QEvent *event)
{
    switch (event->type()) {
    case QEvent::PlatformSurface:
        if (static_cast<QPlatformSurfaceEvent *>(event)->surfaceEventType()
            == QPlatformSurfaceEvent::SurfaceAboutToBeDestroyed)
            releaseGl();
        break;
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseButtonDblClick:
    case QEvent::MouseMove:
        forwardMouse(static_cast<QMouseEvent *>(event));
        return true;
    case QEvent::Leave:
        setHoverTarget(nullptr, {});
        return true;
    case QEvent::DragEnter:
    case QEvent::DragMove:
    case QEvent::DragLeave:
    case QEvent::Drop:
        forwardDrag(event);
        return true;
    default:
        break;
    }
    return QWindow::event(event);
}

bool GridSurface::eventFilter(QObject *watched, QEvent *event)
{
    // The hovered widget hides under the pointer (a tile leaves the layout): Qt would send it a
    // leave event if the pointer were on it rather than on this window.
    if (event->type() == QEvent::Hide && watched == m_hoverTarget)
        setHoverTarget(nullptr, {});
    return QWindow::eventFilter(watched, event);
}

QWidget *GridSurface::widgetAt(const QPointF &pos) const
{
    if (!m_inputTarget)
        return nullptr;
    QWidget *child = m_inputTarget->childAt(pos.toPoint());
    return child ? child : m_inputTarget.data();
}

void GridSurface::setHoverTarget(QWidget *widget, const QPointF &pos)
{
    if (widget == m_hoverTarget)
        return;
    if (m_hoverTarget) {
        m_hoverTarget->removeEventFilter(this);
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(m_hoverTarget, &leave);
    }
    m_hoverTarget = widget;
    if (widget) {
        widget->installEventFilter(this); // to leave it when it hides, as Qt does for widgets
        const QPointF local = widget->mapFrom(m_inputTarget, pos);
        QEnterEvent enter(local, widget->mapTo(widget->window(), local), mapToGlobal(pos));
        QCoreApplication::sendEvent(widget, &enter);
    }
}

void GridSurface::forwardMouse(QMouseEvent *event)
{
    const QPointF pos = event->position();
    if (event->type() == QEvent::MouseMove && event->buttons() == Qt::NoButton)
        m_mouseGrabber = nullptr; // a drag that ate the release, or a grabber that went away
    QWidget *target = m_mouseGrabber ? m_mouseGrabber.data() : widgetAt(pos);
    if (!m_mouseGrabber)
        setHoverTarget(target, pos);
    if (!target)
        return;
    if (event->type() == QEvent::MouseButtonPress) {
        m_mouseGrabber = target;
        if (!target->isActiveWindow())
            target->activateWindow();
        if (target->focusPolicy() & Qt::ClickFocus)
            target->setFocus(Qt::MouseFocusReason);
    }
    const QPointF local = target->mapFrom(m_inputTarget, pos);
    QMouseEvent forwarded(event->type(), local, target->mapTo(target->window(), local), event->globalPosition(),
                          event->button(), event->buttons(), event->modifiers(), event->pointingDevice());
    forwarded.setTimestamp(event->timestamp());
    QPointer<QWidget> guard(target);
    QCoreApplication::sendEvent(target, &forwarded);
    event->setAccepted(forwarded.isAccepted());
#ifdef Q_OS_WIN
    constexpr QEvent::Type kContextMenuOn = QEvent::MouseButtonRelease;
#else
    constexpr QEvent::Type kContextMenuOn = QEvent::MouseButtonPress;
#endif
    if (guard && event->type() == kContextMenuOn && event->button() == Qt::RightButton
        && guard->contextMenuPolicy() == Qt::DefaultContextMenu) {
        QContextMenuEvent menu(QContextMenuEvent::Mouse, local.toPoint(), event->globalPosition().toPoint(),
                               event->modifiers());
        QCoreApplication::sendEvent(guard, &menu);
    }
    if (event->type() == QEvent::MouseButtonRelease && event->buttons() == Qt::NoButton)
        m_mouseGrabber = nullptr;
}

void GridSurface::leaveDragTarget()
{
    if (m_dragTarget) {
        QDragLeaveEvent leave;
        QCoreApplication::sendEvent(m_dragTarget, &leave);
    }
    m_dragTarget = nullptr;
    m_dragAccepted = false;
}

void GridSurface::forwardDrag(QEvent *event)
{
    if (event->type() == QEvent::DragLeave) {
        leaveDragTarget();
        return;
    }
    auto *drop = static_cast<QDropEvent *>(event);
    QWidget *target = widgetAt(drop->position());
    while (target && target != m_inputTarget && !target->acceptDrops())
        target = target->parentWidget();
    if (target && !target->acceptDrops())
        target = nullptr;
    const QPointF local = target ? target->mapFrom(m_inputTarget, drop->position()) : QPointF();

    if (event->type() == QEvent::Drop) {
        drop->ignore();
        if (target && target == m_dragTarget && m_dragAccepted) {
            QDropEvent forwarded(local, drop->possibleActions(), drop->mimeData(), drop->buttons(), drop->modifiers());
            QCoreApplication::sendEvent(target, &forwarded);
            drop->setDropAction(forwarded.dropAction());
            drop->setAccepted(forwarded.isAccepted());
            m_dragTarget = nullptr; // dropped on: no leave
        }
        leaveDragTarget();
        return;
    }

    if (target != m_dragTarget) {
        leaveDragTarget();
        m_dragTarget = target;
        if (target) {
            QDragEnterEvent enter(local.toPoint(), drop->possibleActions(), drop->mimeData(), drop->buttons(),
                                  drop->modifiers());
            QCoreApplication::sendEvent(target, &enter);
            m_dragAccepted = enter.isAccepted();
            drop->setDropAction(enter.dropAction());
        }
    } else if (target) {
        QDragMoveEvent move(local.toPoint(), drop->possibleActions(), drop->mimeData(), drop->buttons(),
                            drop->modifiers());
        move.setAccepted(m_dragAccepted);
        if (m_dragAccepted)
            move.setDropAction(drop->proposedAction());
        QCoreApplication::sendEvent(target, &move);
        m_dragAccepted = move.isAccepted();
        drop->setDropAction(move.dropAction());
    }
    drop->setAccepted(m_dragAccepted);
}

} // namespace Vigil::Ui
