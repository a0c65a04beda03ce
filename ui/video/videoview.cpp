#include "videoview.h"

#include "glnames.h"
#include "uilogging.h"
#include "vigilresources.h"

#include <QOpenGLContext>
#include <QOpenGLPaintDevice>
#include <QOpenGLShaderProgram>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

namespace {

constexpr int kPositionAttribute = 0;
constexpr int kTexCoordAttribute = 1;
constexpr float kDimFactor = 0.4f;

/// The unit quad as a triangle strip: x, y, u, v. Texture row 0 is the picture's top row.
constexpr GLfloat kQuad[] = {
    -1.0f, -1.0f, 0.0f, 1.0f,
    1.0f, -1.0f, 1.0f, 1.0f,
    -1.0f, 1.0f, 0.0f, 0.0f,
    1.0f, 1.0f, 1.0f, 0.0f,
};

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

VideoView::VideoView(QWidget *parent)
    : QOpenGLWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(32, 24);
}

VideoView::~VideoView()
{
    // ~QOpenGLWidget destroys the context after our members are gone: release now, and not
    // again from aboutToBeDestroyed.
    if (context())
        disconnect(context(), nullptr, this, nullptr);
    if (isValid()) {
        makeCurrent();
        releaseGl();
        doneCurrent();
    }
}

void VideoView::setFrame(std::shared_ptr<const YuvFrame> frame)
{
    m_frame = std::move(frame);
    m_uploadPending = m_frame != nullptr;
    update();
}

void VideoView::setOverlay(const VideoOverlay &overlay)
{
    if (overlay == m_overlay)
        return;
    m_overlay = overlay;
    update();
}

QRect VideoView::fitRect(QSize frameSize, const QRect &area)
{
    if (frameSize.isEmpty() || area.isEmpty())
        return {};
    const QSize fitted = frameSize.scaled(area.size(), Qt::KeepAspectRatio);
    return QRect(area.x() + (area.width() - fitted.width()) / 2, area.y() + (area.height() - fitted.height()) / 2,
                 fitted.width(), fitted.height());
}

QRect VideoView::pictureRect() const
{
    return m_frame ? fitRect(QSize(m_frame->width(), m_frame->height()), rect()) : QRect();
}

void VideoView::initializeGL()
{
    initializeOpenGLFunctions();
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
        makeCurrent();
        releaseGl();
        doneCurrent();
    });

    QOpenGLContext *gl = context();
    const auto [major, minor] = gl->format().version();
    Q_UNUSED(minor);
    const bool gles = gl->isOpenGLES();
    const bool singleChannel = gles ? major >= 3 : (major >= 3 || gl->hasExtension("GL_ARB_texture_rg"));
    m_internalFormat = singleChannel ? GL_R8 : GL_LUMINANCE;
    m_pixelFormat = singleChannel ? GL_RED : GL_LUMINANCE;
    m_hasRowLength = !gles || major >= 3 || gl->hasExtension("GL_EXT_unpack_subimage");

    // The YUV programs are built for the first picture that needs each (program()): a view
    // usually meets one matrix and range, and only that one is compiled.
    m_vao.create(); // optional: only core profiles need one
    QOpenGLVertexArrayObject::Binder vaoBinder(&m_vao);
    m_vertices.create();
    m_vertices.bind();
    m_vertices.allocate(kQuad, sizeof(kQuad));
    if (m_vao.isCreated())
        enableVertexAttributes();
    m_vertices.release();

    glGenTextures(3, m_textures.data());
    for (GLuint texture : m_textures) {
        glBindTexture(GL_TEXTURE_2D, texture);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    }
    glBindTexture(GL_TEXTURE_2D, 0);
    m_textureSizes = {};
    m_hasTexture = false;
    m_uploadPending = m_frame != nullptr;
    qCDebug(lcUi) << "video view GL" << major << (gles ? "ES" : "") << "single-channel textures:" << singleChannel
                  << "row length:" << m_hasRowLength;
}

QByteArray VideoView::fragmentShaderSource(YuvMatrix matrix, YuvRange range)
{
    const QVector3D offset = YuvFrame::offsets(range);
    const QMatrix3x3 toRgb = YuvFrame::toRgb(matrix, range);
    const auto number = [](float value) { return QByteArray::number(double(value), 'f', 7); };
    QByteArray source = "#define YUV_OFFSET vec3(" + number(offset.x()) + ", " + number(offset.y()) + ", "
        + number(offset.z()) + ")\n#define YUV_TO_RGB mat3(";
    const float *columns = toRgb.constData(); // column by column, as mat3() takes them
    for (int i = 0; i < 9; ++i)
        source += (i ? ", " : "") + number(columns[i]);
    source += ")\n";
    return source + Resources::shaderSource(u"yuv.frag");
}

VideoView::Program *VideoView::program(YuvMatrix matrix, YuvRange range)
{
    Program &slot = m_programs[std::size_t(matrix) * 2 + std::size_t(range)];
    if (slot.program || !m_glError.isEmpty())
        return slot.program ? &slot : nullptr;
    auto shader = std::make_unique<QOpenGLShaderProgram>();
    shader->addShaderFromSourceCode(QOpenGLShader::Vertex, Resources::shaderSource(u"yuv.vert"));
    shader->addShaderFromSourceCode(QOpenGLShader::Fragment, fragmentShaderSource(matrix, range));
    shader->bindAttributeLocation("position", kPositionAttribute);
    shader->bindAttributeLocation("texCoord", kTexCoordAttribute);
    if (!shader->link()) {
        m_glError = tr("Video cannot be shown: the graphics driver rejected the video shader.");
        qCWarning(lcUi) << "YUV shader failed to link:" << shader->log();
        return nullptr;
    }
    shader->bind();
    shader->setUniformValue("planeY", 0);
    shader->setUniformValue("planeU", 1);
    shader->setUniformValue("planeV", 2);
    slot.locScale = shader->uniformLocation("scale");
    slot.locDim = shader->uniformLocation("dim");
    shader->release();
    slot.program = std::move(shader);
    return &slot;
}

void VideoView::enableVertexAttributes()
{
    glEnableVertexAttribArray(kPositionAttribute);
    glEnableVertexAttribArray(kTexCoordAttribute);
    glVertexAttribPointer(kPositionAttribute, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(GLfloat), nullptr);
    glVertexAttribPointer(kTexCoordAttribute, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(GLfloat),
                          reinterpret_cast<const void *>(2 * sizeof(GLfloat)));
}

void VideoView::releaseGl()
{
    if (m_textures[0] != 0) {
        glDeleteTextures(3, m_textures.data());
        m_textures = {};
    }
    m_textureSizes = {};
    m_hasTexture = false;
    m_vertices.destroy();
    m_vao.destroy();
    for (Program &p : m_programs)
        p = Program{};
    m_paintDevice.reset();
}

void VideoView::uploadPlane(int index, const YuvFrame &frame)
{
    const int width = frame.planeWidth(index);
    const int height = frame.planeHeight(index);
    const int stride = frame.stride(index);
    const uchar *pixels = frame.plane(index);
    glActiveTexture(GLenum(GL_TEXTURE0 + index));
    glBindTexture(GL_TEXTURE_2D, m_textures[std::size_t(index)]);
    if (m_textureSizes[std::size_t(index)] != QSize(width, height)) {
        glTexImage2D(GL_TEXTURE_2D, 0, m_internalFormat, width, height, 0, m_pixelFormat, GL_UNSIGNED_BYTE, nullptr);
        m_textureSizes[std::size_t(index)] = QSize(width, height);
    }
    if (stride == width) {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, m_pixelFormat, GL_UNSIGNED_BYTE, pixels);
    } else if (m_hasRowLength) {
        glPixelStorei(GL_UNPACK_ROW_LENGTH, stride);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, m_pixelFormat, GL_UNSIGNED_BYTE, pixels);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    } else {
        for (int row = 0; row < height; ++row)
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, row, width, 1, m_pixelFormat, GL_UNSIGNED_BYTE,
                            pixels + std::ptrdiff_t(row) * stride);
    }
}

void VideoView::upload(const YuvFrame &frame)
{
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    for (int i = 0; i < YuvFrame::kPlaneCount; ++i)
        uploadPlane(i, frame);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glActiveTexture(GL_TEXTURE0);
    m_hasTexture = true;
    ++m_uploadCount;
}

void VideoView::drawPicture()
{
    const QRect target = pictureRect();
    if (target.isEmpty() || width() <= 0 || height() <= 0)
        return;
    Program *yuv = program(m_frame->matrix(), m_frame->range());
    if (!yuv)
        return;
    QOpenGLShaderProgram *shader = yuv->program.get();
    shader->bind();
    shader->setUniformValue(yuv->locScale, float(target.width()) / float(width()),
                            float(target.height()) / float(height()));
    shader->setUniformValue(yuv->locDim, m_overlay.dimPicture ? kDimFactor : 1.0f);
    for (int i = 0; i < YuvFrame::kPlaneCount; ++i) {
        glActiveTexture(GLenum(GL_TEXTURE0 + i));
        glBindTexture(GL_TEXTURE_2D, m_textures[std::size_t(i)]);
    }

    QOpenGLVertexArrayObject::Binder vaoBinder(&m_vao);
    if (!m_vao.isCreated()) {
        m_vertices.bind();
        enableVertexAttributes();
    }
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    if (!m_vao.isCreated()) {
        glDisableVertexAttribArray(kPositionAttribute);
        glDisableVertexAttribArray(kTexCoordAttribute);
        m_vertices.release();
    }

    for (int i = YuvFrame::kPlaneCount - 1; i >= 0; --i) {
        glActiveTexture(GLenum(GL_TEXTURE0 + i));
        glBindTexture(GL_TEXTURE_2D, 0);
    }
    shader->release();
}

void VideoView::paintGL()
{
    // Paint through our own device on the widget's framebuffer: QPainter(this) would be
    // redirected while the window is grabbed (QWidget::grab()), and the overlay lost.
    const qreal ratio = devicePixelRatioF();
    if (!m_paintDevice)
        m_paintDevice = std::make_unique<QOpenGLPaintDevice>();
    m_paintDevice->setSize(QSize(qRound(width() * ratio), qRound(height() * ratio)));
    m_paintDevice->setDevicePixelRatio(ratio);
    QPainter painter(m_paintDevice.get());
    painter.beginNativePainting();
    glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    if (m_glError.isEmpty() && m_frame) {
        if (m_uploadPending) {
            upload(*m_frame);
            m_uploadPending = false;
        }
        if (m_hasTexture)
            drawPicture();
    }
    painter.endNativePainting();
    drawOverlay(painter);
}

void VideoView::drawOverlay(QPainter &painter)
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    QFont font = painter.font();
    const int pixelSize = std::clamp(height() / 20, 10, 15);
    font.setPixelSize(pixelSize);
    painter.setFont(font);
    const QFontMetrics metrics(font);
    const int margin = std::max(3, pixelSize / 3);

    const auto box = [&](const QRect &r) {
        QPainterPath path;
        path.addRoundedRect(QRectF(r), 3, 3);
        painter.fillPath(path, QColor(0, 0, 0, 150));
    };

    if (!m_overlay.title.isEmpty()) {
        const QString title = metrics.elidedText(m_overlay.title, Qt::ElideRight, width() - 4 * margin);
        const QRect textRect(2 * margin, margin, metrics.horizontalAdvance(title), metrics.height());
        box(textRect.adjusted(-margin, -margin / 2, margin, margin / 2));
        painter.setPen(Qt::white);
        painter.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, title);
    }

    QString stateText = m_overlay.stateText;
    VideoOverlay::Tone tone = m_overlay.tone;
    if (!m_glError.isEmpty()) {
        stateText = m_glError;
        tone = VideoOverlay::Tone::Error;
    }
    if (!stateText.isEmpty()) {
        const int maxWidth = std::max(40, width() - 6 * margin);
        const QRect bounds = metrics.boundingRect(QRect(0, 0, maxWidth, height()),
                                                  Qt::AlignCenter | Qt::TextWordWrap, stateText);
        QRect textRect(0, 0, bounds.width(), bounds.height());
        textRect.moveCenter(rect().center());
        box(textRect.adjusted(-2 * margin, -margin, 2 * margin, margin));
        painter.setPen(toneColor(tone));
        painter.drawText(textRect, Qt::AlignCenter | Qt::TextWordWrap, stateText);
    }

    if (!m_overlay.statsLines.isEmpty()) {
        int textWidth = 0;
        for (const QString &line : m_overlay.statsLines)
            textWidth = std::max(textWidth, metrics.horizontalAdvance(line));
        const int textHeight = metrics.height() * int(m_overlay.statsLines.size());
        const QRect textRect(2 * margin, height() - margin - textHeight, textWidth, textHeight);
        box(textRect.adjusted(-margin, -margin / 2, margin, margin / 2));
        painter.setPen(Qt::white);
        painter.drawText(textRect, Qt::AlignLeft | Qt::AlignTop, m_overlay.statsLines.join(u'\n'));
    }
}

} // namespace Vigil::Ui
