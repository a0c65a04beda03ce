#include "gb28181/manscdpxml.h"

#include <QTest>

using namespace Vigil::Gb;

class TestManscdpXml : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void repair_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("output");
        QTest::addColumn<int>("repairs");

        QTest::newRow("clean") << QByteArray("<a><b x=\"1\">t</b><c/></a>") << QByteArray("<a><b x=\"1\">t</b><c/></a>") << 0;
        QTest::newRow("declaration dropped") << QByteArray("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<a>t</a>\r\n")
                                             << QByteArray("<a>t</a>") << 0;
        QTest::newRow("entities kept") << QByteArray("<a>&amp;&lt;&gt;&quot;&apos;&#20013;&#x4E1C;</a>")
                                       << QByteArray("<a>&amp;&lt;&gt;&quot;&apos;&#20013;&#x4E1C;</a>") << 0;
        QTest::newRow("bare &") << QByteArray("<a>A & B</a>") << QByteArray("<a>A &amp; B</a>") << 1;
        QTest::newRow("& before a word") << QByteArray("<a>A&B;C</a>") << QByteArray("<a>A&amp;B;C</a>") << 1;
        QTest::newRow("unknown entity") << QByteArray("<a>&nbsp;</a>") << QByteArray("<a>&amp;nbsp;</a>") << 1;
        QTest::newRow("NUL reference") << QByteArray("<a>&#0;&#xD800;&#x110000;</a>")
                                       << QByteArray("<a>&amp;#0;&amp;#xD800;&amp;#x110000;</a>") << 3;
        QTest::newRow("unterminated reference") << QByteArray("<a>&#123</a>") << QByteArray("<a>&amp;#123</a>") << 1;
        QTest::newRow("< before a digit") << QByteArray("<a>3<4</a>") << QByteArray("<a>3&lt;4</a>") << 1;
        QTest::newRow("< before a space") << QByteArray("<a>a < b</a>") << QByteArray("<a>a &lt; b</a>") << 1;
        QTest::newRow("< at the end of text") << QByteArray("<a>a<</a>") << QByteArray("<a>a&lt;</a>") << 1;
        QTest::newRow("stray start tag") << QByteArray("<a>Road<West>1</a>") << QByteArray("<a>Road&lt;West>1</a>") << 1;
        QTest::newRow("stray Chinese tag") << QByteArray("<a>\xE4\xB8\x9C<\xE8\xA5\xBF></a>")
                                           << QByteArray("<a>\xE4\xB8\x9C&lt;\xE8\xA5\xBF></a>") << 1;
        QTest::newRow("stray end tag") << QByteArray("<a>x</b>y</a>") << QByteArray("<a>x&lt;/b>y</a>") << 1;
        QTest::newRow("end tag case") << QByteArray("<Name>x</NAME>") << QByteArray("<Name>x</Name>") << 1;
        QTest::newRow("end tag with space") << QByteArray("<a>x</a >") << QByteArray("<a>x</a>") << 0;
        QTest::newRow("missing container end") << QByteArray("<r><list><i>1</i><i>2</i></r>")
                                               << QByteArray("<r><list><i>1</i><i>2</i></list></r>") << 1;
        QTest::newRow("missing leaf end in container")
            << QByteArray("<r><i><n>x</i></r>") << QByteArray("<r><i>&lt;n>x</i></r>") << 1;
        QTest::newRow("truncated") << QByteArray("<r><i><n>x") << QByteArray("<r><i><n>x</n></i></r>") << 3;
        QTest::newRow("truncated in a tag") << QByteArray("<r><i>x</i><i") << QByteArray("<r><i>x</i>&lt;i</r>") << 2;
        QTest::newRow("unquoted attribute") << QByteArray("<a Num=2>x</a>") << QByteArray("<a Num=\"2\">x</a>") << 1;
        QTest::newRow("unquoted before />") << QByteArray("<a><b n=2/></a>") << QByteArray("<a><b n=\"2\"/></a>") << 1;
        QTest::newRow("single quotes") << QByteArray("<a n='say \"hi\"'/>") << QByteArray("<a n=\"say &quot;hi&quot;\"/>") << 0;
        QTest::newRow("& in attribute") << QByteArray("<a n=\"x&y\"/>") << QByteArray("<a n=\"x&amp;y\"/>") << 1;
        QTest::newRow("attribute without value") << QByteArray("<a flag n=\"1\">x</a>") << QByteArray("<a n=\"1\">x</a>") << 1;
        QTest::newRow("repeated attribute") << QByteArray("<a n=\"1\" n=\"2\">x</a>") << QByteArray("<a n=\"1\">x</a>") << 1;
        QTest::newRow("< inside quoted value") << QByteArray("<a><b n=\"<\">x</b></a>")
                                               << QByteArray("<a>&lt;b n=\"&lt;\">x&lt;/b></a>") << 3;
        QTest::newRow("text before root") << QByteArray("junk<a>x</a>") << QByteArray("<a>x</a>") << 1;
        QTest::newRow("blank before root") << QByteArray(" \r\n<a>x</a>") << QByteArray("<a>x</a>") << 0;
        QTest::newRow("garbage after root") << QByteArray("<a>x</a>junk<b/>") << QByteArray("<a>x</a>") << 2;
        QTest::newRow("second root") << QByteArray("<a>x</a><a>y</a>") << QByteArray("<a>x</a>") << 3;
        QTest::newRow("NUL") << QByteArray("<a>x</a>\0\0", 10) << QByteArray("<a>x</a>") << 0;
        QTest::newRow("NUL then junk") << QByteArray("<a>x</a>\0junk", 13) << QByteArray("<a>x</a>") << 1;
        QTest::newRow("NUL inside") << QByteArray("<a>x\0y</a>", 10) << QByteArray("<a>x</a>") << 2;
        QTest::newRow("comment and DOCTYPE") << QByteArray("<!DOCTYPE a [<!ENTITY e \"x\">]><a><!-- c -->&e;</a>")
                                             << QByteArray("<a>&amp;e;</a>") << 1;
        QTest::newRow("CDATA kept") << QByteArray("<a><![CDATA[<&>]]></a>") << QByteArray("<a><![CDATA[<&>]]></a>") << 0;
        QTest::newRow("unterminated CDATA") << QByteArray("<a><![CDATA[x</a>") << QByteArray("<a>&lt;![CDATA[x</a>") << 1;
        QTest::newRow("self-closing root") << QByteArray("<a/>") << QByteArray("<a/>") << 0;
        QTest::newRow("no element") << QByteArray("just text") << QByteArray() << 1;
        QTest::newRow("empty") << QByteArray() << QByteArray() << 0;
    }

    void repair()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, output);
        QFETCH(int, repairs);
        XmlRepairs counted;
        QCOMPARE(repairXml(input, &counted), output);
        QCOMPARE(counted.total(), repairs);
        // Repairing again changes nothing.
        XmlRepairs again;
        QCOMPARE(repairXml(output, &again), output);
        QCOMPARE(again.total(), 0);
    }

    void attributesAreBounded()
    {
        QByteArray tag = "<a";
        for (int i = 0; i < 1000; ++i)
            tag += " n" + QByteArray::number(i) + "=\"" + QByteArray::number(i) + "\"";
        XmlRepairs repairs;
        const QByteArray out = repairXml(QByteArray(tag + ">x</a>"), &repairs);
        QCOMPARE(out.count('='), kMaxXmlAttributes);
        QCOMPARE(repairs.droppedAttributes, 1000 - kMaxXmlAttributes);
        QVERIFY(out.startsWith("<a n0=\"0\" n1=\"1\""));
        QVERIFY(out.endsWith(">x</a>"));
    }

    // Runs of markup that never ends: each is text, and the work stays linear.
    void unterminatedMarkup_data()
    {
        QTest::addColumn<QByteArray>("unit");
        QTest::addColumn<QByteArray>("start");
        QTest::newRow("<?") << QByteArray("<?") << QByteArray("<r>&lt;?&lt;?");
        QTest::newRow("<!--") << QByteArray("<!--") << QByteArray("<r>&lt;!--&lt;!--");
        QTest::newRow("<![CDATA[") << QByteArray("<![CDATA[") << QByteArray("<r>&lt;![CDATA[&lt;![CDATA[");
        QTest::newRow("<![") << QByteArray("<![") << QByteArray("<r>&lt;![&lt;![");
        QTest::newRow("<a b=\"") << QByteArray("<a b=\"") << QByteArray("<r>&lt;a b=\"&lt;a b=\"");
        // A declaration runs to the next '>', here the one of </r>.
        QTest::newRow("<!") << QByteArray("<!") << QByteArray("<r></r>");
    }

    void unterminatedMarkup()
    {
        QFETCH(QByteArray, unit);
        QFETCH(QByteArray, start);
        const QByteArray input = "<r>" + unit.repeated(60000 / unit.size()) + QByteArray("</r>");
        const QByteArray out = repairXml(input);
        QVERIFY(out.startsWith(start));
        QVERIFY(out.endsWith("</r>"));
        QCOMPARE(repairXml(out), out);
    }

    void depthIsBounded()
    {
        QByteArray deep;
        for (int i = 0; i < 100; ++i)
            deep += "<e>";
        deep += "x";
        for (int i = 0; i < 100; ++i)
            deep += "</e>";
        XmlRepairs repairs;
        const QByteArray out = repairXml(deep, &repairs);
        QCOMPARE(out.count("<e>"), kMaxXmlDepth);
        QCOMPARE(out.count("</e>"), kMaxXmlDepth);
        QCOMPARE(repairXml(out), out);
    }
};

QTEST_APPLESS_MAIN(TestManscdpXml)
#include "tst_manscdpxml.moc"
