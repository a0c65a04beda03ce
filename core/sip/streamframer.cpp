#include "streamframer.h"

#include "headerid.h"
#include "text.h"

#include <algorithm>
#include <cstring>

namespace Vigil::Sip {

namespace {

/// `text` for an error message: at most 24 bytes, anything unprintable as \xNN.
QString quoted(QByteArrayView text)
{
    QString out;
    out += QLatin1Char('"');
    for (qsizetype i = 0; i < text.size() && i < 24; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f)
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    }
    if (text.size() > 24)
        out += QStringLiteral("...");
    out += QLatin1Char('"');
    return out;
}

} // namespace

StreamFramer::StreamFramer(qsizetype maxMessageSize)
    : m_maxMessageSize(maxMessageSize)
{
    Q_ASSERT(maxMessageSize > 0 && maxMessageSize <= SipMessage::kMaxSize);
}

qsizetype StreamFramer::findHeaderEnd(const char *data, qsizetype from, qsizetype to, std::uint8_t &state) noexcept
{
    // state 0: inside a line; 1: just after '\n'; 2: after "\n\r". An empty line ends the
    // header section, as in SipMessage::parse(): "\n\n" or "\n\r\n".
    qsizetype i = from;
    while (i < to) {
        if (state == 0) {
            const auto *lf = static_cast<const char *>(std::memchr(data + i, '\n', size_t(to - i)));
            if (!lf)
                return -1;
            i = lf - data + 1;
            state = 1;
            continue;
        }
        const char c = data[i++];
        if (c == '\n') {
            state = 0;
            return i;
        }
        state = (c == '\r' && state == 1) ? 2 : 0;
    }
    return -1;
}

Result<StreamFramer::Frame> StreamFramer::frameOf(QByteArrayView headerSection) const
{
    std::optional<std::uint32_t> contentLength;
    QByteArrayView pending; // a Content-Length value, possibly continued on folded lines
    bool inContentLength = false;

    const auto settle = [&]() -> Result<void> {
        if (!inContentLength)
            return {};
        inContentLength = false;
        const auto value = parseUInt(pending);
        if (!value) {
            const bool digits = !pending.isEmpty()
                && std::all_of(pending.begin(), pending.end(), [](char c) { return isDigit(c); });
            return Vigil::fail(ErrorCode::InvalidArgument,
                               digits ? QStringLiteral("Content-Length %1 is too large").arg(quoted(pending))
                                      : QStringLiteral("Content-Length %1 is not a number").arg(quoted(pending)));
        }
        if (contentLength && *contentLength != *value)
            return Vigil::fail(ErrorCode::InvalidArgument,
                               QStringLiteral("two different Content-Length values (%1 and %2)")
                                   .arg(*contentLength)
                                   .arg(*value));
        contentLength = value;
        return {};
    };

    // Skip the start line; the header section ends with an empty line.
    qsizetype pos = headerSection.indexOf('\n') + 1;
    while (pos > 0 && pos < headerSection.size()) {
        const qsizetype lf = headerSection.indexOf('\n', pos);
        const qsizetype end = lf < 0 ? headerSection.size() : lf;
        QByteArrayView line = headerSection.sliced(pos, end - pos);
        pos = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break;
        if (isWsp(line.front())) { // folded continuation of the previous header
            const QByteArrayView more = trimmed(line);
            if (inContentLength && !more.isEmpty()) {
                if (pending.isEmpty())
                    pending = more;
                else
                    pending = QByteArrayView(pending.data(), more.data() + more.size() - pending.data());
            }
            continue;
        }
        if (auto settled = settle(); !settled)
            return std::unexpected(settled.error());
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue; // SipMessage::parse() says what is wrong with it
        if (headerIdFromName(trimmed(line.first(colon))) == HeaderId::ContentLength) {
            inContentLength = true;
            pending = trimmed(line.sliced(colon + 1));
        }
    }
    if (auto settled = settle(); !settled)
        return std::unexpected(settled.error());

    Frame frame;
    frame.contentLengthMissing = !contentLength.has_value();
    const qint64 total = qint64(headerSection.size()) + qint64(contentLength.value_or(0));
    if (total > m_maxMessageSize)
        return Vigil::fail(ErrorCode::InvalidArgument,
                           QStringLiteral("Content-Length %1 makes a message of %2 bytes, larger than the limit of %3")
                               .arg(contentLength.value_or(0))
                               .arg(total)
                               .arg(m_maxMessageSize));
    frame.size = qsizetype(total);
    return frame;
}

Result<void> StreamFramer::fail(QString message)
{
    m_error = Error{ErrorCode::InvalidArgument, std::move(message)};
    releaseBuffer();
    return std::unexpected(*m_error);
}

void StreamFramer::releaseBuffer()
{
    if (m_buffer.capacity() > kRetainedBufferBytes)
        m_buffer = QByteArray();
    else
        m_buffer.resize(0);
    m_messageSize = -1;
    m_contentLengthMissing = false;
    m_scanState = 0;
}

Result<void> StreamFramer::feed(QByteArrayView chunk, const Callback &callback)
{
    Q_ASSERT(callback);
    if (m_error)
        return std::unexpected(*m_error);

    const char *const data = chunk.data();
    const qsizetype size = chunk.size();
    const auto headerTooLong = [this] {
        return QStringLiteral("no end of the header section within %1 bytes").arg(m_maxMessageSize);
    };

    qsizetype pos = 0;
    while (pos < size) {
        if (m_buffer.isEmpty()) {
            // Between messages: skip line ends, counting keep-alive pings.
            while (pos < size && (data[pos] == '\r' || data[pos] == '\n')) {
                if (data[pos] == '\n' && ++m_gapLineEnds == 2) {
                    m_gapLineEnds = 0;
                    callback(Event{Event::Kind::KeepAlivePing, {}, false});
                }
                ++pos;
            }
            if (pos == size)
                break;
            m_gapLineEnds = 0;

            // Frame straight from the chunk when the whole message is in it.
            std::uint8_t state = 0;
            const qsizetype headerEnd = findHeaderEnd(data, pos, size, state);
            if (headerEnd < 0) {
                if (size - pos > m_maxMessageSize)
                    return fail(headerTooLong());
                m_buffer.append(data + pos, size - pos);
                m_scanState = state;
                break;
            }
            if (headerEnd - pos > m_maxMessageSize)
                return fail(headerTooLong());
            auto frame = frameOf(QByteArrayView(data + pos, headerEnd - pos));
            if (!frame)
                return fail(frame.error().message);
            if (frame->size <= size - pos) {
                callback(Event{Event::Kind::Message, QByteArrayView(data + pos, frame->size),
                               frame->contentLengthMissing});
                pos += frame->size;
                continue;
            }
            m_buffer.reserve(frame->size);
            m_buffer.append(data + pos, size - pos);
            m_messageSize = frame->size;
            m_contentLengthMissing = frame->contentLengthMissing;
            break;
        }

        if (m_messageSize < 0) {
            // The header section started in an earlier chunk.
            const qsizetype headerEnd = findHeaderEnd(data, pos, size, m_scanState);
            const qsizetype take = (headerEnd < 0 ? size : headerEnd) - pos;
            if (m_buffer.size() + take > m_maxMessageSize)
                return fail(headerTooLong());
            m_buffer.append(data + pos, take);
            pos += take;
            if (headerEnd < 0)
                break;
            auto frame = frameOf(m_buffer);
            if (!frame)
                return fail(frame.error().message);
            m_messageSize = frame->size;
            m_contentLengthMissing = frame->contentLengthMissing;
            m_buffer.reserve(m_messageSize);
        }

        const qsizetype take = std::min(m_messageSize - m_buffer.size(), size - pos);
        m_buffer.append(data + pos, take);
        pos += take;
        if (m_buffer.size() == m_messageSize) {
            callback(Event{Event::Kind::Message, QByteArrayView(m_buffer), m_contentLengthMissing});
            releaseBuffer();
        }
    }
    return {};
}

} // namespace Vigil::Sip
