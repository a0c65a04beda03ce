#include "streamassembler.h"

#include "common/logging.h"

#include <utility>

namespace Vigil::Media {

namespace {

bool startsWithStartCode(QByteArrayView data) noexcept
{
    const auto byte = [&](qsizetype i) { return std::uint8_t(data[i]); };
    if (data.size() >= 3 && byte(0) == 0 && byte(1) == 0 && byte(2) == 1)
        return true;
    return data.size() >= 4 && byte(0) == 0 && byte(1) == 0 && byte(2) == 0 && byte(3) == 1;
}

} // namespace

StreamAssembler::StreamAssembler(const Options &options, Handlers handlers)
    : m_handlers(std::move(handlers))
    , m_ssrcCheck(options.ssrcCheck)
    , m_maxAccessUnitBytes(options.maxAccessUnitBytes)
    , m_reorder(options.reorder,
                [this](const RtpPacket &packet, Continuity continuity, std::uint32_t) { onReleased(packet, continuity); })
    , m_ssrc(options.expectedSsrc)
{
    m_demuxer.setPayloadHandler([this](const PesPayload &payload) { onPayload(payload); });
    m_demuxer.setStreamHandler([this](const PsStreamInfo &info) {
        if (info.kind == EsKind::Audio)
            m_stats.audioCodec = audioCodecFromPsStreamType(info.type);
        if (m_handlers.streamInfo)
            m_handlers.streamInfo(info);
    });
    m_demuxer.setContentHandler([this](PsContent content) {
        if (m_handlers.content)
            m_handlers.content(content);
    });
}

StreamAssembler::~StreamAssembler() = default;

void StreamAssembler::push(RtpPacket packet, qint64 nowMs)
{
    ++m_stats.packets;
    if (!acceptSsrc(packet, nowMs))
        return;
    m_reorder.push(std::move(packet), nowMs);
}

void StreamAssembler::poll(qint64 nowMs)
{
    m_reorder.poll(nowMs);
}

std::optional<qint64> StreamAssembler::nextDeadlineMs() const
{
    return m_reorder.nextDeadlineMs();
}

void StreamAssembler::finish()
{
    m_reorder.flush();
    m_demuxer.finish();
    if (m_splitter)
        m_splitter->flush();
    m_videoSinceFlush = false;
}

void StreamAssembler::setExpectedSsrc(std::uint32_t ssrc)
{
    if (m_ssrc == ssrc)
        return;
    qCDebug(lcMedia) << "RTP: now expecting SSRC" << Qt::hex << ssrc;
    m_ssrc = ssrc;
    m_ssrcSeen = false;
    m_candidate.clear();
}

StreamAssemblerStats StreamAssembler::stats() const
{
    StreamAssemblerStats stats = m_stats;
    stats.ssrc = m_ssrc;
    stats.reorder = m_reorder.stats();
    stats.demux = m_demuxer.stats();
    stats.content = m_demuxer.content();
    return stats;
}

bool StreamAssembler::acceptSsrc(RtpPacket &packet, qint64 nowMs)
{
    const std::uint32_t ssrc = packet.ssrc();
    if (m_ssrcCheck == SsrcCheck::Off || !m_ssrc || ssrc == *m_ssrc) {
        if (m_ssrc && ssrc != *m_ssrc)
            ++m_stats.ssrcChanges;
        m_ssrc = ssrc;
        m_ssrcSeen = true;
        m_ssrcLastMs = nowMs;
        m_candidate.clear();
        return true;
    }
    ++m_stats.ssrcMismatches;
    if (m_ssrcCheck == SsrcCheck::Strict)
        return false;

    if (!m_candidate.empty() && m_candidate.front().ssrc() != ssrc)
        m_candidate.clear();
    m_candidate.push_back(std::move(packet));
    const bool ownSilent = !m_ssrcSeen || nowMs - m_ssrcLastMs >= kAdoptSilenceMs;
    if (qsizetype(m_candidate.size()) < kAdoptAfterPackets || !ownSilent) {
        if (qsizetype(m_candidate.size()) > kAdoptAfterPackets)
            m_candidate.erase(m_candidate.begin());
        return false;
    }
    qCInfo(lcMedia).nospace() << "RTP: following SSRC " << Qt::hex << ssrc << " instead of " << *m_ssrc
                              << Qt::dec << (m_ssrcSeen ? " (silent for a while)" : " (never seen): the device chose its own");
    ++m_stats.ssrcChanges;
    m_ssrc = ssrc;
    m_ssrcSeen = true;
    m_ssrcLastMs = nowMs;
    std::vector<RtpPacket> held = std::exchange(m_candidate, {});
    for (RtpPacket &heldPacket : held)
        m_reorder.push(std::move(heldPacket), nowMs);
    return false;
}

void StreamAssembler::onReleased(const RtpPacket &packet, Continuity continuity)
{
    if (continuity == Continuity::Gap || (continuity == Continuity::StreamStart && m_released)) {
        ++m_stats.discontinuities;
        m_demuxer.markDiscontinuity();
    }
    m_released = true;
    m_stats.payloadType = packet.payloadType();
    m_demuxer.feed(packet.payload());
    // The frame's last packet: its picture is complete if the PS structure is (a length-0 PES
    // holds its last bytes back until the next start code shows).
    if (packet.marker() && m_stats.markersTrusted && m_splitter && m_videoSinceFlush
        && m_demuxer.bufferedBytes() == 0) {
        m_splitter->flush();
        ++m_stats.markerFlushes;
        m_videoSinceFlush = false;
        m_expectPictureStart = true;
        m_flushedPts = m_lastVideoPts;
    }
}

void StreamAssembler::onPayload(const PesPayload &payload)
{
    if (payload.kind == EsKind::Video)
        onVideo(payload);
    else
        onAudio(payload);
}

void StreamAssembler::onVideo(const PesPayload &payload)
{
    const VideoCodec codec = videoCodecFromPsStreamType(payload.type);
    if (codec == VideoCodec::Unknown)
        return; // the stream handler has told the owner what it is
    if (!m_splitter || m_splitter->codec() != codec) {
        if (m_splitter)
            m_splitter->flush();
        m_splitter.emplace(
            codec,
            [this](AccessUnit &&unit) {
                ++m_stats.accessUnits;
                if (m_handlers.accessUnit)
                    m_handlers.accessUnit(std::move(unit));
            },
            m_maxAccessUnitBytes);
        m_stats.videoCodec = codec;
        m_videoSinceFlush = false;
        m_expectPictureStart = false;
    }

    const bool pesStart = payload.flags.testFlag(PesFlag::PesStart);
    if (payload.flags.testFlag(PesFlag::Discontinuity)) {
        m_splitter->discard();
        m_videoSinceFlush = false;
        m_expectPictureStart = false;
        ++m_stats.videoGaps;
        if (m_handlers.videoGap)
            m_handlers.videoGap();
    }
    const qint64 pts = payload.pts ? unwrap(*payload.pts) : kNoTimestamp;
    const qint64 dts = payload.dts ? unwrap(*payload.dts) : kNoTimestamp;
    const bool startCode = pesStart && startsWithStartCode(payload.data);
    if (m_expectPictureStart) {
        // After a marker the next picture has to begin: a PES that starts a NAL unit with a PTS
        // of its own. Anything else means the marker cut a picture in two.
        m_expectPictureStart = false;
        if (!startCode || !payload.pts || m_flushedPts == pts)
            distrustMarkers();
    }
    // A PES that begins a NAL unit with a new PTS begins a new picture (ISO/IEC 13818-1: the
    // PTS belongs to the first access unit starting in the PES), so the previous one is done.
    if (startCode && payload.pts && m_lastVideoPts != pts && m_videoSinceFlush)
        m_splitter->flush();
    if (payload.pts)
        m_lastVideoPts = pts;

    m_stats.videoBytes += std::uint64_t(payload.data.size());
    if (!m_splitter->feed(payload.data, pts, dts)) {
        // The splitter dropped a picture; what follows refers to it.
        ++m_stats.oversizedAccessUnits;
        ++m_stats.videoGaps;
        if (m_handlers.videoGap)
            m_handlers.videoGap();
    }
    m_videoSinceFlush = true;
}

void StreamAssembler::onAudio(const PesPayload &payload)
{
    const AudioCodec codec = audioCodecFromPsStreamType(payload.type);
    if (codec == AudioCodec::Unknown || payload.data.isEmpty())
        return;
    AudioFrame frame;
    frame.codec = codec;
    frame.data = payload.data.toByteArray();
    frame.pts90k = payload.pts ? unwrap(*payload.pts) : kNoTimestamp;
    ++m_stats.audioFrames;
    m_stats.audioBytes += std::uint64_t(payload.data.size());
    if (m_handlers.audioFrame)
        m_handlers.audioFrame(std::move(frame));
}

void StreamAssembler::distrustMarkers()
{
    if (!m_stats.markersTrusted)
        return;
    m_stats.markersTrusted = false;
    qCInfo(lcMedia) << "RTP: the device sets the marker bit inside pictures; pictures are completed from the "
                       "stream alone from now on";
}

qint64 StreamAssembler::unwrap(std::uint64_t timestamp33)
{
    constexpr qint64 kWrap = qint64(1) << 33;
    const qint64 value = qint64(timestamp33 & std::uint64_t(kWrap - 1));
    if (!m_lastTimestamp) {
        m_lastTimestamp = value;
        return value;
    }
    const qint64 lastWrapped = ((*m_lastTimestamp % kWrap) + kWrap) % kWrap;
    qint64 delta = value - lastWrapped;
    if (delta >= kWrap / 2)
        delta -= kWrap;
    else if (delta < -kWrap / 2)
        delta += kWrap;
    const qint64 result = *m_lastTimestamp + delta;
    if (delta > 0)
        m_lastTimestamp = result;
    return result;
}

} // namespace Vigil::Media
