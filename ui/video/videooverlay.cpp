#include "videooverlay.h"

#include <QColor>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace Vigil::Ui {

namespace {

QColor toneColor(VideoOverlay::Tone tone)
{
    switch (tone) {
    case VideoOverlay::Tone::Neutral: return QColor(0xd0, 0xd0, 0xd0);
    case VideoOverlay::Tone::Busy: return QColor(0x8c, 0xc8, 0xff);
    case VideoOverlay::Tone::Warning: return QColor(0xff, 0xc1, 0x4d);
    case VideoOverlay::Tone::Error: return QColor(0xff, 0x7a, 0x6e);
    }
    return Qt::white;
}

} // namespace

OverlayImage OverlayImage::paint(const VideoOverlay &overlay, QSize size, qreal devicePixelRatio)
{
    OverlayImage result;
    if (size.isEmpty() || (overlay.title.isEmpty() && overlay.stateText.isEmpty() && overlay.statsLines.isEmpty()))
        return result;
    const QSize pixels(int(std::lround(size.width() * devicePixelRatio)),
                       int(std::lround(size.height() * devicePixelRatio)));
    result.image = QImage(pixels, QImage::Format_RGBA8888_Premultiplied);
    result.image.setDevicePixelRatio(devicePixelRatio);
    result.image.fill(Qt::transparent);

    QPainter painter(&result.image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    QFont font = QGuiApplication::font();
    const int pixelSize = std::clamp(size.height() / 20, 10, 15);
    font.setPixelSize(pixelSize);
    painter.setFont(font);
    const QFontMetrics metrics(font);
    const int margin = std::max(3, pixelSize / 3);
    const QRect tile(QPoint(0, 0), size);

    const auto box = [&](const QRect &r) {
        QPainterPath path;
        path.addRoundedRect(QRectF(r), 3, 3);
        painter.fillPath(path, QColor(0, 0, 0, 150));
        // The part in device pixels, a pixel wider for the antialiased edge.
        const QRectF device(r.x() * devicePixelRatio, r.y() * devicePixelRatio, r.width() * devicePixelRatio,
                            r.height() * devicePixelRatio);
        result.parts.append(device.toAlignedRect().adjusted(-1, -1, 1, 1) & result.image.rect());
    };

    if (!overlay.title.isEmpty()) {
        const QString title = metrics.elidedText(overlay.title, Qt::ElideRight, size.width() - 4 * margin);
        const QRect textRect(2 * margin, margin, metrics.horizontalAdvance(title), metrics.height());
        box(textRect.adjusted(-margin, -margin / 2, margin, margin / 2));
        painter.setPen(Qt::white);
        painter.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, title);
    }

    if (!overlay.stateText.isEmpty()) {
        const int maxWidth = std::max(40, size.width() - 6 * margin);
        const QRect bounds = metrics.boundingRect(QRect(0, 0, maxWidth, size.height()),
                                                  Qt::AlignCenter | Qt::TextWordWrap, overlay.stateText);
        QRect textRect(0, 0, bounds.width(), bounds.height());
        textRect.moveCenter(tile.center());
        box(textRect.adjusted(-2 * margin, -margin, 2 * margin, margin));
        painter.setPen(toneColor(overlay.tone));
        painter.drawText(textRect, Qt::AlignCenter | Qt::TextWordWrap, overlay.stateText);
    }

    if (!overlay.statsLines.isEmpty()) {
        int textWidth = 0;
        for (const QString &line : overlay.statsLines)
            textWidth = std::max(textWidth, metrics.horizontalAdvance(line));
        const int textHeight = metrics.height() * int(overlay.statsLines.size());
        const QRect textRect(2 * margin, size.height() - margin - textHeight, textWidth, textHeight);
        box(textRect.adjusted(-margin, -margin / 2, margin, margin / 2));
        painter.setPen(Qt::white);
        painter.drawText(textRect, Qt::AlignLeft | Qt::AlignTop, overlay.statsLines.join(u'\n'));
    }
    return result;
}

} // namespace Vigil::Ui
