// RtpReceiver over UDP on loopback: datagrams that come before start() are kept for it, and a
// read outside the socket's notification (start(), poke()) never leaves the socket silent.
// Qt announces a UDP socket again only after a readDatagram() call; a notification that finds
// its datagrams already taken used to leave it unannounced for good, and every stream that
// started while its camera was already sending froze after its first picture.

#include "media/rtppacket.h"
#include "media/rtpreceiver.h"

#include <QTest>
#include <QUdpSocket>

#include <thread>

using namespace Vigil::Media;

namespace {

QByteArray rtp(std::uint16_t sequence)
{
    QByteArray bytes(12 + 20, '\x5a');
    bytes[0] = char(0x80);
    bytes[1] = char(96);
    bytes[2] = char(sequence >> 8);
    bytes[3] = char(sequence & 0xFF);
    for (int i = 4; i < 12; ++i)
        bytes[i] = char(i);
    return bytes;
}

struct Collected {
    std::vector<std::uint16_t> sequences;
};

/// Sends `count` packets from `first` on, and waits until the kernel holds them without
/// running the event loop (so that their notification is still to come).
void sendNow(QUdpSocket &sender, quint16 port, std::uint16_t first, int count)
{
    for (int i = 0; i < count; ++i)
        sender.writeDatagram(rtp(std::uint16_t(first + i)), QHostAddress(QHostAddress::LocalHost), port);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

} // namespace

class TestRtpReceiver : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void earlyDatagramsKeptForStart()
    {
        Collected got;
        RtpReceiver receiver({}, [&](RtpPacket packet, qint64) { got.sequences.push_back(packet.sequence()); });
        const auto port = receiver.open(0);
        QVERIFY(port);
        QUdpSocket sender;
        sendNow(sender, *port, 100, 5);
        QTest::qWait(50); // announced and read before start(): kept
        QVERIFY(got.sequences.empty());
        receiver.start();
        QCOMPARE(got.sequences, (std::vector<std::uint16_t>{100, 101, 102, 103, 104}));
        sendNow(sender, *port, 105, 3);
        QTRY_COMPARE(got.sequences.size(), std::size_t(8));
    }

    void explicitReadLeavesTheSocketAnnounced()
    {
        Collected got;
        RtpReceiver receiver({}, [&](RtpPacket packet, qint64) { got.sequences.push_back(packet.sequence()); });
        const auto port = receiver.open(0);
        QVERIFY(port);
        receiver.start();
        QUdpSocket sender;
        for (int round = 0; round < 5; ++round) {
            // Read by poke() from a queued call that the event loop runs in the same round as
            // it sees the socket readable: the socket's notification then finds nothing.
            const auto first = std::uint16_t(round * 10);
            sendNow(sender, *port, first, 2);
            QMetaObject::invokeMethod(&receiver, [&receiver] { receiver.poke(); }, Qt::QueuedConnection);
            QTRY_COMPARE_WITH_TIMEOUT(got.sequences.size(), std::size_t(round * 4 + 2), 2000);
            QTest::qWait(20);
            // Later datagrams are announced as usual.
            sendNow(sender, *port, std::uint16_t(first + 2), 2);
            QTRY_COMPARE_WITH_TIMEOUT(got.sequences.size(), std::size_t(round * 4 + 4), 2000);
        }
        QCOMPARE(receiver.stats().packets, quint64(20));
    }
};

QTEST_GUILESS_MAIN(TestRtpReceiver)
#include "tst_rtpreceiver.moc"
