#include "common/charset.h"

#include <QTest>

#if __has_include(<iconv.h>)
#include <iconv.h>
#define VIGIL_HAVE_ICONV 1
#endif


using namespace Vigil;
using namespace Qt::StringLiterals;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

// Names as operators type them, and the bytes devices send for them (hand-checked tables).
const QString kGate = u"大门口摄像机"_s;
const QByteArray kGateGbk = hex("B4F3C3C5BFDAC9E3CFF1BBFA");
const QByteArray kGateUtf8 = hex("E5A4A7E997A8E58FA3E69184E5838FE69CBA");
const QString kBuilding = u"一号楼东侧"_s;
const QByteArray kBuildingGbk = hex("D2BBBAC5C2A5B6ABB2E0");
const QByteArray kBuildingUtf8 = hex("E4B880E58FB7E6A5BCE4B89CE4BEA7");
const QString kEastGate = u"东门入口"_s;
const QByteArray kEastGateGbk = hex("B6ABC3C5C8EBBFDA");
const QByteArray kEastGateUtf8 = hex("E4B89CE997A8E585A5E58FA3");

QByteArray body(QByteArrayView declaration, const QByteArray &name)
{
    QByteArray bytes;
    if (!declaration.isEmpty())
        bytes += "<?xml version=\"1.0\" encoding=\"" + declaration.toByteArray() + "\"?>\r\n";
    return bytes + "<Response><Name>" + name + "</Name></Response>\r\n";
}

QString bodyText(const QString &name)
{
    return u"<Response><Name>"_s + name + u"</Name></Response>\r\n"_s;
}

#ifdef VIGIL_HAVE_ICONV
/// glibc's converter, the independent reference for GB18030 (it implements the 2022 mapping).
class GlibcGb18030 {
public:
    GlibcGb18030() : m_decoder(iconv_open("UTF-8", "GB18030")), m_encoder(iconv_open("GB18030", "UTF-8")) {}
    bool isAvailable() const { return m_decoder != iconv_t(-1) && m_encoder != iconv_t(-1); }

    /// The decoded text, or a null QString when glibc finds the bytes invalid.
    QString decode(QByteArrayView bytes)
    {
        const QByteArray utf8 = convert(m_decoder, bytes);
        return utf8.isNull() ? QString() : QString::fromUtf8(utf8);
    }

    /// The GB18030 bytes, or a null QByteArray when glibc cannot encode the text.
    QByteArray encode(QStringView text) { return convert(m_encoder, text.toUtf8()); }

    ~GlibcGb18030()
    {
        if (m_decoder != iconv_t(-1))
            iconv_close(m_decoder);
        if (m_encoder != iconv_t(-1))
            iconv_close(m_encoder);
    }
    GlibcGb18030(const GlibcGb18030 &) = delete;
    GlibcGb18030 &operator=(const GlibcGb18030 &) = delete;

private:
    static QByteArray convert(iconv_t cd, QByteArrayView bytes)
    {
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
        QByteArray out(bytes.size() * 4 + 16, Qt::Uninitialized);
        char *in = const_cast<char *>(bytes.data());
        size_t inLeft = size_t(bytes.size());
        char *outPtr = out.data();
        size_t outLeft = size_t(out.size());
        if (iconv(cd, &in, &inLeft, &outPtr, &outLeft) == size_t(-1) || inLeft != 0)
            return QByteArray();
        out.truncate(outPtr - out.data());
        return out.isNull() ? QByteArray("") : out;
    }

    iconv_t m_decoder;
    iconv_t m_encoder;
};
#else
class GlibcGb18030 {
public:
    bool isAvailable() const { return false; }
    QString decode(QByteArrayView) { return {}; }
    QByteArray encode(QStringView) { return {}; }
};
#endif

QByteArray fourByteCode(int linear, unsigned char firstLead)
{
    char code[4];
    code[3] = char(0x30 + linear % 10);
    linear /= 10;
    code[2] = char(0x81 + linear % 126);
    linear /= 126;
    code[1] = char(0x30 + linear % 10);
    linear /= 10;
    code[0] = char(firstLead + linear);
    return QByteArray(code, 4);
}

// Four-byte codes whose BMP characters GB18030-2022 moved to two-byte codes: they now stand for
// Private Use Area characters, which Vigil decodes them to and glibc rejects.
const QList<QByteArray> kFourByteCodesRemovedIn2022 = {
    hex("82359037"), hex("82359038"), hex("82359039"), hex("82359130"), hex("82359131"),
    hex("82359132"), hex("82359133"), hex("82359134"), hex("84318236"), hex("84318237"),
    hex("84318238"), hex("84318239"), hex("84318330"), hex("84318331"), hex("84318332"),
    hex("84318333"), hex("84318334"), hex("84318335"),
};

// The Private Use Area characters whose two-byte codes GB18030-2022 gave to standard
// characters; glibc encodes none of them.
const QList<char32_t> kPuaWithFourByteCodesIn2022 = {
    0xE78D, 0xE78E, 0xE78F, 0xE790, 0xE791, 0xE792, 0xE793, 0xE794, 0xE795, 0xE796, 0xE816, 0xE817,
    0xE818, 0xE81E, 0xE826, 0xE82B, 0xE82C, 0xE831, 0xE832, 0xE83B, 0xE843, 0xE854, 0xE855, 0xE864,
};

} // namespace

class TestCharset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(isGb18030Supported(), "Qt has no GB18030 converter; Vigil needs Qt built with ICU");
    }

    void utf8Validity_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("ascii") << QByteArray("<Notify/>") << true;
        QTest::newRow("nul") << QByteArray("a\0b", 3) << true;
        QTest::newRow("chinese") << kGateUtf8 << true;
        QTest::newRow("two-byte U+00A5") << hex("C2A5") << true;
        QTest::newRow("U+0800") << hex("E0A080") << true;
        QTest::newRow("U+FFFF") << hex("EFBFBF") << true;
        QTest::newRow("U+10000") << hex("F0908080") << true;
        QTest::newRow("U+10FFFF") << hex("F48FBFBF") << true;
        QTest::newRow("bare continuation") << hex("80") << false;
        QTest::newRow("overlong slash C0AF") << hex("C0AF") << false;
        QTest::newRow("overlong C1BF") << hex("C1BF") << false;
        QTest::newRow("overlong E080AF") << hex("E080AF") << false;
        QTest::newRow("overlong F08080AF") << hex("F08080AF") << false;
        QTest::newRow("surrogate D800") << hex("EDA080") << false;
        QTest::newRow("surrogate DFFF") << hex("EDBFBF") << false;
        QTest::newRow("beyond U+10FFFF") << hex("F4908080") << false;
        QTest::newRow("F5 lead") << hex("F5808080") << false;
        QTest::newRow("five-byte form") << hex("F888808080") << false;
        QTest::newRow("FE") << hex("FE") << false;
        QTest::newRow("FF") << hex("FF") << false;
        QTest::newRow("truncated 2 of 3") << hex("E4B8") << false;
        QTest::newRow("truncated 3 of 4") << hex("F0A080") << false;
        QTest::newRow("truncated before ascii") << hex("E4B841") << false;
        QTest::newRow("GBK 东门入口") << kEastGateGbk << false;
        QTest::newRow("GBK 联通 (C1 lead)") << hex("C1AACDA8") << false;
    }

    void utf8Validity()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(isValidUtf8(bytes), valid);
    }

    void gb18030Validity_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("ascii") << QByteArray("<Notify/>") << true;
        QTest::newRow("GBK name") << kGateGbk << true;
        QTest::newRow("first two-byte") << hex("8140") << true;
        QTest::newRow("last two-byte") << hex("FEFE") << true;
        QTest::newRow("trail 7E") << hex("817E") << true;
        QTest::newRow("trail 80") << hex("8180") << true;
        QTest::newRow("first four-byte U+0080") << hex("81308130") << true;
        QTest::newRow("last BMP four-byte U+FFFF") << hex("8431A439") << true;
        QTest::newRow("first supplementary U+10000") << hex("90308130") << true;
        QTest::newRow("U+20000") << hex("95328236") << true;
        QTest::newRow("last U+10FFFF") << hex("E3329A35") << true;
        QTest::newRow("single 80") << hex("80") << false;
        QTest::newRow("single FF") << hex("FF") << false;
        QTest::newRow("trail 7F") << hex("817F") << false;
        QTest::newRow("trail FF") << hex("81FF") << false;
        QTest::newRow("trail 3F") << hex("813F") << false;
        QTest::newRow("truncated lead") << hex("B6") << false;
        QTest::newRow("truncated 2 of 4") << hex("8130") << false;
        QTest::newRow("truncated 3 of 4") << hex("813081") << false;
        QTest::newRow("four-byte bad third") << hex("81307F30") << false;
        QTest::newRow("four-byte bad fourth") << hex("8130813A") << false;
        QTest::newRow("beyond BMP block 8431A530") << hex("8431A530") << false;
        QTest::newRow("unassigned lead 85") << hex("85308130") << false;
        QTest::newRow("unassigned lead 8F") << hex("8F39FE39") << false;
        QTest::newRow("beyond U+10FFFF") << hex("E3329A36") << false;
        QTest::newRow("lead E4") << hex("E4308130") << false;
        QTest::newRow("user-defined FD") << hex("FD308130") << false;
        QTest::newRow("utf-8 东门入口 (12 bytes)") << kEastGateUtf8 << true;
        QTest::newRow("utf-8 大门口摄像机") << kGateUtf8 << true;
        QTest::newRow("utf-8 一号楼东侧") << kBuildingUtf8 << false;
    }

    void gb18030Validity()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(isValidGb18030(bytes), valid);
    }

    // Every two-byte combination, and every four-byte code under a sample of lead bytes:
    // Vigil's structure check agrees with glibc, except where the 2005 and 2022 editions differ.
    void gb18030ValidityMatchesGlibc()
    {
        GlibcGb18030 glibc;
        if (!glibc.isAvailable())
            QSKIP("no iconv with a GB18030 converter here: the glibc cross-check needs one");
        for (int b1 = 0x80; b1 <= 0xFF; ++b1) {
            for (int b2 = 0; b2 <= 0xFF; ++b2) {
                const char pair[3] = {char(b1), char(b2), 'A'};
                const QByteArrayView bytes(pair, 3);
                const bool ours = isValidGb18030(bytes);
                const bool theirs = !glibc.decode(bytes).isNull();
                if (ours != theirs)
                    QFAIL(qPrintable(u"%1: Vigil says %2, glibc %3"_s.arg(QString::fromLatin1(bytes.toByteArray().toHex()))
                                         .arg(ours)
                                         .arg(theirs)));
            }
        }
        for (int b1 : {0x81, 0x82, 0x84, 0x85, 0x8F, 0x90, 0x95, 0xE3, 0xE4, 0xFE}) {
            for (int b2 = 0x30; b2 <= 0x39; ++b2) {
                for (int b3 = 0x81; b3 <= 0xFE; ++b3) {
                    for (int b4 = 0x30; b4 <= 0x39; ++b4) {
                        const char code[4] = {char(b1), char(b2), char(b3), char(b4)};
                        const QByteArray bytes(code, 4);
                        const bool ours = isValidGb18030(bytes);
                        const bool theirs = !glibc.decode(bytes).isNull();
                        if (ours != theirs && !(ours && kFourByteCodesRemovedIn2022.contains(bytes)))
                            QFAIL(qPrintable(u"%1: Vigil says %2, glibc %3"_s.arg(QString::fromLatin1(bytes.toHex()))
                                                 .arg(ours)
                                                 .arg(theirs)));
                    }
                }
            }
        }
    }

    // All 23940 two-byte codes, all 39420 four-byte BMP codes and a sample of supplementary
    // ones decode to what glibc's GB18030-2022 converter gives.
    void gb18030DecodingMatchesGlibc()
    {
        GlibcGb18030 glibc;
        if (!glibc.isAvailable())
            QSKIP("no iconv with a GB18030 converter here: the glibc cross-check needs one");
        QList<QByteArray> chunks;
        QByteArray twoByte;
        for (int b1 = 0x81; b1 <= 0xFE; ++b1) {
            for (int b2 = 0x40; b2 <= 0xFE; ++b2) {
                if (b2 != 0x7F)
                    twoByte += char(b1), twoByte += char(b2);
            }
        }
        chunks << twoByte;
        QByteArray bmp = "x"; // glibc would take a leading U+FEFF for a byte-order mark
        for (int linear = 0; linear <= 39419; ++linear) {
            const QByteArray code = fourByteCode(linear, 0x81);
            if (!kFourByteCodesRemovedIn2022.contains(code))
                bmp += code;
        }
        chunks << bmp;
        QByteArray supplementary;
        for (int linear = 0; linear <= 0x10FFFF - 0x10000; linear += 97)
            supplementary += fourByteCode(linear, 0x90);
        supplementary += hex("E3329A35");
        chunks << supplementary;

        for (const QByteArray &chunk : std::as_const(chunks)) {
            QVERIFY(isValidGb18030(chunk));
            const QString expected = glibc.decode(chunk);
            QVERIFY(!expected.isNull());
            const DecodedText decoded = decodeText(chunk, CharsetOverride::Gb18030);
            QCOMPARE(decoded.decision.encoding, TextEncoding::Gb18030);
            QVERIFY(!decoded.decision.lossy);
            if (decoded.text != expected) {
                qsizetype i = 0;
                while (i < expected.size() && i < decoded.text.size() && expected[i] == decoded.text[i])
                    ++i;
                QFAIL(qPrintable(u"first difference at character %1: Vigil U+%2, glibc U+%3"_s.arg(i)
                                     .arg(uint(i < decoded.text.size() ? decoded.text[i].unicode() : 0), 4, 16, QChar(u'0'))
                                     .arg(uint(i < expected.size() ? expected[i].unicode() : 0), 4, 16, QChar(u'0'))));
            }
        }
    }

    // Every BMP character (and a sample beyond) encodes to what glibc's GB18030-2022 gives.
    void gb18030EncodingMatchesGlibc()
    {
        GlibcGb18030 glibc;
        if (!glibc.isAvailable())
            QSKIP("no iconv with a GB18030 converter here: the glibc cross-check needs one");
        QString text;
        for (char32_t c = 0x80; c <= 0x10FFFF; c += c < 0x10000 ? 1 : 89) {
            if (QChar::isSurrogate(c) || kPuaWithFourByteCodesIn2022.contains(c))
                continue; // glibc does not encode these; twentyTwentyTwoMapping() covers them
            if (QChar::requiresSurrogates(c)) {
                text.append(QChar(QChar::highSurrogate(c)));
                text.append(QChar(QChar::lowSurrogate(c)));
            } else {
                text.append(QChar(char16_t(c)));
            }
        }
        const QByteArray expected = glibc.encode(text);
        QVERIFY(!expected.isNull());
        const QByteArray ours = encodeText(text, TextEncoding::Gb18030);
        if (ours != expected) {
            qsizetype i = 0;
            while (i < ours.size() && i < expected.size() && ours[i] == expected[i])
                ++i;
            QFAIL(qPrintable(u"first difference at byte %1: Vigil %2, glibc %3"_s.arg(i)
                                 .arg(QString::fromLatin1(ours.mid(i, 4).toHex()), QString::fromLatin1(expected.mid(i, 4).toHex()))));
        }
    }

    void twentyTwentyTwoMapping_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("text");
        // 2022 gave these two-byte codes standard characters (2005: Private Use Area)...
        QTest::newRow("A6D9 U+FE10") << hex("A6D9") << u"\uFE10"_s;
        QTest::newRow("A6DA U+FE12") << hex("A6DA") << u"\uFE12"_s;
        QTest::newRow("FE59 U+9FB4") << hex("FE59") << u"\u9FB4"_s;
        QTest::newRow("FE51 U+20087") << hex("FE51") << u"\U00020087"_s;
        QTest::newRow("FE91 U+241FE") << hex("FE91") << u"\U000241FE"_s;
        // ... and the four-byte codes those characters had to the Private Use Area.
        QTest::newRow("84318236 U+E78D") << hex("84318236") << u"\uE78D"_s;
        QTest::newRow("82359037 U+E81E") << hex("82359037") << u"\uE81E"_s;
        QTest::newRow("in context") << hex("41FE5142") << u"A\U00020087B"_s;
    }

    void twentyTwentyTwoMapping()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, text);
        QCOMPARE(decodeText(bytes, CharsetOverride::Gb18030).text, text);
        QCOMPARE(encodeText(text, TextEncoding::Gb18030), bytes);
    }

    void twentyTwentyTwoSupplementary()
    {
        // U+20087's algorithmic four-byte code still means U+20087; its PUA stand-in has no code.
        QCOMPARE(decodeText(hex("95329031"), CharsetOverride::Gb18030).text, u"\U00020087"_s);
        QCOMPARE(decodeText(encodeText(u"\uE816"_s, TextEncoding::Gb18030), CharsetOverride::Gb18030).text,
                 u"\U00020087"_s);
    }

    // Decoding and encoding GB18030 are inverse over every valid code but the six four-byte
    // aliases of twentyTwentyTwoSupplementary().
    void gb18030RoundTrips()
    {
        QByteArray all;
        for (int b1 = 0x81; b1 <= 0xFE; ++b1) {
            for (int b2 = 0x40; b2 <= 0xFE; ++b2) {
                if (b2 != 0x7F)
                    all += char(b1), all += char(b2);
            }
        }
        for (int linear = 0; linear <= 39419; ++linear)
            all += fourByteCode(linear, 0x81);
        const QList<int> aliases = {0x20087, 0x20089, 0x200CC, 0x215D7, 0x2298F, 0x241FE};
        for (int linear = 0; linear <= 0x10FFFF - 0x10000; ++linear) {
            if (!aliases.contains(linear + 0x10000))
                all += fourByteCode(linear, 0x90);
        }
        const DecodedText decoded = decodeText(all, CharsetOverride::Gb18030);
        QVERIFY(!decoded.decision.lossy);
        QVERIFY(encodeText(decoded.text, TextEncoding::Gb18030) == all);
    }

    void declaration_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<DeclaredCharset>("declared");
        QTest::newRow("GB2312") << QByteArray("<?xml version=\"1.0\" encoding=\"GB2312\"?><a/>") << DeclaredCharset::Gb2312;
        QTest::newRow("gb2312 lower") << QByteArray("<?xml version=\"1.0\" encoding=\"gb2312\"?>") << DeclaredCharset::Gb2312;
        QTest::newRow("GBK") << QByteArray("<?xml version=\"1.0\" encoding=\"GBK\"?>") << DeclaredCharset::Gbk;
        QTest::newRow("cp936") << QByteArray("<?xml version='1.0' encoding='CP936'?>") << DeclaredCharset::Gbk;
        QTest::newRow("GB18030") << QByteArray("<?xml version=\"1.0\" encoding=\"GB18030\"?>") << DeclaredCharset::Gb18030;
        QTest::newRow("UTF-8") << QByteArray("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") << DeclaredCharset::Utf8;
        QTest::newRow("utf8") << QByteArray("<?xml version=\"1.0\" encoding=\"utf8\"?>") << DeclaredCharset::Utf8;
        QTest::newRow("single quotes, spaces") << QByteArray("<?xml version='1.0' encoding = 'Utf-8' ?>") << DeclaredCharset::Utf8;
        QTest::newRow("unquoted") << QByteArray("<?xml version=1.0 encoding=GB2312?>") << DeclaredCharset::Gb2312;
        QTest::newRow("padded value") << QByteArray("<?xml version=\"1.0\" encoding=\" GB2312 \"?>") << DeclaredCharset::Gb2312;
        QTest::newRow("upper-case ENCODING") << QByteArray("<?XML VERSION=\"1.0\" ENCODING=\"GBK\"?>") << DeclaredCharset::Gbk;
        QTest::newRow("leading whitespace") << QByteArray("\r\n  <?xml version=\"1.0\" encoding=\"GB2312\"?>") << DeclaredCharset::Gb2312;
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>") << DeclaredCharset::Utf8;
        QTest::newRow("no encoding") << QByteArray("<?xml version=\"1.0\"?><a/>") << DeclaredCharset::None;
        QTest::newRow("no declaration") << QByteArray("<Notify/>") << DeclaredCharset::None;
        QTest::newRow("empty") << QByteArray() << DeclaredCharset::None;
        QTest::newRow("empty value") << QByteArray("<?xml version=\"1.0\" encoding=\"\"?>") << DeclaredCharset::None;
        QTest::newRow("latin-1") << QByteArray("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>") << DeclaredCharset::Other;
        QTest::newRow("encoding outside prolog") << QByteArray("<?xml version=\"1.0\"?><a encoding=\"GBK\"/>") << DeclaredCharset::None;
        QTest::newRow("truncated prolog") << QByteArray("<?xml version=\"1.0\" encoding=\"GB2312") << DeclaredCharset::Gb2312;
        QTest::newRow("prolog not first") << QByteArray("<a/><?xml version=\"1.0\" encoding=\"GBK\"?>") << DeclaredCharset::None;
    }

    void declaration()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(DeclaredCharset, declared);
        QCOMPARE(declaredCharset(bytes), declared);
    }

    // Chinese names encoded each way, declared right, wrong and not at all.
    void decodeNames_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<TextEncoding>("encoding");
        QTest::addColumn<DeclaredCharset>("declared");
        QTest::addColumn<bool>("fallback");

        const struct {
            const char *label;
            QString name;
            QByteArray gbk;
            QByteArray utf8;
        } names[] = {
            {"大门口摄像机", kGate, kGateGbk, kGateUtf8},
            {"一号楼东侧", kBuilding, kBuildingGbk, kBuildingUtf8},
            {"东门入口", kEastGate, kEastGateGbk, kEastGateUtf8},
        };
        for (const auto &n : names) {
            auto row = [&](const char *what) -> QTestData & { return QTest::addRow("%s %s", n.label, what); };
            row("GBK as GB2312") << body("GB2312", n.gbk) << bodyText(n.name) << TextEncoding::Gb18030 << DeclaredCharset::Gb2312 << false;
            row("GBK as gbk") << body("gbk", n.gbk) << bodyText(n.name) << TextEncoding::Gb18030 << DeclaredCharset::Gbk << false;
            row("GBK as GB18030") << body("GB18030", n.gbk) << bodyText(n.name) << TextEncoding::Gb18030 << DeclaredCharset::Gb18030 << false;
            row("GBK as UTF-8") << body("UTF-8", n.gbk) << bodyText(n.name) << TextEncoding::Gb18030 << DeclaredCharset::Utf8 << true;
            row("GBK undeclared") << body("", n.gbk) << bodyText(n.name) << TextEncoding::Gb18030 << DeclaredCharset::None << true;
            row("UTF-8 as UTF-8") << body("UTF-8", n.utf8) << bodyText(n.name) << TextEncoding::Utf8 << DeclaredCharset::Utf8 << false;
            row("UTF-8 as GB2312") << body("GB2312", n.utf8) << bodyText(n.name) << TextEncoding::Utf8 << DeclaredCharset::Gb2312 << true;
            row("UTF-8 as GBK") << body("GBK", n.utf8) << bodyText(n.name) << TextEncoding::Utf8 << DeclaredCharset::Gbk << true;
            row("UTF-8 undeclared") << body("", n.utf8) << bodyText(n.name) << TextEncoding::Utf8 << DeclaredCharset::None << false;
        }
        // 联通 in GBK starts with C1, which a lax UTF-8 check would take for an overlong form.
        QTest::newRow("联通 GBK undeclared") << body("", hex("C1AACDA8")) << bodyText(u"联通"_s)
                                         << TextEncoding::Gb18030 << DeclaredCharset::None << true;
        // 楼 in GBK (C2 A5) is also valid UTF-8 (U+00A5 ¥): the declaration decides.
        QTest::newRow("楼 GBK as GB2312") << body("GB2312", hex("C2A5")) << bodyText(u"楼"_s)
                                        << TextEncoding::Gb18030 << DeclaredCharset::Gb2312 << false;
        QTest::newRow("¥ UTF-8 as UTF-8") << body("UTF-8", hex("C2A5")) << bodyText(u"¥"_s)
                                        << TextEncoding::Utf8 << DeclaredCharset::Utf8 << false;
        QTest::newRow("four-byte GB18030 character") << body("GB18030", hex("95328236")) << bodyText(u"\U00020000"_s)
                                                  << TextEncoding::Gb18030 << DeclaredCharset::Gb18030 << false;
        QTest::newRow("unknown declaration, GBK") << body("ISO-8859-1", kGateGbk) << bodyText(kGate)
                                               << TextEncoding::Gb18030 << DeclaredCharset::Other << true;
    }

    void decodeNames()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QFETCH(TextEncoding, encoding);
        QFETCH(DeclaredCharset, declared);
        QFETCH(bool, fallback);

        const DecodedText decoded = decodeText(bytes);
        QVERIFY(decoded.text.endsWith(expected));
        QCOMPARE(decoded.decision.encoding, encoding);
        QCOMPARE(decoded.decision.declared, declared);
        QCOMPARE(decoded.decision.fallback, fallback);
        QVERIFY(!decoded.decision.lossy);
        QVERIFY(!decoded.decision.asciiOnly);

        const Utf8Text utf8 = decodeToUtf8(bytes);
        QCOMPARE(utf8.decision, decoded.decision);
        QCOMPARE(QString::fromUtf8(utf8.utf8), decoded.text);
    }

    void asciiSaysNothing()
    {
        const QByteArray keepalive = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n"
                                     "<SN>43</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n";
        const DecodedText decoded = decodeText(keepalive);
        QCOMPARE(decoded.text, QString::fromLatin1(keepalive));
        QVERIFY(decoded.decision.asciiOnly);
        QCOMPARE(decoded.decision.encoding, TextEncoding::Gb18030);
        QCOMPARE(decoded.decision.declared, DeclaredCharset::Gb2312);
        QVERIFY(!decoded.decision.fallback);
        QVERIFY(decodeText("<Notify/>").decision.asciiOnly);
        QCOMPARE(decodeText("<Notify/>").decision.encoding, TextEncoding::Utf8);
    }

    void byteOrderMarkAndTrailingNuls()
    {
        const QByteArray withBom = "\xEF\xBB\xBF" + body("UTF-8", kGateUtf8);
        DecodedText decoded = decodeText(withBom);
        QCOMPARE(decoded.text, QString::fromLatin1("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n") + bodyText(kGate));
        QVERIFY(decoded.decision.byteOrderMark);
        QCOMPARE(decoded.decision.encoding, TextEncoding::Utf8);

        // A BOM outweighs a GB declaration, even for text that would also be valid GBK.
        decoded = decodeText(QByteArray("\xEF\xBB\xBF" + body("GB2312", hex("C2A5"))));
        QVERIFY(decoded.text.endsWith(bodyText(u"¥"_s)));
        QCOMPARE(decoded.decision.encoding, TextEncoding::Utf8);
        QVERIFY(!decoded.decision.fallback);

        QByteArray withNuls = body("GB2312", kBuildingGbk);
        withNuls.append(QByteArray(7, '\0'));
        decoded = decodeText(withNuls);
        QVERIFY(decoded.text.endsWith(bodyText(kBuilding)));
        QVERIFY(!decoded.text.contains(QChar(0)));
        QCOMPARE(decoded.decision.encoding, TextEncoding::Gb18030);

        // One BOM is removed; a second one is text.
        QCOMPARE(decodeText("\xEF\xBB\xBF\xEF\xBB\xBF<a/>").text, u"\uFEFF<a/>"_s);
        QCOMPARE(decodeText("\xEF\xBB\xBF\xEF\xBB\xBF\xE4\xB8\x9C").text, u"\uFEFF东"_s);

        // A NUL that is not trailing stays: it is valid in both encodings.
        QCOMPARE(decodeText(QByteArray("a\0b", 3)).text, u"a\0b"_s);
        QCOMPARE(decodeText(QByteArray(5, '\0')).text, QString());
        QCOMPARE(decodeText("\xEF\xBB\xBF").text, QString());
    }

    void overrides_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<CharsetOverride>("override");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<TextEncoding>("encoding");
        QTest::addColumn<bool>("fallback");
        // The override beats the declaration...
        QTest::newRow("Utf8 over GB2312 declaration") << body("GB2312", hex("C2A5")) << CharsetOverride::Utf8
                                                      << bodyText(u"¥"_s) << TextEncoding::Utf8 << false;
        QTest::newRow("Gb18030 over UTF-8 declaration") << body("UTF-8", hex("C2A5")) << CharsetOverride::Gb18030
                                                        << bodyText(u"楼"_s) << TextEncoding::Gb18030 << false;
        // ... and the UTF-8 heuristic: this is the documented mojibake, because the installer asked for it.
        QTest::newRow("Gb18030 forced on UTF-8") << body("GB2312", kEastGateUtf8) << CharsetOverride::Gb18030
                                                 << bodyText(u"涓滈棬鍏ュ彛"_s) << TextEncoding::Gb18030 << false;
        // Bytes invalid for the override still fall back to the other encoding.
        QTest::newRow("Utf8 forced on GBK") << body("GB2312", kGateGbk) << CharsetOverride::Utf8
                                            << bodyText(kGate) << TextEncoding::Gb18030 << true;
        QTest::newRow("Gb18030 forced on invalid GB") << body("UTF-8", kBuildingUtf8) << CharsetOverride::Gb18030
                                                      << bodyText(kBuilding) << TextEncoding::Utf8 << true;
    }

    void overrides()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(CharsetOverride, override);
        QFETCH(QString, expected);
        QFETCH(TextEncoding, encoding);
        QFETCH(bool, fallback);
        const DecodedText decoded = decodeText(bytes, override);
        QVERIFY2(decoded.text.endsWith(expected), qPrintable(decoded.text));
        QCOMPARE(decoded.decision.encoding, encoding);
        QCOMPARE(decoded.decision.fallback, fallback);
        QVERIFY(!decoded.decision.lossy);
    }

    void invalidEverywhere_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<TextEncoding>("encoding");
        // FF is invalid in both; the rest decodes as the declaration says.
        QTest::newRow("GB declared") << body("GB2312", kEastGateGbk + "\xFF") << bodyText(kEastGate + u"\uFFFD"_s) << TextEncoding::Gb18030;
        QTest::newRow("UTF-8 declared") << body("UTF-8", kEastGateUtf8 + "\xFF") << bodyText(kEastGate + u"\uFFFD"_s) << TextEncoding::Utf8;
        // A GB18030 sequence cut short at the end is not silently dropped.
        QTest::newRow("truncated at end") << QByteArray("<?xml encoding=\"GBK\"?>" + hex("B6ABC3")) << u"东\uFFFD"_s << TextEncoding::Gb18030;
        QTest::newRow("undeclared") << hex("B6ABFF") << u"\uFFFD\uFFFD\uFFFD"_s << TextEncoding::Utf8;
        QTest::newRow("truncated four-byte") << QByteArray("<?xml encoding=\"GBK\"?>" + hex("B6AB813081"))
                                             << u"<?xml encoding=\"GBK\"?>东\uFFFD0\uFFFD"_s << TextEncoding::Gb18030;
        // Only the lead byte of a broken sequence is replaced; what follows is read again.
        QTest::newRow("broken four-byte") << QByteArray("<?xml encoding=\"GBK\"?>" + hex("B6AB81308141"))
                                          << u"<?xml encoding=\"GBK\"?>东\uFFFD0丄"_s << TextEncoding::Gb18030;
    }

    void invalidEverywhere()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QFETCH(TextEncoding, encoding);
        const DecodedText decoded = decodeText(bytes);
        QCOMPARE(decoded.text.right(expected.size()), expected);
        QCOMPARE(decoded.decision.encoding, encoding);
        QVERIFY(decoded.decision.lossy);
        QVERIFY(isValidUtf8(decodeToUtf8(bytes).utf8));
    }

    void encode_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<TextEncoding>("encoding");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("ascii gb") << u"Camera 1"_s << TextEncoding::Gb18030 << QByteArray("Camera 1");
        QTest::newRow("gate gb") << kGate << TextEncoding::Gb18030 << kGateGbk;
        QTest::newRow("building gb") << kBuilding << TextEncoding::Gb18030 << kBuildingGbk;
        QTest::newRow("gate utf-8") << kGate << TextEncoding::Utf8 << kGateUtf8;
        QTest::newRow("supplementary gb") << u"\U00020000"_s << TextEncoding::Gb18030 << hex("95328236");
        QTest::newRow("euro gb") << u"€"_s << TextEncoding::Gb18030 << hex("A2E3");
        QTest::newRow("unpaired surrogate gb") << (u"a"_s + QChar(0xD800) + u"b"_s) << TextEncoding::Gb18030 << QByteArray("a?b");
        QTest::newRow("unpaired surrogate utf-8") << (u"东"_s + QChar(0xDC00)) << TextEncoding::Utf8 << QByteArray(hex("E4B89C") + "?");
    }

    void encode()
    {
        QFETCH(QString, text);
        QFETCH(TextEncoding, encoding);
        QFETCH(QByteArray, bytes);
        QCOMPARE(encodeText(text, encoding), bytes);
    }

    void encodeDecodeRoundTrip()
    {
        const QString mixed = u"东门入口 Gate-1 & <北京市海淀区> 一号楼东侧 \U00020000 ︐"_s;
        for (TextEncoding encoding : {TextEncoding::Gb18030, TextEncoding::Utf8}) {
            const QByteArray bytes = encodeText(mixed, encoding);
            const CharsetOverride override = encoding == TextEncoding::Utf8 ? CharsetOverride::Utf8 : CharsetOverride::Gb18030;
            const DecodedText decoded = decodeText(bytes, override);
            QCOMPARE(decoded.text, mixed);
            QCOMPARE(decoded.decision.encoding, encoding);
        }
    }

    void names()
    {
        QCOMPARE(xmlEncodingName(TextEncoding::Gb18030), QByteArrayView("GB2312"));
        QCOMPARE(xmlEncodingName(TextEncoding::Utf8), QByteArrayView("UTF-8"));
        QCOMPARE(encodingName(TextEncoding::Gb18030), QByteArrayView("GB18030"));
    }
};

QTEST_APPLESS_MAIN(TestCharset)
#include "tst_charset.moc"
