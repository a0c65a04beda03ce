#include "videotile.h"

#include "channelmime.h"
#include "consolebackend.h"
#include "devices/deviceregistry.h"
#include "format.h"
#include "uilogging.h"
#include "gridsurface.h"

#include <QActionGroup>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDir>
#include <QDrag>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QMouseEvent>
#include <QSettings>
#include <QSignalBlocker>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace Vigil::Ui {

namespace {

/// Seconds before the next try after the 1st, 2nd... consecutive failure.
constexpr std::array<int, 5> kRetryDelaysSec{5, 10, 20, 40, 60};
constexpr auto kShowConnectingTimeAfter = 5s;

qint64 secondsBetween(LatestFrameSlot::Clock::time_point from, LatestFrameSlot::Clock::time_point to)
{
    return std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

} // namespace

VideoTile::VideoTile(int index, ConsoleBackend &backend, GridSurface *surface, QWidget *parent)
    : QWidget(parent)
    , m_index(index)
    , m_surfaceSlot(index)
    , m_backend(backend)
    , m_surface(surface)
{
    setObjectName(u"videoTile%1"_s.arg(index));
    setAcceptDrops(true);
    setFocusPolicy(Qt::ClickFocus);
    setMinimumSize(36, 28);
    refreshOverlay();
    refreshBorder();
}

VideoTile::~VideoTile()
{
    // Hang up without telling anyone: the grid that listens may be half destroyed already
    // (its tiles die one by one), and walking its tiles from a signal read freed memory.
    const QSignalBlocker silent(this);
    closeStream();
}

void VideoTile::setIndex(int index)
{
    m_index = index;
    setObjectName(u"videoTile%1"_s.arg(index));
}

QString VideoTile::channelName() const
{
    return m_channelName.isEmpty() ? m_channelId : m_channelName;
}

void VideoTile::setSelected(bool selected)
{
    if (m_selected == selected)
        return;
    m_selected = selected;
    refreshOverlay();
    refreshBorder();
}

void VideoTile::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    syncStream();
}

void VideoTile::setChannel(const QString &channelId, Devices::StreamProfile profile, ProfileChoice choice)
{
    if (channelId != m_channelId)
        m_subStreamRefused = false;
    profile = allowedProfile(profile, choice);
    m_profileChoice = choice;
    if (channelId == m_channelId && profile == m_profile && !m_failed)
        return;
    closeStream();
    m_failed = false;
    m_channelId = channelId;
    m_channelName.clear();
    m_profile = profile;
    m_online = true;
    m_offlineReason.clear();
    m_failureReason.clear();
    m_retryCount = 0;
    // Known offline: no INVITE that is bound to fail.
    refreshChannelInfo();
    syncStream();
    Q_EMIT channelChanged(m_index);
}

void VideoTile::clearChannel()
{
    if (m_channelId.isEmpty())
        return;
    closeStream();
    m_failed = false;
    m_channelId.clear();
    m_channelName.clear();
    m_failureReason.clear();
    updateState();
    Q_EMIT channelChanged(m_index);
}

Devices::StreamProfile VideoTile::allowedProfile(Devices::StreamProfile profile, ProfileChoice choice) const
{
    return choice == ProfileChoice::Automatic && m_subStreamRefused ? Devices::StreamProfile::Main : profile;
}

void VideoTile::setProfile(Devices::StreamProfile profile, ProfileChoice choice)
{
    profile = allowedProfile(profile, choice);
    m_profileChoice = choice;
    if (profile == m_profile)
        return;
    m_profile = profile;
    if (m_stream || m_failed) {
        closeStream();
        m_failed = false;
        m_retryCount = 0;
        syncStream();
    }
    Q_EMIT channelChanged(m_index);
}

void VideoTile::refreshChannelInfo()
{
    if (m_channelId.isEmpty())
        return;
    const Devices::DeviceRegistry &registry = m_backend.registry();
    if (const auto ref = registry.findChannel(m_channelId)) {
        const auto device = registry.device(ref->device);
        const bool deviceOnline = device && device->online;
        QString reason;
        if (!device)
            reason = tr("the device is not in the list any more");
        else if (!deviceOnline)
            reason = tr("device %1: %2").arg(device->displayName(),
                                             Devices::Device::offlineReasonText(device->offlineReason));
        else if (!ref->channel.online)
            reason = tr("the device reports the channel offline");
        setChannelInfo(ref->channel.name.isEmpty() ? m_channelId : ref->channel.name,
                       deviceOnline && ref->channel.online, reason);
        return;
    }
    // An IPC is often played by its own device ID before (or without) a catalog.
    if (const auto id = DeviceId::parse(m_channelId)) {
        if (const auto device = registry.device(*id)) {
            setChannelInfo(device->displayName(), device->online,
                           Devices::Device::offlineReasonText(device->offlineReason));
            return;
        }
    }
    // Unknown here (not in the catalog yet): try it; the backend says if it cannot play it.
    setChannelInfo(QString(), true, QString());
}

void VideoTile::setChannelInfo(const QString &name, bool online, const QString &offlineReason)
{
    const bool changed = name != m_channelName || online != m_online || offlineReason != m_offlineReason;
    if (!changed)
        return;
    const bool cameOnline = online && !m_online;
    m_channelName = name;
    m_online = online;
    m_offlineReason = online ? QString() : offlineReason;
    if (cameOnline)
        m_retryCount = 0;
    syncStream();
    refreshOverlay();
}

void VideoTile::syncStream()
{
    const bool wanted = m_active && !m_channelId.isEmpty() && m_online;
    if (!wanted) {
        closeStream();
        m_failed = false;
    } else if (!m_stream && !m_failed) {
        openStream();
    }
    updateState();
}

void VideoTile::openStream()
{
    Q_ASSERT(!m_stream);
    m_slot = std::make_shared<LatestFrameSlot>();
    m_slot->setReceiver(this);
    m_hasFrame = false;
    m_stalled = false;
    m_frameRate = 0;
    m_frameIntervalMs = 0;
    m_ratePublished = 0;
    m_openedAt = m_rateSampledAt = LatestFrameSlot::Clock::now();
    m_stream = m_backend.openStream(m_channelId, m_profile, m_slot);
    Q_ASSERT(m_stream);
    connect(m_stream.get(), &LiveStream::stateChanged, this, &VideoTile::onStreamStateChanged);
    Q_EMIT channelChanged(m_index);
    onStreamStateChanged();
}

void VideoTile::closeStream()
{
    if (m_slot) {
        m_slot->setReceiver(nullptr);
        m_slot.reset();
    }
    const bool hadStream = m_stream != nullptr;
    if (m_stream) {
        disconnect(m_stream.get(), nullptr, this, nullptr);
        m_stream.reset();
    }
    m_hasFrame = false;
    m_stalled = false;
    m_frameRate = 0;
    showFrame(nullptr);
    if (hadStream)
        Q_EMIT channelChanged(m_index);
}

void VideoTile::onStreamStateChanged()
{
    if (!m_stream)
        return;
    const LiveStream::State streamState = m_stream->state();
    if (streamState == LiveStream::State::Failed || streamState == LiveStream::State::Ended) {
        // Cameras without a sub stream refuse it (or fail it before a picture): play the main one.
        const bool subRefused = streamState == LiveStream::State::Failed && !m_hasFrame
            && m_profile == Devices::StreamProfile::Sub && m_profileChoice == ProfileChoice::Automatic;
        const QString reason = m_stream->reason().isEmpty()
            ? (streamState == LiveStream::State::Ended ? tr("The device ended the stream.") : tr("The stream failed."))
            : m_stream->reason();
        // We are inside the stream's signal: let it finish before it goes.
        if (m_slot) {
            m_slot->setReceiver(nullptr);
            m_slot.reset();
        }
        disconnect(m_stream.get(), nullptr, this, nullptr);
        m_stream.release()->deleteLater();
        m_hasFrame = false;
        m_stalled = false;
        showFrame(nullptr);
        if (subRefused) {
            qCInfo(lcUi).noquote() << u"channel %1 has no sub stream (%2): playing its main stream"_s.arg(
                m_channelId, reason);
            m_subStreamRefused = true;
            m_profile = Devices::StreamProfile::Main;
            m_failed = false;
            m_failureReason.clear();
            m_retryCount = 0;
            syncStream();
        } else {
            m_failureReason = reason;
            const int delay =
                kRetryDelaysSec[std::size_t(std::min<int>(m_retryCount, int(kRetryDelaysSec.size()) - 1))];
            ++m_retryCount;
            m_retryAt = LatestFrameSlot::Clock::now() + std::chrono::seconds(delay);
            m_failed = true;
        }
        updateState();
        Q_EMIT channelChanged(m_index);
        return;
    }
    updateState();
}

bool VideoTile::event(QEvent *event)
{
    if (event->type() == LatestFrameSlot::frameReadyEventType()) {
        onFrameReady();
        return true;
    }
    return QWidget::event(event);
}

void VideoTile::onFrameReady()
{
    if (!m_slot)
        return;
    std::shared_ptr<const YuvFrame> frame = m_slot->take();
    if (!frame)
        return;
    showFrame(std::move(frame));
    if (!m_hasFrame || m_stalled) {
        m_hasFrame = true;
        m_stalled = false;
        m_retryCount = 0;
        m_failureReason.clear();
        updateState();
    }
}

void VideoTile::tick(LatestFrameSlot::Clock::time_point now)
{
    m_lastTick = now;
    if (m_failed) {
        if (now >= m_retryAt && m_active && m_online && !m_channelId.isEmpty()) {
            m_failed = false;
            openStream();
        }
        refreshOverlay();
        return;
    }
    if (!m_stream || !m_slot)
        return;
    const LatestFrameSlot::Counters counters = m_slot->counters();
    const auto sinceSample = now - m_rateSampledAt;
    if (sinceSample >= 1s) {
        const double seconds = std::chrono::duration<double>(sinceSample).count();
        const auto frames = counters.published - m_ratePublished;
        m_frameRate = double(frames) / seconds;
        // The usual gap between pictures, from windows that had a few: a 1 fps camera is not
        // stalled after 2 s, and a stall must not teach us that long gaps are normal.
        if (frames >= 2)
            m_frameIntervalMs = std::int64_t(1000.0 * seconds / double(frames));
        m_ratePublished = counters.published;
        m_rateSampledAt = now;
    }
    if (m_hasFrame) {
        const auto threshold = std::chrono::milliseconds(std::max<std::int64_t>(kStallThresholdMs, 4 * m_frameIntervalMs));
        m_stalled = now - counters.lastPublish > threshold;
    }
    updateState();
    refreshOverlay();
}

void VideoTile::updateState()
{
    State state = State::Empty;
    if (m_channelId.isEmpty())
        state = State::Empty;
    else if (!m_online)
        state = State::Offline;
    else if (!m_active)
        state = State::Idle;
    else if (m_failed)
        state = State::Failed;
    else if (!m_stream || !m_hasFrame)
        state = State::Connecting;
    else
        state = m_stalled ? State::Stalled : State::Playing;
    const bool changed = state != m_state;
    m_state = state;
    refreshOverlay();
    if (changed)
        Q_EMIT stateChanged(m_index);
}

QString VideoTile::stateText() const
{
    const auto now = m_lastTick.time_since_epoch().count() ? m_lastTick : LatestFrameSlot::Clock::now();
    switch (m_state) {
    case State::Empty:
        return m_selected ? tr("Double-click a channel in the device tree, or drag it here") : QString();
    case State::Idle:
        return {};
    case State::Connecting:
        if (now - m_openedAt >= kShowConnectingTimeAfter)
            return tr("Connecting… (%1 s)").arg(secondsBetween(m_openedAt, now));
        return tr("Connecting…");
    case State::Playing:
        return {};
    case State::Stalled: {
        const auto last = m_slot ? m_slot->counters().lastPublish : now;
        return tr("No video for %1 s").arg(std::max<qint64>(1, secondsBetween(last, now)));
    }
    case State::Offline:
        return m_offlineReason.isEmpty() ? tr("Offline") : tr("Offline: %1").arg(m_offlineReason);
    case State::Failed: {
        const qint64 wait = std::max<qint64>(0, secondsBetween(now, m_retryAt));
        return tr("Failed: %1\nRetrying in %2 s").arg(m_failureReason).arg(wait);
    }
    }
    return {};
}

void VideoTile::refreshOverlay()
{
    VideoOverlay overlay;
    overlay.title = m_channelId.isEmpty() ? QString() : channelName();
    overlay.stateText = stateText();
    switch (m_state) {
    case State::Connecting: overlay.tone = VideoOverlay::Tone::Busy; break;
    case State::Stalled: overlay.tone = VideoOverlay::Tone::Warning; break;
    case State::Offline:
    case State::Failed: overlay.tone = VideoOverlay::Tone::Error; break;
    default: overlay.tone = VideoOverlay::Tone::Neutral; break;
    }
    overlay.dimPicture = m_state != State::Playing;
    if (m_hovered && (m_state == State::Playing || m_state == State::Stalled))
        overlay.statsLines = statsLines();
    if (m_surface && !m_surface->glError().isEmpty() && !m_channelId.isEmpty()) {
        overlay.stateText = m_surface->glError();
        overlay.tone = VideoOverlay::Tone::Error;
    }
    if (overlay == m_overlay)
        return;
    m_overlay = overlay;
    if (m_surface)
        m_surface->setTileOverlay(m_surfaceSlot, m_overlay);
}

void VideoTile::refreshBorder()
{
    QColor border = m_selected ? palette().color(QPalette::Highlight) : QColor(0x30, 0x30, 0x30);
    if (m_dropTarget)
        border = QColor(0x4c, 0xaf, 0x50);
    if (m_surface)
        m_surface->setTileBorder(m_surfaceSlot, border);
}

void VideoTile::showFrame(std::shared_ptr<const YuvFrame> frame)
{
    m_frame = std::move(frame);
    if (m_surface)
        m_surface->setTileFrame(m_surfaceSlot, m_frame);
}

quint64 VideoTile::uploadCount() const
{
    return m_surface ? m_surface->uploadCount(m_surfaceSlot) : 0;
}

QRect VideoTile::pictureRect() const
{
    if (!m_surface)
        return {};
    return m_surface->pictureRect(m_surfaceSlot).translated(-m_surface->tileRect(m_surfaceSlot).topLeft());
}

QImage VideoTile::grabShown() const
{
    return m_surface ? m_surface->grabTile(m_surfaceSlot) : QImage();
}

std::int64_t VideoTile::bitrateBps() const
{
    return m_stream ? m_stream->stats().bitrateBps : 0;
}

QStringList VideoTile::statsLines() const
{
    QStringList lines;
    const auto &frame = m_frame;
    if (frame)
        lines.append(tr("%1 × %2").arg(frame->width()).arg(frame->height()));
    lines.append(tr("%1 fps").arg(m_frameRate, 0, 'f', 1) + u"  "_s
                 + (m_profile == Devices::StreamProfile::Main ? tr("main stream") : tr("sub stream")));
    if (m_stream) {
        const StreamStats &stats = m_stream->stats();
        QString line = stats.codec.isEmpty() ? tr("Unknown codec") : stats.codec;
        line += u"  "_s + Format::bitrate(stats.bitrateBps);
        lines.append(line);
        if (stats.packetsLost > 0)
            lines.append(tr("%1 packets lost").arg(stats.packetsLost));
    }
    return lines;
}

QImage VideoTile::snapshotImage() const
{
    const auto &frame = m_frame;
    return frame ? frame->toImage() : QImage();
}

QString VideoTile::snapshotFileName(const QString &channelName, const QString &channelId, const QDateTime &time,
                                    SnapshotFormat format)
{
    QString name = channelName.trimmed();
    for (QChar &c : name) {
        if (c.unicode() < 0x20 || u"\\/:*?\"<>|"_s.contains(c))
            c = u'_';
    }
    name = name.left(60).trimmed();
    QString stem = name.isEmpty() || name == channelId ? channelId : name + u'_' + channelId;
    stem += u'_' + time.toString(u"yyyyMMdd-HHmmss"_s);
    return stem + (format == SnapshotFormat::Png ? u".png"_s : u".jpg"_s);
}

Result<QString> VideoTile::saveSnapshot(const QString &folder, SnapshotFormat format, const QDateTime &time) const
{
    const QImage image = snapshotImage();
    if (image.isNull())
        return fail(ErrorCode::NotFound, tr("There is no picture to save yet."));
    QDir dir(folder);
    if (!dir.mkpath(u"."_s))
        return fail(ErrorCode::IoError,
                    tr("Cannot create the snapshot folder %1; choose another one in Settings.")
                        .arg(QDir::toNativeSeparators(folder)));
    const QString fileName = snapshotFileName(channelName(), m_channelId, time, format);
    QString path = dir.filePath(fileName);
    // Two snapshots in the same second: keep both.
    const QFileInfo info(fileName);
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = dir.filePath(info.completeBaseName() + u"(%1)."_s.arg(n) + info.suffix());
    const bool saved = format == SnapshotFormat::Png ? image.save(path, "PNG") : image.save(path, "JPEG", 92);
    if (!saved)
        return fail(ErrorCode::IoError,
                    tr("Cannot write the snapshot %1; check that the folder is writable.")
                        .arg(QDir::toNativeSeparators(path)));
    return path;
}

void VideoTile::takeSnapshot()
{
    QSettings settings;
    const ConsoleSettings console = ConsoleSettings::load(settings);
    const auto saved = saveSnapshot(console.effectiveSnapshotFolder(), console.snapshotFormat);
    Q_EMIT statusMessage(saved ? tr("Snapshot saved: %1").arg(QDir::toNativeSeparators(*saved))
                               : tr("Snapshot failed: %1").arg(saved.error().message));
}

void VideoTile::showStreamInfo()
{
    QStringList lines;
    lines.append(tr("Channel: %1").arg(channelName()));
    lines.append(tr("Channel ID: %1").arg(m_channelId));
    QString stream = m_profile == Devices::StreamProfile::Main ? tr("Main stream") : tr("Sub stream");
    if (m_subStreamRefused)
        stream = tr("%1 (the camera refused the sub stream)").arg(stream);
    else if (m_profileChoice == ProfileChoice::Automatic)
        stream = tr("%1 (chosen by the tile's size and the device's settings)").arg(stream);
    lines.append(tr("Stream: %1").arg(stream));
    lines.append(tr("State: %1").arg(m_state == State::Playing ? tr("Playing") : stateText()));
    if (m_stream) {
        const StreamStats &stats = m_stream->stats();
        if (!stats.transport.isEmpty())
            lines.append(tr("Transport: %1").arg(stats.transport));
        lines.append(tr("Packets lost: %1").arg(stats.packetsLost));
    }
    if (m_slot) {
        const auto counters = m_slot->counters();
        lines.append(tr("Pictures received: %1, not shown: %2").arg(counters.published).arg(counters.overwritten));
    }
    lines.append(statsLines());
    QMessageBox box(QMessageBox::Information, tr("Stream Information"), lines.join(u'\n'), QMessageBox::Close, this);
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    box.exec();
}

QMenu *VideoTile::createContextMenu(bool maximized, std::optional<Devices::StreamProfile> automaticProfile)
{
    auto *menu = new QMenu(this);
    const bool hasChannel = !m_channelId.isEmpty();

    QAction *snapshot = menu->addAction(tr("&Snapshot"), this, &VideoTile::takeSnapshot);
    snapshot->setObjectName(u"snapshot"_s);
    snapshot->setEnabled(m_frame != nullptr);
    QAction *info = menu->addAction(tr("Stream &Information…"), this, &VideoTile::showStreamInfo);
    info->setObjectName(u"streamInfo"_s);
    info->setEnabled(hasChannel);
    menu->addSeparator();

    auto *profiles = new QActionGroup(menu);
    QAction *automatic = nullptr;
    if (automaticProfile) {
        const Devices::StreamProfile profile = allowedProfile(*automaticProfile, ProfileChoice::Automatic);
        automatic = menu->addAction(profile == Devices::StreamProfile::Main ? tr("&Automatic: Main Stream")
                                                                            : tr("&Automatic: Sub Stream"),
                                    this, [this, profile] { setProfile(profile, ProfileChoice::Automatic); });
        automatic->setObjectName(u"automaticStream"_s);
        automatic->setToolTip(tr("Small tiles play the sub stream, large and maximized tiles the main stream."));
        automatic->setCheckable(true);
        automatic->setEnabled(hasChannel);
        profiles->addAction(automatic);
    }
    QAction *mainStream = menu->addAction(tr("&Main Stream"), this,
                                          [this] { setProfile(Devices::StreamProfile::Main); });
    mainStream->setObjectName(u"mainStream"_s);
    QAction *subStream = menu->addAction(tr("S&ub Stream"), this,
                                         [this] { setProfile(Devices::StreamProfile::Sub); });
    subStream->setObjectName(u"subStream"_s);
    for (QAction *action : {mainStream, subStream}) {
        action->setCheckable(true);
        action->setEnabled(hasChannel);
        profiles->addAction(action);
    }
    if (automatic && m_profileChoice == ProfileChoice::Automatic)
        automatic->setChecked(true);
    else
        (m_profile == Devices::StreamProfile::Main ? mainStream : subStream)->setChecked(true);
    menu->addSeparator();

    QAction *maximize = menu->addAction(maximized ? tr("&Restore") : tr("Ma&ximize"), this,
                                        [this] { Q_EMIT doubleClicked(m_index); });
    maximize->setObjectName(u"maximize"_s);
    QAction *close = menu->addAction(tr("&Close"), this, &VideoTile::clearChannel);
    close->setObjectName(u"close"_s);
    close->setEnabled(hasChannel);
    return menu;
}

void VideoTile::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton || event->button() == Qt::RightButton) {
        m_pressPos = event->position().toPoint();
        Q_EMIT clicked(m_index);
    }
    event->accept();
}

void VideoTile::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || m_channelId.isEmpty())
        return;
    if ((event->position().toPoint() - m_pressPos).manhattanLength() < QApplication::startDragDistance())
        return;
    auto *drag = new QDrag(this);
    drag->setMimeData(ChannelMime::encodeTile(m_index));
    drag->exec(Qt::MoveAction);
}

void VideoTile::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        Q_EMIT doubleClicked(m_index);
    event->accept();
}

void VideoTile::contextMenuEvent(QContextMenuEvent *event)
{
    Q_EMIT clicked(m_index);
    Q_EMIT contextMenuRequested(m_index, event->globalPos());
    event->accept();
}

void VideoTile::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    const int from = ChannelMime::decodeTile(mime);
    if (!ChannelMime::decodeChannels(mime).isEmpty() || (from >= 0 && from != m_index)) {
        event->acceptProposedAction();
        m_dropTarget = true;
        refreshBorder();
    }
}

void VideoTile::dragLeaveEvent(QDragLeaveEvent *)
{
    m_dropTarget = false;
    refreshBorder();
}

void VideoTile::dropEvent(QDropEvent *event)
{
    m_dropTarget = false;
    refreshBorder();
    const QMimeData *mime = event->mimeData();
    const int from = ChannelMime::decodeTile(mime);
    if (from >= 0) {
        if (from != m_index)
            Q_EMIT tileDropped(from, m_index);
        event->acceptProposedAction();
        return;
    }
    const QStringList channels = ChannelMime::decodeChannels(mime);
    if (channels.isEmpty()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    Q_EMIT channelsDropped(m_index, channels);
}

void VideoTile::enterEvent(QEnterEvent *event)
{
    m_hovered = true;
    refreshOverlay();
    QWidget::enterEvent(event);
}

void VideoTile::leaveEvent(QEvent *event)
{
    m_hovered = false;
    refreshOverlay();
    QWidget::leaveEvent(event);
}

void VideoTile::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        refreshOverlay();
    else if (event->type() == QEvent::PaletteChange)
        refreshBorder();
    QWidget::changeEvent(event);
}

} // namespace Vigil::Ui
