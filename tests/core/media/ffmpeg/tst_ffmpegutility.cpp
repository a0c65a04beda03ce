// The FFmpeg RAII helpers: readable errors, factories that return null instead of crashing,
// and FFmpeg's log routed into vigil.media.

#include "media/ffmpeg/ffmpeglog.h"
#include "media/ffmpeg/ffmpegutility.h"

#include <QLoggingCategory>
#include <QTest>

using namespace Vigil::Media;
using namespace Vigil::Media::Ffmpeg;
using namespace Qt::StringLiterals;

namespace {

QStringList g_messages;

void captureMessages(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    if (QLatin1StringView(context.category) == QLatin1StringView("vigil.media"))
        g_messages << message;
}

} // namespace

class TestFfmpegUtility : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void errorTextIsReadable()
    {
        const QString text = errorText(AVERROR_INVALIDDATA);
        QVERIFY2(text.startsWith(u"Invalid data found when processing input"_s), qPrintable(text));
        QVERIFY(text.contains(QString::number(AVERROR_INVALIDDATA)));
        QVERIFY(errorText(AVERROR(EAGAIN)).contains(u"temporarily unavailable"_s));
    }

    void factoriesOwnWhatTheyMake()
    {
        FramePtr frame = makeFrame();
        PacketPtr packet = makePacket();
        QVERIFY(frame && packet);
        QVERIFY(makeParser(AV_CODEC_ID_AAC));
        QTest::ignoreMessage(QtWarningMsg, "FFmpeg has no parser for none");
        QVERIFY(!makeParser(AV_CODEC_ID_NONE));
        CodecContextPtr context = openCodecContext(avcodec_find_decoder(AV_CODEC_ID_H264),
                                                   [](AVCodecContext &c) { c.thread_count = 1; });
        QVERIFY(context);
        QVERIFY(avcodec_is_open(context.get()));
        QVERIFY(!openCodecContext(nullptr, [](AVCodecContext &) {}));
        // A PCM decoder without a sample rate does not open: null and a warning, no crash.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open the FFmpeg codec pcm_alaw"_s));
        QVERIFY(!openCodecContext(avcodec_find_decoder(AV_CODEC_ID_PCM_ALAW), [](AVCodecContext &) {}));
    }

    void referenceFrameSharesTheBuffers()
    {
        FramePtr frame = makeFrame();
        frame->format = AV_PIX_FMT_YUV420P;
        frame->width = 16;
        frame->height = 16;
        QVERIFY(av_frame_get_buffer(frame.get(), 0) >= 0);
        FramePtr reference = referenceFrame(*frame);
        QVERIFY(reference);
        QCOMPARE(reference->data[0], frame->data[0]);
        QVERIFY(!av_frame_is_writable(frame.get()));
    }

    void openInputFailsCleanly()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open .*no-such-file.h264"_s));
        QVERIFY(!openInput(u"/nonexistent/no-such-file.h264"_s, "h264"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"no demuxer named"_s));
        QVERIFY(!openInput(u"/dev/null"_s, "no-such-format"));
    }

    void codecIds()
    {
        QCOMPARE(codecId(EncodedFrame::Codec::H264), AV_CODEC_ID_H264);
        QCOMPARE(codecId(EncodedFrame::Codec::H265), AV_CODEC_ID_HEVC);
        QCOMPARE(codecId(EncodedFrame::Codec::G711A), AV_CODEC_ID_PCM_ALAW);
        QCOMPARE(codecId(EncodedFrame::Codec::G711U), AV_CODEC_ID_PCM_MULAW);
        QCOMPARE(codecId(EncodedFrame::Codec::Aac), AV_CODEC_ID_AAC);
    }

    void randomAccessPoints()
    {
        using C = EncodedFrame::Codec;
        QVERIFY(containsRandomAccessPoint(C::H264, QByteArrayView("\x00\x00\x00\x01\x67\x42\x00\x00\x01\x65\x88", 11)));
        QVERIFY(!containsRandomAccessPoint(C::H264, QByteArrayView("\x00\x00\x01\x41\x9a", 5)));
        QVERIFY(containsRandomAccessPoint(C::H265, QByteArrayView("\x00\x00\x01\x40\x01\x00\x00\x01\x26\x01", 10))); // IDR_W_RADL
        QVERIFY(containsRandomAccessPoint(C::H265, QByteArrayView("\x00\x00\x01\x2a\x01", 5)));                      // CRA
        QVERIFY(!containsRandomAccessPoint(C::H265, QByteArrayView("\x00\x00\x01\x02\x01", 5)));                     // TRAIL_R
        // A start code at the very end, with no header byte after it, is not read past.
        QVERIFY(!containsRandomAccessPoint(C::H264, QByteArrayView("\x41\x00\x00\x01", 4)));
        QVERIFY(!containsRandomAccessPoint(C::H264, QByteArrayView()));
        QVERIFY(!containsRandomAccessPoint(C::G711A, QByteArrayView("\x00\x00\x01\x65", 4)));
    }

    void logHandlerRoutesFfmpegMessages()
    {
        installLogHandler();
        QLoggingCategory::setFilterRules(u"vigil.media.debug=true"_s);
        const QtMessageHandler previous = qInstallMessageHandler(captureMessages);
        av_log(nullptr, AV_LOG_ERROR, "first part, ");
        av_log(nullptr, AV_LOG_ERROR, "second part\n");
        av_log(nullptr, AV_LOG_DEBUG, "too chatty to forward\n");
        av_log(nullptr, AV_LOG_FATAL, "fatal %d\n", 42);
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
        av_log_set_callback(av_log_default_callback);
        QCOMPARE(g_messages, (QStringList{u"ffmpeg: first part, second part"_s, u"ffmpeg: fatal 42"_s}));
    }
};

QTEST_GUILESS_MAIN(TestFfmpegUtility)
#include "tst_ffmpegutility.moc"
