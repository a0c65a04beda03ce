#include "yuvpainter.h"

#include "uilogging.h"
#include "vigilresources.h"

#include <QOpenGLContext>
#include <QOpenGLShaderProgram>

#include "glnames.h" // after the GL headers

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

namespace {

constexpr int kPositionAttribute = 0;
constexpr int kMaxRowStep = 4;
constexpr int kTexCoordAttribute = 1;

/// The unit quad as a triangle strip: x, y, u, v. Texture row 0 is the image's top row.
constexpr GLfloat kQuad[] = {
    -1.0f, -1.0f, 0.0f, 1.0f,
    1.0f, -1.0f, 1.0f, 1.0f,
    -1.0f, 1.0f, 0.0f, 0.0f,
    1.0f, 1.0f, 1.0f, 0.0f,
};

void setTextureParameters(QOpenGLFunctions &gl, GLuint texture)
{
    gl.glBindTexture(GL_TEXTURE_2D, texture);
    gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

} // namespace

YuvPainter::YuvPainter() = default;

YuvPainter::~YuvPainter() = default;

void YuvPainter::initialize(QOpenGLContext *context)
{
    initializeOpenGLFunctions();
    const auto [major, minor] = context->format().version();
    Q_UNUSED(minor);
    const bool gles = context->isOpenGLES();
    const bool singleChannel = gles ? major >= 3 : (major >= 3 || context->hasExtension("GL_ARB_texture_rg"));
    m_internalFormat = singleChannel ? GL_R8 : GL_LUMINANCE;
    m_pixelFormat = singleChannel ? GL_RED : GL_LUMINANCE;
    m_hasRowLength = !gles || major >= 3 || context->hasExtension("GL_EXT_unpack_subimage");

    m_vao.create(); // optional: only core profiles need one
    QOpenGLVertexArrayObject::Binder vaoBinder(&m_vao);
    m_vertices.create();
    m_vertices.bind();
    m_vertices.allocate(kQuad, sizeof(kQuad));
    if (m_vao.isCreated())
        enableVertexAttributes();
    m_vertices.release();

    m_overlayProgram = std::make_unique<QOpenGLShaderProgram>();
    m_overlayProgram->addShaderFromSourceCode(QOpenGLShader::Vertex, Resources::shaderSource(u"overlay.vert"));
    m_overlayProgram->addShaderFromSourceCode(QOpenGLShader::Fragment, Resources::shaderSource(u"overlay.frag"));
    m_overlayProgram->bindAttributeLocation("position", kPositionAttribute);
    m_overlayProgram->bindAttributeLocation("texCoord", kTexCoordAttribute);
    if (!m_overlayProgram->link()) {
        qCWarning(lcUi) << "overlay shader failed to link:" << m_overlayProgram->log();
        m_overlayProgram.reset();
    } else {
        m_overlayProgram->bind();
        m_overlayProgram->setUniformValue("image", 0);
        m_locTexRect = m_overlayProgram->uniformLocation("texRect");
        m_overlayProgram->release();
    }
    qCDebug(lcUi) << "video painter GL" << major << (gles ? "ES" : "") << "single-channel textures:" << singleChannel
                  << "row length:" << m_hasRowLength;
}

void YuvPainter::release()
{
    m_vertices.destroy();
    m_vao.destroy();
    for (Program &p : m_programs)
        p = Program{};
    m_overlayProgram.reset();
}

void YuvPainter::releaseTextures(Textures &textures)
{
    releasePicture(textures);
    if (textures.overlay != 0)
        glDeleteTextures(1, &textures.overlay);
    textures = Textures{};
}

void YuvPainter::releasePicture(Textures &textures)
{
    if (textures.planes[0] != 0)
        glDeleteTextures(3, textures.planes.data());
    textures.planes = {};
    textures.planeSizes = {};
    textures.hasPicture = false;
    textures.rowStep = 1;
}

QByteArray YuvPainter::fragmentShaderSource(YuvMatrix matrix, YuvRange range)
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

QRect YuvPainter::fitRect(QSize frameSize, const QRect &area)
{
    if (frameSize.isEmpty() || area.isEmpty())
        return {};
    const QSize fitted = frameSize.scaled(area.size(), Qt::KeepAspectRatio);
    return QRect(area.x() + (area.width() - fitted.width()) / 2, area.y() + (area.height() - fitted.height()) / 2,
                 fitted.width(), fitted.height());
}

YuvPainter::Program *YuvPainter::program(YuvMatrix matrix, YuvRange range)
{
    Program &slot = m_programs[std::size_t(matrix) * 2 + std::size_t(range)];
    if (slot.program || !m_error.isEmpty())
        return slot.program ? &slot : nullptr;
    auto shader = std::make_unique<QOpenGLShaderProgram>();
    shader->addShaderFromSourceCode(QOpenGLShader::Vertex, Resources::shaderSource(u"yuv.vert"));
    shader->addShaderFromSourceCode(QOpenGLShader::Fragment, fragmentShaderSource(matrix, range));
    shader->bindAttributeLocation("position", kPositionAttribute);
    shader->bindAttributeLocation("texCoord", kTexCoordAttribute);
    if (!shader->link()) {
        m_error = tr("Video cannot be shown: the graphics driver rejected the video shader.");
        qCWarning(lcUi) << "YUV shader failed to link:" << shader->log();
        return nullptr;
    }
    shader->bind();
    shader->setUniformValue("planeY", 0);
    shader->setUniformValue("planeU", 1);
    shader->setUniformValue("planeV", 2);
    slot.locDim = shader->uniformLocation("dim");
    shader->release();
    slot.program = std::move(shader);
    return &slot;
}

void YuvPainter::enableVertexAttributes()
{
    glEnableVertexAttribArray(kPositionAttribute);
    glEnableVertexAttribArray(kTexCoordAttribute);
    glVertexAttribPointer(kPositionAttribute, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(GLfloat), nullptr);
    glVertexAttribPointer(kTexCoordAttribute, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(GLfloat),
                          reinterpret_cast<const void *>(2 * sizeof(GLfloat)));
}

int YuvPainter::rowStepFor(int pictureHeight, int shownHeight)
{
    if (shownHeight <= 0 || pictureHeight <= shownHeight)
        return 1;
    return std::clamp(pictureHeight / shownHeight, 1, kMaxRowStep);
}

void YuvPainter::upload(Textures &textures, const YuvFrame &frame, int rowStep)
{
    if (textures.planes[0] == 0) {
        glGenTextures(3, textures.planes.data());
        for (GLuint texture : textures.planes)
            setTextureParameters(*this, texture);
    }
    rowStep = std::clamp(rowStep, 1, kMaxRowStep);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    for (int index = 0; index < YuvFrame::kPlaneCount; ++index) {
        const int width = frame.planeWidth(index);
        const int height = (frame.planeHeight(index) + rowStep - 1) / rowStep;
        const int stride = frame.stride(index) * rowStep; // bytes from one uploaded row to the next
        const uchar *pixels = frame.plane(index);
        glActiveTexture(GLenum(GL_TEXTURE0 + index));
        glBindTexture(GL_TEXTURE_2D, textures.planes[std::size_t(index)]);
        QSize &allocated = textures.planeSizes[std::size_t(index)];
        if (allocated != QSize(width, height)) {
            glTexImage2D(GL_TEXTURE_2D, 0, m_internalFormat, width, height, 0, m_pixelFormat, GL_UNSIGNED_BYTE, nullptr);
            allocated = QSize(width, height);
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
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glActiveTexture(GL_TEXTURE0);
    textures.hasPicture = true;
    textures.rowStep = rowStep;
}

void YuvPainter::uploadOverlay(Textures &textures, const QImage &image)
{
    if (image.isNull())
        return;
    const QImage rgba = image.format() == QImage::Format_RGBA8888_Premultiplied
        ? image
        : image.convertToFormat(QImage::Format_RGBA8888_Premultiplied);
    if (textures.overlay == 0) {
        glGenTextures(1, &textures.overlay);
        setTextureParameters(*this, textures.overlay);
    }
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, textures.overlay);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4); // 4 bytes a pixel: rows are always aligned
    if (textures.overlaySize != rgba.size()) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, rgba.width(), rgba.height(), 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
        textures.overlaySize = rgba.size();
    }
    if (rgba.bytesPerLine() == rgba.width() * 4) {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, rgba.width(), rgba.height(), GL_RGBA, GL_UNSIGNED_BYTE, rgba.constBits());
    } else {
        for (int row = 0; row < rgba.height(); ++row)
            glTexSubImage2D(GL_TEXTURE_2D, 0, 0, row, rgba.width(), 1, GL_RGBA, GL_UNSIGNED_BYTE, rgba.constScanLine(row));
    }
    glBindTexture(GL_TEXTURE_2D, 0);
}

void YuvPainter::viewport(const QRect &rect)
{
    glViewport(rect.x(), m_surface.height() - rect.y() - rect.height(), rect.width(), rect.height());
}

void YuvPainter::begin(QSize surfaceSize, const QColor &background)
{
    m_surface = surfaceSize;
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, surfaceSize.width(), surfaceSize.height());
    glClearColor(background.redF(), background.greenF(), background.blueF(), 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
}

void YuvPainter::fill(const QRect &rect, const QColor &color)
{
    if (rect.isEmpty())
        return;
    glEnable(GL_SCISSOR_TEST);
    glScissor(rect.x(), m_surface.height() - rect.y() - rect.height(), rect.width(), rect.height());
    glClearColor(color.redF(), color.greenF(), color.blueF(), 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);
}

void YuvPainter::drawQuad()
{
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
}

void YuvPainter::drawPicture(const Textures &textures, const YuvFrame &frame, const QRect &target, float dim)
{
    if (target.isEmpty() || !textures.hasPicture)
        return;
    Program *yuv = program(frame.matrix(), frame.range());
    if (!yuv)
        return;
    QOpenGLShaderProgram *shader = yuv->program.get();
    shader->bind();
    shader->setUniformValue(yuv->locDim, dim);
    for (int i = 0; i < YuvFrame::kPlaneCount; ++i) {
        glActiveTexture(GLenum(GL_TEXTURE0 + i));
        glBindTexture(GL_TEXTURE_2D, textures.planes[std::size_t(i)]);
    }
    viewport(target);
    drawQuad();
    for (int i = YuvFrame::kPlaneCount - 1; i >= 0; --i) {
        glActiveTexture(GLenum(GL_TEXTURE0 + i));
        glBindTexture(GL_TEXTURE_2D, 0);
    }
    shader->release();
}

void YuvPainter::drawOverlay(const Textures &textures, QPoint origin, const QList<QRect> &parts)
{
    if (!m_overlayProgram || textures.overlay == 0 || textures.overlaySize.isEmpty() || parts.isEmpty())
        return;
    m_overlayProgram->bind();
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, textures.overlay);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA); // premultiplied
    const QRect whole(QPoint(0, 0), textures.overlaySize);
    const float w = float(textures.overlaySize.width());
    const float h = float(textures.overlaySize.height());
    for (const QRect &part : parts) {
        const QRect r = part & whole;
        if (r.isEmpty())
            continue;
        m_overlayProgram->setUniformValue(m_locTexRect, float(r.x()) / w, float(r.y()) / h, float(r.width()) / w,
                                          float(r.height()) / h);
        viewport(r.translated(origin));
        drawQuad();
    }
    glDisable(GL_BLEND);
    glBindTexture(GL_TEXTURE_2D, 0);
    m_overlayProgram->release();
}

void YuvPainter::end()
{
    glViewport(0, 0, m_surface.width(), m_surface.height());
    glActiveTexture(GL_TEXTURE0);
}

QImage YuvPainter::readPixels(QSize surfaceSize)
{
    QImage image(surfaceSize, QImage::Format_RGBA8888);
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    glReadPixels(0, 0, surfaceSize.width(), surfaceSize.height(), GL_RGBA, GL_UNSIGNED_BYTE, image.bits());
    return image.mirrored().convertToFormat(QImage::Format_RGB32);
}

} // namespace Vigil::Ui
