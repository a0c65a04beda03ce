// AudioDecoder against `ffmpeg -f s16le`: G.711 A-law and µ-law and AAC (ADTS), byte for byte,
// fed in pieces the way a PS demuxer delivers them.

#include "mediafixtures.h"

#include "media/ffmpeg/audiodecoder.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Testing;
using namespace Qt::StringLiterals;

namespace {

struct Decoded {
    QByteArray samples;
    std::vector<AudioSamples> frames; // without their samples
};

/// Feeds `data` in pieces of `chunk` bytes, each with the PTS of its first sample when
/// `bytesPerSecond` is known (G.711), otherwise with a PTS of 900000 on the first piece only.
Decoded decodeInPieces(const QByteArray &data, EncodedFrame::Codec codec, qsizetype chunk,
                       int bytesPerSecond = 0, AudioDecoderStats *stats = nullptr)
{
    Decoded out;
    AudioDecoder decoder([&](AudioSamples frame) {
        out.samples += frame.samples;
        frame.samples.clear();
        out.frames.push_back(std::move(frame));
    });
    for (qsizetype offset = 0, index = 0; offset < data.size(); offset += chunk, ++index) {
        EncodedFrame packet;
        packet.codec = codec;
        packet.data = data.mid(offset, chunk);
        if (bytesPerSecond > 0)
            packet.pts90k = offset * 90000 / bytesPerSecond;
        else if (index == 0)
            packet.pts90k = 900000;
        decoder.decode(packet);
    }
    decoder.drain();
    if (stats)
        *stats = decoder.stats();
    return out;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestAudioDecoder : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString make(const QString &name, const QStringList &encode)
    {
        const QString path = m_dir.filePath(name);
        const auto made = runFfmpeg(QStringList{u"-f"_s, u"lavfi"_s, u"-i"_s, u"sine=frequency=1000:sample_rate=8000:duration=10"_s}
                                    + encode + QStringList{path});
        return made ? path : QString();
    }

    static QByteArray referencePcm(const QStringList &input)
    {
        const auto pcm = runFfmpeg(input + QStringList{u"-f"_s, u"s16le"_s, u"-"_s});
        return pcm ? *pcm : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (ffmpegPath().isEmpty())
            QSKIP("the ffmpeg command line tool is not installed; it makes the test clips");
        QVERIFY(m_dir.isValid());
    }

    void decodesG711LikeFfmpeg_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<EncodedFrame::Codec>("codec");
        QTest::newRow("A-law") << u"alaw"_s << EncodedFrame::Codec::G711A;
        QTest::newRow("µ-law") << u"mulaw"_s << EncodedFrame::Codec::G711U;
    }

    void decodesG711LikeFfmpeg()
    {
        QFETCH(QString, format);
        QFETCH(EncodedFrame::Codec, codec);
        const QString path = make(u"sine."_s + format, {u"-c:a"_s, u"pcm_"_s + format, u"-f"_s, format});
        QVERIFY(!path.isEmpty());
        const QByteArray reference = referencePcm({u"-f"_s, format, u"-ar"_s, u"8000"_s, u"-ac"_s, u"1"_s, u"-i"_s, path});
        QCOMPARE(reference.size(), 160000);

        // 20 ms per RTP packet, as GB/T 28181 devices send it.
        AudioDecoderStats stats;
        const Decoded out = decodeInPieces(readFile(path), codec, 160, 8000, &stats);
        QCOMPARE(out.samples, reference);
        QCOMPARE(stats.samplesOutput, 80000u);
        QCOMPARE(stats.packets, 500u);
        QCOMPARE(stats.decodeErrors, 0u);
        QCOMPARE(stats.sampleRate, 8000);
        QCOMPARE(stats.channels, 1);
        QCOMPARE(out.frames.size(), size_t(500));
        for (size_t i = 0; i < out.frames.size(); ++i) {
            QCOMPARE(out.frames[i].sampleCount, 160);
            QCOMPARE(out.frames[i].pts90k, qint64(i) * 1800);
        }
    }

    void decodesAacLikeFfmpeg_data()
    {
        QTest::addColumn<QStringList>("encode");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("rate");
        QTest::newRow("8 kHz mono") << QStringList{u"-c:a"_s, u"aac"_s, u"-b:a"_s, u"32k"_s} << 1 << 8000;
        QTest::newRow("16 kHz stereo") << QStringList{u"-c:a"_s, u"aac"_s, u"-ac"_s, u"2"_s, u"-ar"_s, u"16000"_s} << 2 << 16000;
    }

    void decodesAacLikeFfmpeg()
    {
        QFETCH(QStringList, encode);
        QFETCH(int, channels);
        QFETCH(int, rate);
        const QString path = make(u"sine-%1-%2.aac"_s.arg(channels).arg(rate), encode + QStringList{u"-f"_s, u"adts"_s});
        QVERIFY(!path.isEmpty());
        const QByteArray reference = referencePcm({u"-i"_s, path});
        QVERIFY(!reference.isEmpty());

        // Pieces that cut ADTS frames anywhere, as PES payloads may.
        AudioDecoderStats stats;
        const Decoded out = decodeInPieces(readFile(path), EncodedFrame::Codec::Aac, 777, 0, &stats);
        QCOMPARE(out.samples.size(), reference.size());
        QCOMPARE(out.samples, reference);
        QCOMPARE(stats.decodeErrors, 0u);
        QCOMPARE(stats.channels, channels);
        QCOMPARE(stats.sampleRate, rate);
        QCOMPARE(stats.samplesOutput * 2 * quint64(channels), quint64(reference.size()));
        // Only the first piece had a PTS; each frame after it gets the one before plus 1024 samples.
        for (size_t i = 0; i < out.frames.size(); ++i) {
            QCOMPARE(out.frames[i].sampleCount, 1024);
            QCOMPARE(out.frames[i].pts90k, 900000 + qint64(i) * 1024 * 90000 / rate);
        }
    }

    void decodesTheSharedAudio_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<EncodedFrame::Codec>("codec");
        QTest::addColumn<QStringList>("input");
        QTest::newRow("G.711A") << u"audio_sine1k_8k.alaw"_s << EncodedFrame::Codec::G711A
                                << QStringList{u"-f"_s, u"alaw"_s, u"-ar"_s, u"8000"_s, u"-ac"_s, u"1"_s};
        QTest::newRow("AAC") << u"audio_sine1k_8k.aac"_s << EncodedFrame::Codec::Aac << QStringList{};
    }

    void decodesTheSharedAudio()
    {
        QFETCH(QString, file);
        QFETCH(EncodedFrame::Codec, codec);
        QFETCH(QStringList, input);
        const QString path = sharedMediaDir() + u'/' + file;
        if (sharedMediaDir().isEmpty() || !QFile::exists(path))
            QSKIP(qPrintable(file + u" is not in shared/media"_s));
        const QByteArray reference = referencePcm(input + QStringList{u"-i"_s, path});
        const Decoded out = decodeInPieces(readFile(path), codec, 320);
        QCOMPARE(out.samples, reference);
        QVERIFY(out.samples.size() >= 160000); // 10 s; AAC adds its encoder delay
    }

    void survivesGarbage()
    {
        // A burst of rubbish in the middle of an AAC stream: the parser finds the next ADTS
        // header and the rest decodes as before.
        const QString path = make(u"garbage.aac"_s, {u"-c:a"_s, u"aac"_s, u"-f"_s, u"adts"_s});
        const QByteArray aac = readFile(path);
        const QByteArray reference = referencePcm({u"-i"_s, path});
        QByteArray damaged = aac.left(aac.size() / 2) + QByteArray(1000, '\x55') + QByteArray("\xff\xf1\x50\x80\x02\x1f\xfc", 7)
            + aac.mid(aac.size() / 2);
        AudioDecoderStats stats;
        const Decoded out = decodeInPieces(damaged, EncodedFrame::Codec::Aac, 500, 0, &stats);
        QVERIFY(stats.framesOutput > 0);
        const qsizetype tail = 20 * 1024 * 2; // the last 20 frames
        QCOMPARE(out.samples.right(tail), reference.right(tail));
    }

    void rejectsVideo()
    {
        AudioDecoder decoder([](AudioSamples) {});
        EncodedFrame video;
        video.codec = EncodedFrame::Codec::H264;
        video.data = QByteArray("\x00\x00\x01\x65", 4);
        QVERIFY(!decoder.decode(video));
        QCOMPARE(decoder.stats().decodeErrors, 1u);
    }

    void followsACodecChange()
    {
        const QString alaw = make(u"change.alaw"_s, {u"-c:a"_s, u"pcm_alaw"_s, u"-f"_s, u"alaw"_s});
        const QString mulaw = make(u"change.mulaw"_s, {u"-c:a"_s, u"pcm_mulaw"_s, u"-f"_s, u"mulaw"_s});
        QByteArray samples;
        AudioDecoder decoder([&](AudioSamples frame) { samples += frame.samples; });
        EncodedFrame packet;
        packet.codec = EncodedFrame::Codec::G711A;
        packet.data = readFile(alaw).left(800);
        decoder.decode(packet);
        packet.codec = EncodedFrame::Codec::G711U;
        packet.data = readFile(mulaw).left(800);
        decoder.decode(packet);
        QCOMPARE(decoder.stats().codec, EncodedFrame::Codec::G711U);
        // The same sine in both laws: close, sample for sample, after decoding.
        QCOMPARE(samples.size(), 3200);
        const auto *pcm = reinterpret_cast<const qint16 *>(samples.constData());
        for (int i = 0; i < 800; ++i)
            QVERIFY(qAbs(pcm[i] - pcm[800 + i]) < 1200);
    }
};

QTEST_GUILESS_MAIN(TestAudioDecoder)
#include "tst_audiodecoder.moc"
