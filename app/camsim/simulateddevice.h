#pragma once

#include "camsimconfig.h"
#include "gb28181/manscdpbuilder.h"
#include "gb28181/sdp.h"
#include "mediastreamer.h"
#include "ptzstate.h"
#include "sip/dialog.h"
#include "sip/digest.h"
#include "sip/transactionlayer.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>

namespace Vigil::CamSim {

class Simulator;
struct SocketGroup;

/// Where a device is in its registration life.
enum class RegistrationState : std::uint8_t {
    Idle,          ///< not started
    Registering,   ///< a REGISTER (or its authenticated repeat) is on its way
    Registered,    ///< 200 OK; keepalives running, refresh scheduled
    RetryWait,     ///< the last attempt failed; a new one (new Call-ID) is scheduled
    Unregistering, ///< REGISTER with Expires: 0 on its way
    Unregistered,  ///< unregistered at shutdown
};

/// One simulated GB/T 28181 device (an IPC or an NVR with its channels), behaving like a real
/// one towards the platform:
///
/// - Registration (gb28181.md §2): REGISTER → 401 → REGISTER with digest credentials (same
///   Call-ID and From tag, CSeq + 1) → 200 OK, whose Date sets the device clock and whose Expires
///   is the granted lifetime. Refreshes at 2/3 of it with the same Call-ID; after any failure
///   waits DeviceTimers::retryDelayMs and starts over with a new Call-ID (a "reboot" to the
///   platform). unregister() sends Expires: 0.
/// - Keepalive MESSAGEs (§3) every DeviceTimers::keepaliveIntervalSec with a growing SN, the
///   first at a random point of the first interval; a
///   non-2xx answer (404 after a platform restart) means "not registered": register again at
///   once; keepaliveTimeoutCount unanswered ones in a row do the same.
/// - Queries (§4): Catalog answered over several MESSAGEs sent one after another, each with the
///   query's SN and the total SumNum; DeviceInfo; DeviceStatus. DeviceControl PTZCmd (§5) moves
///   the channel's PtzState and is logged; other controls are logged.
/// - INVITE (§6): answered 200 OK with an SDP that honours the offered transport and y= (a
///   MediaEngine stream prepared first, off the signalling thread), streaming from the ACK until
///   either side's BYE; CANCEL and a missing ACK release the stream. An offer asking for the
///   sub stream (a=streamnumber:1, streamprofile, stream, streamMode:SUB) gets the sub clip.
/// - SignallingFaults on request.
///
/// Driven by the Simulator on the signalling thread: its timers come from the simulator's
/// scheduler, its SIP goes through the TransactionLayer of its SocketGroup.
class SimulatedDevice {
    Q_DECLARE_TR_FUNCTIONS(Vigil::CamSim::SimulatedDevice)

public:
    enum class TimerKind : std::uint8_t { Registration, Keepalive, Count_ };

    /// A media session with the platform.
    struct Call {
        Sip::IncomingRequest invite;
        QByteArray localTag;
        ChannelId channel;
        Gb::MediaSdp offer;
        Gb::Ssrc ssrc;
        Devices::StreamProfile profile = Devices::StreamProfile::Main; ///< what the offer asked for
        StreamRole role = StreamRole::UdpSend;
        std::uint64_t streamId = 0;
        std::optional<Sip::Dialog> dialog; ///< once answered
        bool acked = false;
        bool answerHeld = false; ///< SignallingFaults::inviteAnswerDelayMs already waited
    };

    SimulatedDevice(DeviceConfig config, int index, Simulator &simulator, SocketGroup &group);

    const DeviceConfig &config() const noexcept { return m_config; }
    const DeviceId &id() const noexcept { return m_config.id; }
    int index() const noexcept { return m_index; }
    RegistrationState state() const noexcept { return m_state; }
    bool isRegistered() const noexcept { return m_state == RegistrationState::Registered; }

    /// The first REGISTER.
    void start();
    /// REGISTER with Expires: 0 when registered; `done` runs once the answer (or a timeout) is
    /// in, or at once when there is nothing to unregister. Stops keepalives and streams.
    void unregister(std::function<void()> done);

    // From the SocketGroup's transaction layer.
    void handleRequest(const Sip::IncomingRequest &request);
    void handleAck(const Sip::SipMessage &ack);
    void handleCancel(const Sip::IncomingRequest &request);
    void handleAckTimeout(const Sip::IncomingRequest &request);
    /// The TCP connection to the platform closed: register again over a new one.
    void connectionClosed();

    // From the simulator.
    /// A timer this device scheduled is due; stale ones (rescheduled since) are ignored.
    void fireTimer(TimerKind kind, qint64 dueMs);
    qint64 timerDueMs(TimerKind kind) const noexcept { return m_timerDueMs[std::size_t(kind)]; }
    void streamPrepared(std::uint64_t streamId, std::uint16_t localPort);
    void streamPrepareFailed(std::uint64_t streamId, const QString &error);
    void streamEnded(std::uint64_t streamId, const QString &reason, const StreamStats &stats);

    // For tests and the log.
    /// The PTZ head of a channel (for an IPC also under its own device ID); null for others.
    const PtzState *ptz(const QString &channelOrDeviceId) const;
    const QList<Call> &calls() const noexcept { return m_calls; }
    /// The platform's clock minus ours, from the last 200 OK's Date header (ms); 0 before one.
    qint64 clockOffsetMs() const noexcept { return m_clockOffsetMs; }
    const QByteArray &callId() const noexcept { return m_callId; }
    std::uint32_t keepaliveSn() const noexcept { return m_sn; }

private:
    enum class Attempt : std::uint8_t { Fresh, Refresh, Unregister };

    // registration
    void beginRegistration(Attempt attempt);
    void sendRegister(const QByteArray &authorization, Sip::HeaderId authorizationHeader);
    void onRegisterEvent(const Sip::ClientEvent &event, std::uint64_t generation, qint64 sentAtUs);
    void registered(const Sip::SipMessage &response);
    void registrationFailed(const QString &cause, const QString &detail);
    void finishUnregister();
    QByteArray contact() const;
    QByteArray deviceUri() const;
    QByteArray serverUri() const;

    // keepalive and MESSAGEs
    void sendKeepalive();
    void onKeepaliveEvent(const Sip::ClientEvent &event, std::uint64_t generation, qint64 sentAtUs);
    void scheduleKeepalive(qint64 delayMs);
    void sendMessage(QByteArray body, std::function<void(const Sip::ClientEvent &)> done);
    void sendCatalog(std::uint32_t sn);
    void sendCatalogPart(QList<Gb::ManscdpBody> parts, qsizetype next);

    // requests from the platform
    void handleMessage(const Sip::IncomingRequest &request);
    void handleDeviceControl(const Gb::ManscdpMessage &message);
    void handleInvite(const Sip::IncomingRequest &request);
    void handleBye(const Sip::IncomingRequest &request);
    void respond(const Sip::IncomingRequest &request, int statusCode, QByteArrayView reason = {});

    // media
    Call *callByStream(std::uint64_t streamId);
    void endCall(qsizetype index, bool sendBye);
    void stopAllCalls();

    const ChannelConfig *channel(QByteArrayView channelOrDeviceId) const;
    void schedule(TimerKind kind, qint64 delayMs);
    void cancelTimer(TimerKind kind);
    QString deviceTime() const;
    Sip::TransactionLayer &layer() const;
    const Sip::Peer &serverPeer() const;
    Gb::ManscdpBuilder builder() const { return Gb::ManscdpBuilder(m_config.charset); }

    DeviceConfig m_config;
    int m_index;
    Simulator &m_simulator;
    SocketGroup &m_group;
    Sip::DigestClient m_digest;

    RegistrationState m_state = RegistrationState::Idle;
    Attempt m_attempt = Attempt::Fresh;
    std::uint64_t m_generation = 0; ///< bumped per attempt; stale callbacks compare it
    QByteArray m_callId;
    QByteArray m_fromTag;
    std::uint32_t m_cseq = 0;
    std::uint32_t m_requestedExpiresSec = 0;
    int m_challengesAnswered = 0;
    qint64 m_attemptStartUs = 0;
    std::function<void()> m_unregisterDone;

    std::uint32_t m_sn = 0;             ///< SN of our keepalives and notifies
    std::uint32_t m_messageCSeq = 0;    ///< CSeq of our out-of-dialog MESSAGEs
    int m_keepalivesThisRegistration = 0;
    int m_keepalivesToSkip = 0;
    int m_keepaliveTimeouts = 0;
    std::uint64_t m_keepaliveGeneration = 0;

    std::array<qint64, std::size_t(TimerKind::Count_)> m_timerDueMs{-1, -1};
    qint64 m_clockOffsetMs = 0;
    QHash<QByteArray, PtzState> m_ptz; ///< channel ID → head
    QList<Call> m_calls;
    std::uint32_t m_ssrcSerial = 0;
    std::uint32_t m_streamsOpened = 0;
};

} // namespace Vigil::CamSim
