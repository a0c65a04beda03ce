#include "videogrid.h"

#include "consolebackend.h"
#include "devices/deviceregistry.h"
#include "gridsurface.h"
#include "icons.h"
#include "videotile.h"

#include <QAction>
#include <QKeyEvent>
#include <QActionGroup>
#include <QMenu>
#include <QSettings>
#include <QTimer>

#include <algorithm>
#include <limits>
#include <tuple>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

const QList<VideoGrid::Layout> &VideoGrid::allLayouts()
{
    static const QList<Layout> layouts{Layout::One,        Layout::Four,        Layout::Nine,        Layout::Sixteen,
                                       Layout::TwentyFive, Layout::OnePlusFive, Layout::OnePlusSeven};
    return layouts;
}

int VideoGrid::gridSize(Layout layout)
{
    switch (layout) {
    case Layout::One: return 1;
    case Layout::Four: return 2;
    case Layout::Nine: return 3;
    case Layout::Sixteen: return 4;
    case Layout::TwentyFive: return 5;
    case Layout::OnePlusFive: return 3;
    case Layout::OnePlusSeven: return 4;
    }
    return 1;
}

QList<VideoGrid::Cell> VideoGrid::cells(Layout layout)
{
    const int n = gridSize(layout);
    QList<Cell> result;
    if (layout == Layout::OnePlusFive || layout == Layout::OnePlusSeven) {
        // One big tile in the top-left corner, the small ones down the right and along the bottom.
        const int big = n - 1;
        result.append(Cell{0, 0, big});
        for (int row = 0; row < big; ++row)
            result.append(Cell{big, row, 1});
        for (int column = 0; column < n; ++column)
            result.append(Cell{column, big, 1});
        return result;
    }
    for (int row = 0; row < n; ++row) {
        for (int column = 0; column < n; ++column)
            result.append(Cell{column, row, 1});
    }
    return result;
}

QString VideoGrid::layoutKey(Layout layout)
{
    switch (layout) {
    case Layout::One: return u"1"_s;
    case Layout::Four: return u"4"_s;
    case Layout::Nine: return u"9"_s;
    case Layout::Sixteen: return u"16"_s;
    case Layout::TwentyFive: return u"25"_s;
    case Layout::OnePlusFive: return u"1+5"_s;
    case Layout::OnePlusSeven: return u"1+7"_s;
    }
    return {};
}

std::optional<VideoGrid::Layout> VideoGrid::layoutFromKey(QStringView key)
{
    for (Layout layout : allLayouts()) {
        if (layoutKey(layout) == key)
            return layout;
    }
    return std::nullopt;
}

QString VideoGrid::layoutName(Layout layout)
{
    switch (layout) {
    case Layout::One: return tr("1 Tile");
    case Layout::OnePlusFive: return tr("1+5 Tiles");
    case Layout::OnePlusSeven: return tr("1+7 Tiles");
    default: break;
    }
    return tr("%1 Tiles").arg(tileCount(layout));
}

QRect VideoGrid::cellRect(Layout layout, const Cell &cell, const QRect &area)
{
    const int n = gridSize(layout);
    // Edges at rounded fractions of the area, so that tiles meet exactly and share the rest.
    const auto edge = [n](int origin, int length, int i) {
        return origin + int((qint64(length + kSpacing) * i + n / 2) / n);
    };
    const int left = edge(area.x(), area.width(), cell.column);
    const int top = edge(area.y(), area.height(), cell.row);
    const int right = edge(area.x(), area.width(), cell.column + cell.span) - kSpacing;
    const int bottom = edge(area.y(), area.height(), cell.row + cell.span) - kSpacing;
    return QRect(QPoint(left, top), QPoint(right - 1, bottom - 1));
}

VideoGrid::VideoGrid(ConsoleBackend &backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
{
    setObjectName(u"videoGrid"_s);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(160, 120);
    setAutoFillBackground(true);
    QPalette background = palette();
    background.setColor(QPalette::Window, QColor(0x1b, 0x1b, 0x1b));
    setPalette(background);

    // The pictures: one native window over the tiles, painted from its own thread. Input that
    // reaches it goes on to the tile widgets under it.
    m_surface = new GridSurface(this);
    m_surface->setBackground(background.color(QPalette::Window));
    for (int i = 0; i < kMaxTiles; ++i) {
        auto *tile = new VideoTile(i, backend, m_surface, this);
        tile->hide();
        m_tiles[std::size_t(i)] = tile;
        connect(tile, &VideoTile::clicked, this, [this](int index) { selectTile(index); });
        connect(tile, &VideoTile::doubleClicked, this, &VideoGrid::toggleMaximized);
        connect(tile, &VideoTile::channelsDropped, this,
                [this](int index, const QStringList &channels) { openChannels(channels, index); });
        connect(tile, &VideoTile::tileDropped, this, &VideoGrid::swapTiles);
        connect(tile, &VideoTile::contextMenuRequested, this, &VideoGrid::showContextMenu);
        connect(tile, &VideoTile::statusMessage, this, &VideoGrid::statusMessage);
        connect(tile, &VideoTile::channelChanged, this, &VideoGrid::onTileChanged);
        connect(tile, &VideoTile::stateChanged, this, &VideoGrid::onTileChanged);
    }

    m_tickTimer = new QTimer(this);
    m_tickTimer->setInterval(500);
    connect(m_tickTimer, &QTimer::timeout, this, &VideoGrid::tick);
    m_tickTimer->start();

    m_infoTimer = new QTimer(this);
    m_infoTimer->setSingleShot(true);
    m_infoTimer->setInterval(200);
    connect(m_infoTimer, &QTimer::timeout, this, &VideoGrid::refreshAllChannelInfo);
    const Devices::DeviceRegistry *registry = &backend.registry();
    connect(registry, &Devices::DeviceRegistry::deviceChanged, this, &VideoGrid::scheduleInfoRefresh,
            Qt::QueuedConnection);
    connect(registry, &Devices::DeviceRegistry::deviceAdded, this, &VideoGrid::scheduleInfoRefresh,
            Qt::QueuedConnection);
    connect(registry, &Devices::DeviceRegistry::deviceRemoved, this, &VideoGrid::scheduleInfoRefresh,
            Qt::QueuedConnection);
    connect(registry, &Devices::DeviceRegistry::channelsChanged, this, &VideoGrid::scheduleInfoRefresh,
            Qt::QueuedConnection);

    // Made after the tiles, so destroyed after them: they hand back their pictures on the way.
    m_surfaceContainer = QWidget::createWindowContainer(m_surface, this);
    m_surfaceContainer->setObjectName(u"videoSurface"_s);
    m_surfaceContainer->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_surfaceContainer->setFocusPolicy(Qt::NoFocus);
    m_surfaceContainer->setGeometry(rect());
    m_surfaceContainer->raise();
    connect(m_surface, &GridSurface::glErrorChanged, this, [this] {
        for (VideoTile *t : m_tiles)
            t->refreshOverlay();
    });

    createActions();
    m_tiles[0]->setSelected(true);
    setGridLayout(Layout::Four);
}

VideoGrid::~VideoGrid() = default;

VideoTile *VideoGrid::tile(int index) const
{
    return index >= 0 && index < kMaxTiles ? m_tiles[std::size_t(index)] : nullptr;
}

void VideoGrid::createActions()
{
    m_layoutGroup = new QActionGroup(this);
    m_layoutGroup->setExclusive(true);
    int shortcut = 1;
    for (Layout layout : allLayouts()) {
        auto *action = new QAction(this);
        action->setObjectName(u"layout"_s + layoutKey(layout));
        action->setCheckable(true);
        action->setData(layoutKey(layout));
        QList<QRect> iconCells;
        for (const Cell &cell : cells(layout))
            iconCells.append(QRect(cell.column, cell.row, cell.span, cell.span));
        action->setIcon(Icons::layout(gridSize(layout), iconCells));
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + shortcut++)));
        connect(action, &QAction::triggered, this, [this, layout] { setGridLayout(layout); });
        m_layoutGroup->addAction(action);
    }
    m_snapshotAction = new QAction(Icons::snapshot(), QString(), this);
    m_snapshotAction->setObjectName(u"snapshot"_s);
    m_snapshotAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(m_snapshotAction, &QAction::triggered, this, [this] { m_tiles[std::size_t(m_selected)]->takeSnapshot(); });
    m_maximizeAction = new QAction(Icons::maximize(), QString(), this);
    m_maximizeAction->setObjectName(u"maximize"_s);
    m_maximizeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    m_maximizeAction->setCheckable(true);
    connect(m_maximizeAction, &QAction::triggered, this, [this] { toggleMaximized(m_selected); });
    m_closeAction = new QAction(QString(), this);
    m_closeAction->setObjectName(u"closeTile"_s);
    m_closeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    connect(m_closeAction, &QAction::triggered, this, [this] { closeTile(m_selected); });
    m_closeAllAction = new QAction(Icons::closeAll(), QString(), this);
    m_closeAllAction->setObjectName(u"closeAllTiles"_s);
    m_closeAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    connect(m_closeAllAction, &QAction::triggered, this, &VideoGrid::closeAll);
    addActions(m_layoutGroup->actions());
    addActions({m_snapshotAction, m_maximizeAction, m_closeAction, m_closeAllAction});
    retranslate();
}

void VideoGrid::retranslate()
{
    for (QAction *action : m_layoutGroup->actions()) {
        if (const auto layout = layoutFromKey(action->data().toString())) {
            action->setText(layoutName(*layout));
            action->setToolTip(tr("%1 (%2)").arg(layoutName(*layout),
                                                 action->shortcut().toString(QKeySequence::NativeText)));
        }
    }
    m_snapshotAction->setText(tr("&Snapshot"));
    m_snapshotAction->setToolTip(tr("Save a picture of the selected tile"));
    m_maximizeAction->setText(tr("Ma&ximize Tile"));
    m_closeAction->setText(tr("&Close Tile"));
    m_closeAllAction->setText(tr("Close &All Tiles"));
}

QList<QAction *> VideoGrid::layoutActions() const
{
    return m_layoutGroup->actions();
}

void VideoGrid::setGridLayout(Layout layout)
{
    const bool changed = layout != m_layout;
    m_layout = layout;
    m_maximized = -1;
    const int count = tileCount();
    // Streams first, so that tiles coming into the layout open the right one straight away.
    applyAutomaticProfiles();
    for (int i = 0; i < kMaxTiles; ++i)
        m_tiles[std::size_t(i)]->setActive(i < count);
    if (m_selected >= count)
        selectTile(0);
    for (QAction *action : m_layoutGroup->actions())
        action->setChecked(action->data().toString() == layoutKey(layout));
    relayout();
    updateActions();
    if (changed)
        Q_EMIT layoutChanged(layout);
}

void VideoGrid::relayout()
{
    const QRect area = rect().adjusted(kSpacing, kSpacing, 0, 0);
    const QList<Cell> layoutCells = cells(m_layout);
    for (int i = 0; i < kMaxTiles; ++i) {
        VideoTile *t = m_tiles[std::size_t(i)];
        if (m_maximized >= 0) {
            t->setVisible(i == m_maximized);
            if (i == m_maximized)
                t->setGeometry(cellRect(Layout::One, Cell{}, area));
        } else if (i < layoutCells.size()) {
            t->setGeometry(cellRect(m_layout, layoutCells[i], area));
            t->show();
        } else {
            t->hide();
        }
        m_surface->setTileRect(t->surfaceSlot(), t->isHidden() ? QRect() : t->geometry());
    }
    if (m_surfaceContainer)
        m_surfaceContainer->setGeometry(rect());
}

void VideoGrid::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void VideoGrid::selectTile(int index)
{
    if (index < 0 || index >= tileCount() || index == m_selected)
        return;
    m_tiles[std::size_t(m_selected)]->setSelected(false);
    m_selected = index;
    m_tiles[std::size_t(index)]->setSelected(true);
    updateActions();
    Q_EMIT selectionChanged(index);
}

QString VideoGrid::selectedChannel() const
{
    return m_tiles[std::size_t(m_selected)]->channelId();
}

void VideoGrid::toggleMaximized(int index)
{
    if (index < 0 || index >= tileCount())
        return;
    m_maximized = m_maximized >= 0 ? -1 : index;
    if (m_maximized >= 0)
        selectTile(index);
    applyAutomaticProfiles(index);
    relayout();
    updateActions();
}

void VideoGrid::setAutomaticStreams(bool on)
{
    if (on == m_automaticStreams)
        return;
    m_automaticStreams = on;
    applyAutomaticProfiles();
}

Devices::StreamProfile VideoGrid::automaticProfile(int index) const
{
    if (index == m_maximized)
        return Devices::StreamProfile::Main;
    const QList<Cell> layoutCells = cells(m_layout);
    if (index < 0 || index >= layoutCells.size())
        return Devices::StreamProfile::Main;
    return 2 * layoutCells[index].span >= gridSize(m_layout) ? Devices::StreamProfile::Main
                                                             : Devices::StreamProfile::Sub;
}

Devices::StreamProfile VideoGrid::chosenProfile(int index, const QString &channelId) const
{
    const Devices::DeviceRegistry &registry = m_backend.registry();
    if (const auto device = registry.deviceOf(channelId)) {
        if (const auto settings = registry.settings(*device);
            settings && settings->streamProfile == Devices::StreamProfile::Sub)
            return Devices::StreamProfile::Sub;
    }
    return m_automaticStreams ? automaticProfile(index) : Devices::StreamProfile::Main;
}

void VideoGrid::applyChosenProfiles(int index, bool keepOperatorChoices)
{
    const int count = tileCount();
    for (int i = 0; i < count; ++i) {
        VideoTile *t = m_tiles[std::size_t(i)];
        if (t->channelId().isEmpty() || (index >= 0 && i != index)
            || (keepOperatorChoices && t->profileChoice() != VideoTile::ProfileChoice::Automatic))
            continue;
        t->setProfile(chosenProfile(i, t->channelId()), VideoTile::ProfileChoice::Automatic);
    }
}

void VideoGrid::applyAutomaticProfiles(int index)
{
    if (m_automaticStreams)
        applyChosenProfiles(index, false);
}

int VideoGrid::openChannel(const QString &channelId, int tileIndex, std::optional<Devices::StreamProfile> profile)
{
    if (channelId.isEmpty())
        return -1;
    const int count = tileCount();
    if (tileIndex < 0) {
        for (int i = 0; i < count; ++i) {
            if (m_tiles[std::size_t(i)]->channelId() == channelId) {
                selectTile(i);
                return i;
            }
        }
        if (m_tiles[std::size_t(m_selected)]->channelId().isEmpty()) {
            tileIndex = m_selected;
        } else {
            for (int i = 0; i < count && tileIndex < 0; ++i) {
                if (m_tiles[std::size_t(i)]->channelId().isEmpty())
                    tileIndex = i;
            }
            if (tileIndex < 0)
                tileIndex = m_selected;
        }
    }
    if (tileIndex >= count)
        return -1;
    if (m_maximized >= 0 && m_maximized != tileIndex) {
        const int restored = m_maximized;
        m_maximized = -1;
        applyAutomaticProfiles(restored);
        relayout();
    }
    if (profile)
        m_tiles[std::size_t(tileIndex)]->setChannel(channelId, *profile);
    else
        m_tiles[std::size_t(tileIndex)]->setChannel(channelId, chosenProfile(tileIndex, channelId),
                                                    VideoTile::ProfileChoice::Automatic);
    selectTile(tileIndex);
    return tileIndex;
}

void VideoGrid::openChannels(const QStringList &channelIds, int firstTile)
{
    if (channelIds.isEmpty() || firstTile >= tileCount())
        return;
    firstTile = openChannel(channelIds.first(), firstTile);
    if (firstTile < 0)
        return;
    int next = firstTile + 1;
    for (qsizetype i = 1; i < channelIds.size(); ++i) {
        while (next < tileCount() && !m_tiles[std::size_t(next)]->channelId().isEmpty())
            ++next;
        if (next >= tileCount()) {
            Q_EMIT statusMessage(tr("No free tile left: %1 of the channels were not opened.").arg(channelIds.size() - i));
            break;
        }
        m_tiles[std::size_t(next)]->setChannel(channelIds[i]);
        ++next;
    }
    selectTile(firstTile);
}

void VideoGrid::closeTile(int index)
{
    if (VideoTile *t = tile(index))
        t->clearChannel();
}

void VideoGrid::closeAll()
{
    m_maximized = -1;
    for (VideoTile *t : m_tiles)
        t->clearChannel();
    relayout();
    updateActions();
}

void VideoGrid::swapTiles(int from, int to)
{
    if (from == to || !tile(from) || !tile(to))
        return;
    std::swap(m_tiles[std::size_t(from)], m_tiles[std::size_t(to)]);
    m_tiles[std::size_t(from)]->setIndex(from);
    m_tiles[std::size_t(to)]->setIndex(to);
    applyAutomaticProfiles(from);
    applyAutomaticProfiles(to);
    const int count = tileCount();
    m_tiles[std::size_t(from)]->setActive(from < count);
    m_tiles[std::size_t(to)]->setActive(to < count);
    m_tiles[std::size_t(from)]->setSelected(from == m_selected);
    m_tiles[std::size_t(to)]->setSelected(to == m_selected);
    relayout();
    selectTile(to);
    onTileChanged();
    Q_EMIT selectionChanged(m_selected);
}

QStringList VideoGrid::streamingChannels() const
{
    QStringList result;
    for (const VideoTile *t : m_tiles) {
        if (t->stream())
            result.append(t->channelId());
    }
    return result;
}

int VideoGrid::openStreamCount() const
{
    return int(std::count_if(m_tiles.begin(), m_tiles.end(), [](const VideoTile *t) { return t->stream() != nullptr; }));
}

std::int64_t VideoGrid::inboundBitrateBps() const
{
    std::int64_t total = 0;
    for (const VideoTile *t : m_tiles)
        total += t->bitrateBps();
    return total;
}

void VideoGrid::saveState(QSettings &settings) const
{
    QStringList tiles;
    for (const VideoTile *t : m_tiles) {
        QString entry = t->channelId();
        if (!entry.isEmpty() && t->profile() == Devices::StreamProfile::Sub)
            entry += u";sub"_s;
        tiles.append(entry);
    }
    settings.setValue(u"grid/layout"_s, layoutKey(m_layout));
    settings.setValue(u"grid/selected"_s, m_selected);
    settings.setValue(u"grid/tiles"_s, tiles);
}

void VideoGrid::restoreState(QSettings &settings)
{
    const auto layout = layoutFromKey(settings.value(u"grid/layout"_s).toString());
    setGridLayout(layout.value_or(Layout::Four));
    const QStringList tiles = settings.value(u"grid/tiles"_s).toStringList();
    for (int i = 0; i < kMaxTiles; ++i) {
        const QString entry = i < tiles.size() ? tiles[i] : QString();
        const QString id = entry.section(u';', 0, 0).trimmed();
        if (id.isEmpty() || !GbId::isWellFormed(id.toLatin1())) {
            m_tiles[std::size_t(i)]->clearChannel();
            continue;
        }
        const auto profile = entry.section(u';', 1, 1) == u"sub"_s ? Devices::StreamProfile::Sub
                                                                  : Devices::StreamProfile::Main;
        if (m_automaticStreams && i < tileCount())
            m_tiles[std::size_t(i)]->setChannel(id, chosenProfile(i, id), VideoTile::ProfileChoice::Automatic);
        else
            m_tiles[std::size_t(i)]->setChannel(id, profile);
    }
    selectTile(std::clamp(settings.value(u"grid/selected"_s, 0).toInt(), 0, tileCount() - 1));
}

void VideoGrid::refreshAllChannelInfo()
{
    for (VideoTile *t : m_tiles)
        t->refreshChannelInfo();
    applyChosenProfiles(-1, true); // a device's stream setting may have changed
}

void VideoGrid::scheduleInfoRefresh()
{
    if (!m_infoTimer->isActive())
        m_infoTimer->start();
}

void VideoGrid::tick()
{
    const auto now = LatestFrameSlot::Clock::now();
    const int count = tileCount();
    for (int i = 0; i < count; ++i)
        m_tiles[std::size_t(i)]->tick(now);
}

void VideoGrid::showContextMenu(int index, const QPoint &globalPos)
{
    VideoTile *t = tile(index);
    if (!t)
        return;
    QMenu *menu = t->createContextMenu(m_maximized == index, m_automaticStreams
                                                                 ? std::optional(chosenProfile(index, t->channelId()))
                                                                 : std::nullopt);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(globalPos);
}

void VideoGrid::onTileChanged()
{
    updateActions();
    Q_EMIT tilesChanged();
}

void VideoGrid::updateActions()
{
    const VideoTile *selected = m_tiles[std::size_t(m_selected)];
    m_snapshotAction->setEnabled(selected->state() == VideoTile::State::Playing
                                 || selected->state() == VideoTile::State::Stalled);
    m_closeAction->setEnabled(!selected->channelId().isEmpty());
    m_maximizeAction->setChecked(m_maximized >= 0);
    m_maximizeAction->setEnabled(tileCount() > 1);
    m_closeAllAction->setEnabled(std::any_of(m_tiles.begin(), m_tiles.end(),
                                             [](const VideoTile *t) { return !t->channelId().isEmpty(); }));
}

int VideoGrid::neighbour(int index, Qt::Key direction) const
{
    // By geometry, so that it works the same in layouts with a big tile: the nearest tile in
    // that direction, preferring those straight ahead (overlapping across the direction).
    const QList<Cell> layoutCells = cells(m_layout);
    const QRect area(0, 0, 1000, 1000);
    const QRect from = cellRect(m_layout, layoutCells[index], area);
    const bool horizontal = direction == Qt::Key_Left || direction == Qt::Key_Right;
    const int sign = direction == Qt::Key_Left || direction == Qt::Key_Up ? -1 : 1;
    int best = -1;
    std::tuple<bool, int, int> bestScore{true, std::numeric_limits<int>::max(), std::numeric_limits<int>::max()};
    for (int i = 0; i < layoutCells.size(); ++i) {
        const QRect to = cellRect(m_layout, layoutCells[i], area);
        const QPoint d = to.center() - from.center();
        const int along = sign * (horizontal ? d.x() : d.y());
        const bool beyond = direction == Qt::Key_Left ? to.right() < from.left()
            : direction == Qt::Key_Right              ? to.left() > from.right()
            : direction == Qt::Key_Up                 ? to.bottom() < from.top()
                                                      : to.top() > from.bottom();
        if (i == index || !beyond)
            continue;
        const bool overlaps = horizontal ? to.top() < from.bottom() && to.bottom() > from.top()
                                         : to.left() < from.right() && to.right() > from.left();
        const std::tuple<bool, int, int> score{!overlaps, along, std::abs(horizontal ? d.y() : d.x())};
        if (score < bestScore) {
            best = i;
            bestScore = score;
        }
    }
    return best;
}

void VideoGrid::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        if (m_maximized < 0) {
            if (const int next = neighbour(m_selected, Qt::Key(event->key())); next >= 0)
                selectTile(next);
        }
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        toggleMaximized(m_selected);
        return;
    case Qt::Key_Delete:
        closeTile(m_selected);
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void VideoGrid::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace Vigil::Ui
