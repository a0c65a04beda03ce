#include "icons.h"

#include <QApplication>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmapCache>

#include <functional>

using namespace Qt::StringLiterals;

namespace Vigil::Ui::Icons {

namespace {

using Painter = std::function<void(QPainter &, const QColor &foreground)>;

const QColor kOnline(0x2e, 0xa0, 0x5a);
const QColor kOffline(0x9a, 0x9a, 0x9a);
const QColor kStreaming(0x2f, 0x80, 0xed);
const QColor kAccent(0x2f, 0x80, 0xed);

/// Paints into a 16 × 16 logical box scaled to the requested size; disabled icons are faded.
class PaintedIconEngine : public QIconEngine {
public:
    PaintedIconEngine(QString key, Painter painter)
        : m_key(std::move(key))
        , m_painter(std::move(painter))
    {
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->translate(rect.topLeft());
        painter->scale(rect.width() / 16.0, rect.height() / 16.0);
        if (mode == QIcon::Disabled)
            painter->setOpacity(0.35);
        const QColor foreground = QApplication::palette().color(QPalette::WindowText);
        m_painter(*painter, mode == QIcon::Selected ? QApplication::palette().color(QPalette::HighlightedText)
                                                    : foreground);
        painter->restore();
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        const QSize pixels = size * scale;
        const QString cacheKey = u"vigil:%1:%2x%3:%4:%5"_s.arg(m_key)
                                     .arg(pixels.width())
                                     .arg(pixels.height())
                                     .arg(int(mode))
                                     .arg(QApplication::palette().color(QPalette::WindowText).rgba());
        QPixmap result;
        if (QPixmapCache::find(cacheKey, &result))
            return result;
        result = QPixmap(pixels);
        result.fill(Qt::transparent);
        {
            QPainter painter(&result);
            paint(&painter, QRect(QPoint(0, 0), pixels), mode, state);
        }
        result.setDevicePixelRatio(scale);
        QPixmapCache::insert(cacheKey, result);
        return result;
    }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override { return size; }
    QIconEngine *clone() const override { return new PaintedIconEngine(m_key, m_painter); }
    QString key() const override { return u"VigilPaintedIconEngine"_s; }

private:
    QString m_key;
    Painter m_painter;
};

QIcon makeIcon(const QString &key, Painter painter)
{
    static QHash<QString, QIcon> cache;
    auto it = cache.find(key);
    if (it == cache.end())
        it = cache.insert(key, QIcon(new PaintedIconEngine(key, std::move(painter))));
    return *it;
}

QPen pen(const QColor &color, qreal width = 1.2)
{
    return QPen(color, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
}

void drawBullet(QPainter &p, const QColor &color)
{
    p.setPen(pen(color));
    p.setBrush(color.lighter(170));
    p.drawRoundedRect(QRectF(1.5, 3.5, 9.5, 5.5), 1.5, 1.5);
    QPainterPath lens;
    lens.moveTo(11, 4.5);
    lens.lineTo(14.5, 3);
    lens.lineTo(14.5, 9.5);
    lens.lineTo(11, 8);
    lens.closeSubpath();
    p.setBrush(color);
    p.drawPath(lens);
    p.drawLine(QPointF(5, 9), QPointF(5, 12.5));
    p.drawLine(QPointF(2.5, 12.5), QPointF(7.5, 12.5));
}

void drawDome(QPainter &p, const QColor &color)
{
    p.setPen(pen(color));
    p.setBrush(color.lighter(170));
    p.drawRect(QRectF(1.5, 2.5, 13, 2.5));
    p.drawChord(QRectF(3, 0.5, 10, 12), 180 * 16, 180 * 16);
    p.setBrush(color);
    p.drawEllipse(QPointF(8, 8.5), 1.6, 1.6);
}

void drawBox(QPainter &p, const QColor &color, bool stacked)
{
    p.setPen(pen(color));
    p.setBrush(color.lighter(170));
    if (stacked) {
        p.drawRoundedRect(QRectF(1.5, 1.5, 13, 5), 1, 1);
        p.drawRoundedRect(QRectF(1.5, 7.5, 13, 5), 1, 1);
        p.setBrush(color);
        p.drawEllipse(QPointF(4, 4), 0.9, 0.9);
        p.drawEllipse(QPointF(4, 10), 0.9, 0.9);
    } else {
        p.drawRoundedRect(QRectF(1.5, 4, 13, 7), 1, 1);
        p.setBrush(color);
        p.drawEllipse(QPointF(4, 7.5), 0.9, 0.9);
        p.drawEllipse(QPointF(6.5, 7.5), 0.9, 0.9);
        p.drawLine(QPointF(9, 7.5), QPointF(12.5, 7.5));
    }
}

void drawFolder(QPainter &p, const QColor &color, bool dot)
{
    p.setPen(pen(color));
    p.setBrush(QColor(0xe8, 0xb9, 0x4a));
    QPainterPath folder;
    folder.moveTo(1.5, 3);
    folder.lineTo(6, 3);
    folder.lineTo(7.5, 4.5);
    folder.lineTo(14.5, 4.5);
    folder.lineTo(14.5, 13);
    folder.lineTo(1.5, 13);
    folder.closeSubpath();
    p.drawPath(folder);
    if (dot) {
        p.setBrush(color);
        p.drawEllipse(QPointF(8, 9), 1.8, 1.8);
    }
}

void drawPin(QPainter &p, const QColor &color)
{
    p.setPen(pen(color));
    p.setBrush(QColor(0xe0, 0x6c, 0x4f));
    QPainterPath pin;
    pin.moveTo(8, 14.5);
    pin.cubicTo(3, 9, 3, 6.5, 3, 6);
    pin.arcTo(QRectF(3, 1, 10, 10), 180, -180);
    pin.cubicTo(13, 6.5, 13, 9, 8, 14.5);
    p.drawPath(pin);
    p.setBrush(Qt::white);
    p.drawEllipse(QPointF(8, 6), 1.8, 1.8);
}

void drawAlarm(QPainter &p, const QColor &color)
{
    p.setPen(pen(color));
    p.setBrush(QColor(0xf2, 0xc1, 0x4e));
    QPainterPath triangle;
    triangle.moveTo(8, 1.5);
    triangle.lineTo(14.5, 13.5);
    triangle.lineTo(1.5, 13.5);
    triangle.closeSubpath();
    p.drawPath(triangle);
    p.drawLine(QPointF(8, 5.5), QPointF(8, 9.5));
    p.drawPoint(QPointF(8, 11.5));
}

void drawBadge(QPainter &p, Status status)
{
    if (status == Status::None)
        return;
    const QRectF badge(9.5, 9.5, 6, 6);
    p.setPen(QPen(Qt::white, 1));
    switch (status) {
    case Status::Online:
        p.setBrush(kOnline);
        p.drawEllipse(badge);
        break;
    case Status::Offline:
        p.setBrush(QColor(0xc0, 0x39, 0x2b));
        p.drawEllipse(badge);
        p.setPen(QPen(Qt::white, 1.1));
        p.drawLine(QPointF(11, 11), QPointF(14, 14));
        p.drawLine(QPointF(14, 11), QPointF(11, 14));
        break;
    case Status::Streaming: {
        p.setBrush(kStreaming);
        p.drawEllipse(badge);
        QPainterPath play;
        play.moveTo(11.5, 10.8);
        play.lineTo(14.2, 12.5);
        play.lineTo(11.5, 14.2);
        play.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(Qt::white);
        p.drawPath(play);
        break;
    }
    case Status::None:
        break;
    }
}

} // namespace

QIcon node(Node kind, Status status)
{
    const QString key = u"node-%1-%2"_s.arg(int(kind)).arg(int(status));
    return makeIcon(key, [kind, status](QPainter &p, const QColor &) {
        const QColor color = status == Status::Offline ? kOffline : QColor(0x3d, 0x5a, 0x80);
        switch (kind) {
        case Node::Device: drawBox(p, color, false); break;
        case Node::Platform: drawBox(p, color, true); break;
        case Node::SubDevice: drawBox(p, color, false); break;
        case Node::Region: drawPin(p, color); break;
        case Node::Group: drawFolder(p, color, false); break;
        case Node::Organization: drawFolder(p, color, true); break;
        case Node::Camera: drawBullet(p, color); break;
        case Node::DomeCamera: drawDome(p, color); break;
        case Node::AlarmInput: drawAlarm(p, color); break;
        case Node::Other:
            p.setPen(pen(color));
            p.drawEllipse(QRectF(3, 3, 10, 10));
            break;
        }
        drawBadge(p, status);
    });
}

QIcon layout(int gridSize, const QList<QRect> &cells)
{
    QString key = u"layout-%1"_s.arg(gridSize);
    for (const QRect &cell : cells)
        key += u"-%1.%2.%3"_s.arg(cell.x()).arg(cell.y()).arg(cell.width());
    return makeIcon(key, [gridSize, cells](QPainter &p, const QColor &foreground) {
        const qreal unit = 14.0 / gridSize;
        p.setPen(Qt::NoPen);
        p.setBrush(foreground);
        for (const QRect &cell : cells) {
            const QRectF r(1 + cell.x() * unit, 1 + cell.y() * unit, cell.width() * unit, cell.height() * unit);
            p.drawRect(r.adjusted(0.6, 0.6, -0.6, -0.6));
        }
    });
}

QIcon snapshot()
{
    return makeIcon(u"snapshot"_s, [](QPainter &p, const QColor &foreground) {
        p.setPen(pen(foreground));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(1.5, 4, 13, 9.5), 1.5, 1.5);
        p.drawRect(QRectF(5.5, 2, 5, 2));
        p.drawEllipse(QPointF(8, 8.7), 2.8, 2.8);
    });
}

QIcon maximize()
{
    return makeIcon(u"maximize"_s, [](QPainter &p, const QColor &foreground) {
        p.setPen(pen(foreground));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(2, 2, 12, 12));
        p.drawLine(QPointF(5, 11), QPointF(11, 5));
        p.drawLine(QPointF(7.5, 5), QPointF(11, 5));
        p.drawLine(QPointF(11, 5), QPointF(11, 8.5));
    });
}

QIcon closeAll()
{
    return makeIcon(u"closeAll"_s, [](QPainter &p, const QColor &foreground) {
        p.setPen(pen(foreground));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(2, 2, 12, 12));
        p.drawLine(QPointF(5, 5), QPointF(11, 11));
        p.drawLine(QPointF(11, 5), QPointF(5, 11));
    });
}

QIcon fullScreen()
{
    return makeIcon(u"fullScreen"_s, [](QPainter &p, const QColor &foreground) {
        p.setPen(pen(foreground, 1.5));
        const QPointF corners[][3] = {
            {{2, 6}, {2, 2}, {6, 2}},
            {{10, 2}, {14, 2}, {14, 6}},
            {{14, 10}, {14, 14}, {10, 14}},
            {{6, 14}, {2, 14}, {2, 10}},
        };
        for (const auto &corner : corners)
            p.drawPolyline(corner, 3);
    });
}

QIcon settings()
{
    return makeIcon(u"settings"_s, [](QPainter &p, const QColor &foreground) {
        p.setPen(pen(foreground, 2));
        for (int i = 0; i < 8; ++i) {
            p.save();
            p.translate(8, 8);
            p.rotate(45 * i);
            p.drawLine(QPointF(0, 4.5), QPointF(0, 6.5));
            p.restore();
        }
        p.setPen(pen(foreground, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QPointF(8, 8), 4, 4);
        p.drawEllipse(QPointF(8, 8), 1.5, 1.5);
    });
}

QIcon application()
{
    return makeIcon(u"application"_s, [](QPainter &p, const QColor &) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x1f, 0x3b, 0x5c));
        p.drawRoundedRect(QRectF(0.5, 0.5, 15, 15), 3, 3);
        QPainterPath eye;
        eye.moveTo(2, 8);
        eye.quadTo(8, 1.5, 14, 8);
        eye.quadTo(8, 14.5, 2, 8);
        p.setBrush(Qt::white);
        p.drawPath(eye);
        p.setBrush(kAccent);
        p.drawEllipse(QPointF(8, 8), 2.8, 2.8);
        p.setBrush(QColor(0x10, 0x1c, 0x2b));
        p.drawEllipse(QPointF(8, 8), 1.3, 1.3);
    });
}

QIcon arrow(int angleDeg)
{
    return makeIcon(u"arrow-%1"_s.arg(angleDeg), [angleDeg](QPainter &p, const QColor &foreground) {
        p.translate(8, 8);
        p.rotate(-angleDeg);
        QPainterPath path;
        path.moveTo(6, 0);
        path.lineTo(-1, -5.5);
        path.lineTo(-1, -2.2);
        path.lineTo(-5.5, -2.2);
        path.lineTo(-5.5, 2.2);
        path.lineTo(-1, 2.2);
        path.lineTo(-1, 5.5);
        path.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(foreground);
        p.drawPath(path);
    });
}

QIcon stop()
{
    return makeIcon(u"stop"_s, [](QPainter &p, const QColor &foreground) {
        p.setPen(Qt::NoPen);
        p.setBrush(foreground);
        p.drawRoundedRect(QRectF(4, 4, 8, 8), 1, 1);
    });
}

QIcon plus()
{
    return makeIcon(u"plus"_s, [](QPainter &p, const QColor &foreground) {
        p.setPen(pen(foreground, 2));
        p.drawLine(QPointF(8, 3), QPointF(8, 13));
        p.drawLine(QPointF(3, 8), QPointF(13, 8));
    });
}

QIcon minus()
{
    return makeIcon(u"minus"_s, [](QPainter &p, const QColor &foreground) {
        p.setPen(pen(foreground, 2));
        p.drawLine(QPointF(3, 8), QPointF(13, 8));
    });
}

} // namespace Vigil::Ui::Icons
