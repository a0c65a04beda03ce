#pragma once

#include "common/result.h"
#include "sipmessage.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <functional>
#include <optional>

namespace Vigil::Sip {

/// Cuts a SIP-over-TCP byte stream into messages (RFC 3261 §18.3): a header section up to the
/// first empty line, then exactly Content-Length bytes of body. Sans-I/O: feed() takes whatever
/// the socket returned, in chunks split anywhere, and calls back once per complete message with
/// bytes ready for SipMessage::parse(..., Framing::Stream).
///
/// - CR/LF between messages is skipped; every "\r\n\r\n" there is reported as an RFC 5626
///   keep-alive ping (the server answers "\r\n").
/// - A message without Content-Length has an empty body (reported, for the log).
/// - A message that arrives whole inside one chunk is handed out as a view into that chunk, never
///   copied. The bytes of a message split over several chunks are appended once to an internal
///   buffer, which never holds more than one message of at most maxMessageSize bytes, and gives
///   its memory back after a large message so that idle connections stay small.
/// - Errors (a header section or declared size above maxMessageSize, an unreadable or ambiguous
///   Content-Length) are final: nothing in SIP over TCP says where the next message starts, so
///   the connection must be closed. Every later feed() returns the same error.
///
/// Not thread-safe; one framer per connection.
class StreamFramer {
public:
    struct Event {
        enum class Kind : std::uint8_t {
            Message,       ///< `message` holds one complete message
            KeepAlivePing, ///< "\r\n\r\n" between messages (RFC 5626 §4.4.1)
        };
        Kind kind = Kind::Message;
        /// The message, without the line ends before it. Valid only during the callback.
        QByteArrayView message;
        /// The header section had no Content-Length, so the body was taken to be empty.
        bool contentLengthMissing = false;
    };
    /// Called during feed(); it must not feed() the same framer.
    using Callback = std::function<void(const Event &)>;

    /// Buffers kept between messages are released once they are larger than this.
    static constexpr qsizetype kRetainedBufferBytes = 4096;

    /// `maxMessageSize`: header section plus body, in bytes (1 to SipMessage::kMaxSize).
    explicit StreamFramer(qsizetype maxMessageSize = SipMessage::kMaxSize);

    /// Frames `chunk`, calling `callback` for each event in stream order. An error stops at the
    /// offending message; events before it in the chunk have been delivered.
    Result<void> feed(QByteArrayView chunk, const Callback &callback);

    bool hasFailed() const noexcept { return m_error.has_value(); }
    /// True when no part of a message is held back (the stream is between messages).
    bool isBetweenMessages() const noexcept { return m_buffer.isEmpty(); }
    /// Bytes of an incomplete message held back for the next feed().
    qsizetype bufferedBytes() const noexcept { return m_buffer.size(); }
    qsizetype maxMessageSize() const noexcept { return m_maxMessageSize; }

private:
    struct Frame {
        qsizetype size = 0;             ///< header section plus body
        bool contentLengthMissing = false;
    };

    /// Scans for the end of the header section ("\n\n" or "\n\r\n") from `from` up to `to`,
    /// continuing from `state`; returns the offset just after it, or -1.
    static qsizetype findHeaderEnd(const char *data, qsizetype from, qsizetype to, std::uint8_t &state) noexcept;
    /// Reads Content-Length from a complete header section and checks the size limit.
    Result<Frame> frameOf(QByteArrayView headerSection) const;
    Result<void> fail(QString message);
    void releaseBuffer();

    qsizetype m_maxMessageSize;
    QByteArray m_buffer;            ///< the start of an incomplete message
    qsizetype m_messageSize = -1;   ///< its full size once the header section is complete
    bool m_contentLengthMissing = false;
    std::uint8_t m_scanState = 0;   ///< findHeaderEnd() state at the end of m_buffer
    std::uint8_t m_gapLineEnds = 0; ///< line feeds since the last message (keep-alive pings)
    std::optional<Error> m_error;
};

} // namespace Vigil::Sip
