#include "accessunitsplitter.h"

#include "common/logging.h"

using namespace Qt::StringLiterals;

namespace Vigil::Media {

namespace {

// A slice is classified once this many of its bytes are in: enough for every slice header
// field 7.4.1.2.4 compares, even with emulation prevention bytes.
constexpr qsizetype kClassifyBytes = 96;
// While looking for a start code, keep the last bytes: a start code (with the zero of a 4-byte
// one) may continue in the next chunk.
constexpr qsizetype kSyncKeepBytes = 4;
// Timestamp marks normally number one or two per picture; more means tiny timed chunks.
constexpr qsizetype kMaxMarks = 64;

bool isUntimed(qint64 pts90k, qint64 dts90k)
{
    return pts90k == kNoTimestamp && dts90k == kNoTimestamp;
}

} // namespace

AccessUnitSplitter::AccessUnitSplitter(VideoCodec codec, Handler handler, qsizetype maxAccessUnitBytes)
    : m_codec(codec), m_handler(std::move(handler)), m_maxAccessUnitBytes(maxAccessUnitBytes), m_parameterSets(codec)
{
    Q_ASSERT(codec != VideoCodec::Unknown);
    Q_ASSERT(m_handler);
    Q_ASSERT(maxAccessUnitBytes > kClassifyBytes);
}

Result<void> AccessUnitSplitter::feed(QByteArrayView bytes, qint64 pts90k, qint64 dts90k)
{
    if (bytes.isEmpty())
        return {};
    m_overflowed = false;
    addMark(pts90k, dts90k);

    // A start code split across chunks: its zeros end the buffer, its 01 begins `bytes`. The
    // zeros have to lie after the current unit's header (they cannot belong to its start code).
    const qsizetype eligible = m_nalStart < 0 ? 0 : m_nalStart + m_startCodeSize;
    int tailZeros = 0;
    for (qsizetype i = m_buffer.size() - 1; i >= eligible && tailZeros < 2 && m_buffer.at(i) == 0; --i)
        ++tailZeros;
    qsizetype one = -1; // index in `bytes` of the 01 that ends the next start code
    if (tailZeros == 2 && bytes[0] == 1) {
        one = 0;
    } else if (tailZeros >= 1 && bytes.size() >= 2 && bytes[0] == 0 && bytes[1] == 1) {
        one = 1;
    } else {
        const StartCode sc = NalUnit::findStartCode(bytes);
        one = sc.found() ? sc.end() - 1 : -1;
    }

    qsizetype consumed = 0;
    while (one >= 0) {
        append(bytes.sliced(consumed, one + 1 - consumed), Tail::StartCode);
        consumed = one + 1;
        startCodeAtBufferEnd();
        const StartCode sc = NalUnit::findStartCode(bytes, consumed);
        one = sc.found() ? sc.end() - 1 : -1;
    }
    append(bytes.sliced(consumed), Tail::Data);

    if (m_overflowed) {
        return fail(ErrorCode::InvalidArgument,
                    u"%1 access unit larger than %2 bytes: dropped it, waiting for the next picture"_s
                        .arg(codecName(m_codec))
                        .arg(m_maxAccessUnitBytes));
    }
    return {};
}

void AccessUnitSplitter::flush()
{
    if (m_nalStart >= 0 && !m_nalHandled) {
        if (handleNal(m_buffer.size(), true) == NalFate::Skip)
            enterSync();
    }
    if (m_hasVcl)
        emitAccessUnit(m_pendingBoundary >= 0 ? m_pendingBoundary : m_buffer.size());
}

void AccessUnitSplitter::discard()
{
    m_droppedBytes += quint64(m_buffer.size());
    m_buffer.clear();
    m_marks.clear();
    m_nalStart = -1;
    m_nalHandled = false;
    m_lastSlice.reset();
    resetPicture();
    // The next bytes may continue a picture whose start was lost.
    m_resync = true;
}

void AccessUnitSplitter::reset()
{
    discard();
    m_resync = false;
    m_parameterSets.clear();
    m_droppedBytes = 0;
    m_accessUnitCount = 0;
}

void AccessUnitSplitter::addMark(qint64 pts90k, qint64 dts90k)
{
    const bool untimed = isUntimed(pts90k, dts90k);
    if (untimed && (m_marks.isEmpty() || isUntimed(m_marks.last().pts90k, m_marks.last().dts90k)))
        return;
    const qsizetype offset = m_buffer.size();
    if (!m_marks.isEmpty() && m_marks.last().offset == offset)
        m_marks.removeLast();
    if (m_marks.size() >= kMaxMarks)
        m_marks.removeFirst();
    m_marks.append({offset, pts90k, dts90k});
}

void AccessUnitSplitter::append(QByteArrayView piece, Tail tail)
{
    if (piece.isEmpty())
        return;
    if (m_nalStart < 0) {
        appendWhileSyncing(piece);
        return;
    }
    if (!m_nalHandled) {
        const qsizetype header = m_nalStart + m_startCodeSize;
        const qsizetype have = m_buffer.size() - header;
        const qsizetype haveAfter = have + piece.size() - (tail == Tail::StartCode ? 3 : 0);
        if (have < kClassifyBytes && haveAfter >= kClassifyBytes) {
            const qsizetype need = kClassifyBytes - have;
            m_buffer.append(piece.first(need));
            piece = piece.sliced(need);
            const NalUnit nal(m_codec, QByteArrayView(m_buffer).sliced(header));
            if (nal.isVcl() && handleNal(m_buffer.size(), false) == NalFate::Skip) {
                enterSync();
                appendWhileSyncing(piece);
                return;
            }
        }
    }
    m_buffer.append(piece);
    checkSize();
}

void AccessUnitSplitter::appendWhileSyncing(QByteArrayView piece)
{
    if (piece.size() >= kSyncKeepBytes) {
        const qsizetype dropped = m_buffer.size() + piece.size() - kSyncKeepBytes;
        m_buffer.resize(0);
        m_buffer.append(piece.last(kSyncKeepBytes));
        for (TimestampMark &mark : m_marks)
            mark.offset -= dropped;
        m_droppedBytes += quint64(dropped);
        return;
    }
    m_buffer.append(piece);
    if (m_buffer.size() > kSyncKeepBytes) {
        const qsizetype dropped = m_buffer.size() - kSyncKeepBytes;
        m_droppedBytes += quint64(dropped);
        dropFront(dropped);
    }
}

void AccessUnitSplitter::startCodeAtBufferEnd()
{
    qsizetype scPos = m_buffer.size() - 3;
    Q_ASSERT(scPos >= 0);
    int size = 3;
    if (m_nalStart < 0) {
        if (scPos >= 1 && m_buffer.at(scPos - 1) == 0) {
            --scPos;
            size = 4;
        }
        m_droppedBytes += quint64(scPos);
        dropFront(scPos);
        m_nalStart = 0;
        m_startCodeSize = size;
        m_nalHandled = false;
        return;
    }

    if (scPos - 1 >= m_nalStart + m_startCodeSize && m_buffer.at(scPos - 1) == 0) {
        --scPos;
        size = 4;
    }
    if (!m_nalHandled) {
        const qsizetype fromNalStart = scPos - m_nalStart;
        if (handleNal(scPos, true) == NalFate::Skip) {
            // While resyncing nothing is kept before the current unit.
            m_droppedBytes += quint64(scPos);
            dropFront(scPos);
            scPos = 0;
        } else {
            scPos = m_nalStart + fromNalStart; // an emitted picture moved the buffer
        }
    }
    m_nalStart = scPos;
    m_startCodeSize = size;
    m_nalHandled = false;
}

bool AccessUnitSplitter::isAccessUnitStarter(const NalUnit &nal) const
{
    const int type = nal.type();
    if (m_codec == VideoCodec::H264) {
        return type == H264NalType::Sei || type == H264NalType::Sps || type == H264NalType::Pps
               || (type >= H264NalType::Prefix && type <= 18);
    }
    if (nal.layerId() != 0)
        return false;
    return (type >= H265NalType::Vps && type <= H265NalType::Pps) || type == H265NalType::PrefixSei
           || (type >= 41 && type <= 44) || (type >= 48 && type <= 55);
}

AccessUnitSplitter::NalFate AccessUnitSplitter::handleNal(qsizetype end, bool complete)
{
    m_nalHandled = true;
    const qsizetype header = m_nalStart + m_startCodeSize;
    qsizetype last = end;
    if (complete) {
        while (last > header && m_buffer.at(last - 1) == 0)
            --last;
    }
    const NalUnit nal(m_codec, QByteArrayView(m_buffer).sliced(header, last - header));
    if (!nal.hasHeader())
        return m_resync ? NalFate::Skip : NalFate::Keep;

    // `nal` points into m_buffer: read all of it before emitAccessUnit() hands the buffer on.
    const bool baseLayer = nal.layerId() == 0;
    const bool randomAccess = nal.isRandomAccess();
    const bool vcl = nal.isVcl() && baseLayer;
    const bool delimiter = nal.isAccessUnitDelimiter() && baseLayer;
    const bool starter = isAccessUnitStarter(nal);
    std::optional<SliceHeader> slice;
    if (vcl)
        slice = m_parameterSets.readSliceHeader(nal);

    if (m_resync) {
        if (!delimiter && !starter && !(slice && slice->firstInPicture))
            return NalFate::Skip;
        m_resync = false;
    }

    if (complete && nal.isParameterSet()) {
        if (const auto added = m_parameterSets.add(nal); !added)
            qCDebug(lcMedia) << "ignoring a parameter set:" << added.error().message;
    }

    if (delimiter) {
        if (m_hasVcl)
            emitAccessUnit(m_pendingBoundary >= 0 ? m_pendingBoundary : m_nalStart);
        return NalFate::Keep;
    }
    if (starter) {
        if (m_hasVcl && m_pendingBoundary < 0)
            m_pendingBoundary = m_nalStart;
        return NalFate::Keep;
    }
    if (!vcl)
        return NalFate::Keep;

    if (m_hasVcl) {
        if (slice && startsNewPicture(*slice))
            emitAccessUnit(m_pendingBoundary >= 0 ? m_pendingBoundary : m_nalStart);
        else
            m_pendingBoundary = -1; // what came between two slices of one picture stays in it
    }
    m_hasVcl = true;
    if (randomAccess && m_parameterSets.complete())
        m_keyFrame = true;
    m_lastSlice = slice;
    return NalFate::Keep;
}

bool AccessUnitSplitter::startsNewPicture(const SliceHeader &slice) const
{
    if (m_codec == VideoCodec::H265 || slice.firstInPicture)
        return slice.firstInPicture;
    if (!m_lastSlice)
        return false;
    const SliceHeader &prev = *m_lastSlice;
    if (!prev.detailsKnown || !slice.detailsKnown)
        return slice.firstMbInSlice <= prev.firstMbInSlice;
    // H.264 7.4.1.2.4: the first VCL NAL unit of a new primary coded picture
    return prev.frameNum != slice.frameNum || prev.ppsId != slice.ppsId || prev.fieldPic != slice.fieldPic
           || (prev.fieldPic && prev.bottomField != slice.bottomField)
           || ((prev.nalRefIdc == 0) != (slice.nalRefIdc == 0))
           || (prev.picOrderCntType == 0 && slice.picOrderCntType == 0
               && (prev.picOrderCntLsb != slice.picOrderCntLsb
                   || prev.deltaPicOrderCntBottom != slice.deltaPicOrderCntBottom))
           || (prev.picOrderCntType == 1 && slice.picOrderCntType == 1
               && prev.deltaPicOrderCnt != slice.deltaPicOrderCnt)
           || prev.idr != slice.idr || (prev.idr && prev.idrPicId != slice.idrPicId);
}

void AccessUnitSplitter::emitAccessUnit(qsizetype boundary)
{
    Q_ASSERT(m_hasVcl && boundary > 0 && boundary <= m_buffer.size());
    AccessUnit au;
    au.codec = m_codec;
    au.keyFrame = m_keyFrame;

    // The buffer begins with the picture's first start code; its header follows it.
    const qsizetype firstHeader = m_buffer.at(2) == 1 ? 3 : 4;
    qsizetype used = -1;
    for (qsizetype i = 0; i < m_marks.size() && m_marks.at(i).offset <= firstHeader; ++i)
        used = i;
    if (used >= 0) {
        const TimestampMark &mark = m_marks.at(used);
        au.pts90k = mark.pts90k;
        au.dts90k = mark.dts90k != kNoTimestamp ? mark.dts90k : mark.pts90k;
        m_marks.remove(0, used + 1);
    }
    for (TimestampMark &mark : m_marks)
        mark.offset -= boundary;

    // Move the picture out and start the next one in a fresh buffer sized like this one, so
    // only the few bytes already read of the next picture are copied.
    const qsizetype reserve = qBound<qsizetype>(4096, boundary + boundary / 4, m_maxAccessUnitBytes);
    QByteArray rest;
    rest.reserve(reserve);
    rest.append(QByteArrayView(m_buffer).sliced(boundary));
    m_buffer.truncate(boundary);
    au.data = std::move(m_buffer);
    m_buffer = std::move(rest);

    if (m_nalStart >= boundary) {
        m_nalStart -= boundary;
    } else {
        m_nalStart = -1; // flush() emitted everything: the next bytes must start a unit
        m_nalHandled = false;
    }
    resetPicture();
    ++m_accessUnitCount;
    m_handler(std::move(au));
}

void AccessUnitSplitter::dropFront(qsizetype count)
{
    if (count <= 0)
        return;
    m_buffer.remove(0, count);
    for (TimestampMark &mark : m_marks)
        mark.offset -= count;
}

void AccessUnitSplitter::enterSync()
{
    const qsizetype dropped = qMax<qsizetype>(0, m_buffer.size() - kSyncKeepBytes);
    m_droppedBytes += quint64(dropped);
    dropFront(dropped);
    m_nalStart = -1;
    m_nalHandled = false;
}

void AccessUnitSplitter::resetPicture()
{
    m_hasVcl = false;
    m_keyFrame = false;
    m_pendingBoundary = -1;
}

void AccessUnitSplitter::checkSize()
{
    if (m_buffer.size() <= m_maxAccessUnitBytes)
        return;
    // A picture followed by a huge unit that begins the next one (an SEI, say, not yet
    // classified because it is incomplete): the picture is complete, save it.
    if (m_hasVcl) {
        qsizetype boundary = m_pendingBoundary;
        if (boundary < 0 && !m_nalHandled) {
            const NalUnit nal(m_codec, QByteArrayView(m_buffer).sliced(m_nalStart + m_startCodeSize));
            if (nal.hasHeader() && nal.layerId() == 0 && (isAccessUnitStarter(nal) || nal.isAccessUnitDelimiter()))
                boundary = m_nalStart;
        }
        if (boundary > 0) {
            emitAccessUnit(boundary);
            if (m_buffer.size() <= m_maxAccessUnitBytes)
                return;
        }
    }
    qCWarning(lcMedia) << codecName(m_codec) << "access unit over" << m_maxAccessUnitBytes
                       << "bytes; dropping it and waiting for the next picture";
    m_overflowed = true;
    resetPicture();
    m_lastSlice.reset();
    m_resync = true;
    enterSync();
}

} // namespace Vigil::Media
