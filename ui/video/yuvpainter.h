#pragma once

#include "yuvframe.h"

#include <QImage>
#include <QList>
#include <QOpenGLBuffer>
#include <QOpenGLFunctions>
#include <QOpenGLVertexArrayObject>
#include <QRect>
#include <QCoreApplication>
#include <QString>

#include <array>
#include <memory>

class QOpenGLContext;
class QOpenGLShaderProgram;

namespace Vigil::Ui {

/// Draws YUV 4:2:0 pictures and overlay images with OpenGL into the current surface. The three
/// planes of a picture are uploaded as single-channel textures (glTexSubImage2D with
/// GL_UNPACK_ROW_LENGTH for padded rows; GL_R8/GL_RED, or GL_LUMINANCE on GLES 2) and converted
/// to RGB in a fragment shader (BT.601/BT.709, limited/full range, one program per
/// combination, built on first use). Overlays are premultiplied RGBA images blended over the
/// picture. No swscale, no copy on the CPU.
///
/// Every call needs the context given to initialize() current, in the thread that made it
/// current. Rectangles are in device pixels with the origin at the top left of the surface.
class YuvPainter : protected QOpenGLFunctions {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Ui::YuvPainter)

public:
    /// The GL textures of one picture and one overlay (one per tile).
    struct Textures {
        std::array<GLuint, 3> planes{};
        std::array<QSize, 3> planeSizes{};
        bool hasPicture = false;
        int rowStep = 1; ///< of the picture uploaded

        GLuint overlay = 0;
        QSize overlaySize;
    };

    YuvPainter();
    ~YuvPainter();
    YuvPainter(const YuvPainter &) = delete;
    YuvPainter &operator=(const YuvPainter &) = delete;

    /// Sets up for `context` (current). A driver that rejects the YUV shader shows up later, when
    /// the first picture needs it: error() says so.
    void initialize(QOpenGLContext *context);
    /// Frees the painter's own GL objects (not the Textures it handed out).
    void release();
    /// Why pictures cannot be drawn (empty when they can); translated.
    const QString &error() const noexcept { return m_error; }

    /// Frees a tile's textures.
    void releaseTextures(Textures &textures);
    /// Frees only the picture's textures (the next upload() makes new ones).
    void releasePicture(Textures &textures);
    /// Uploads `frame` into the tile's plane textures (reallocated only when the size changes):
    /// every row, or with `rowStep` > 1 every rowStep-th row of each plane, for a picture shown
    /// at a fraction of its height, where sampling would skip those rows anyway.
    void upload(Textures &textures, const YuvFrame &frame, int rowStep = 1);
    /// The row step for a picture of `pictureHeight` rows shown `shownHeight` device pixels
    /// high: as many rows as fall on one shown pixel, at most 4.
    static int rowStepFor(int pictureHeight, int shownHeight);
    /// Uploads `image` (any format; converted to premultiplied RGBA when it is not) as the tile's overlay.
    void uploadOverlay(Textures &textures, const QImage &image);

    /// Starts a pass over a surface of `surfaceSize` device pixels, cleared to `background`.
    void begin(QSize surfaceSize, const QColor &background);
    /// Fills `rect` with `color`.
    void fill(const QRect &rect, const QColor &color);
    /// Draws the tile's picture stretched over `target`, its colours times `dim` (1: as is).
    void drawPicture(const Textures &textures, const YuvFrame &frame, const QRect &target, float dim);
    /// Blends the parts `parts` (rectangles of the overlay image) of the tile's overlay at
    /// `origin` + the part's own position.
    void drawOverlay(const Textures &textures, QPoint origin, const QList<QRect> &parts);
    /// Ends the pass (restores the state Qt expects).
    void end();

    /// The surface's pixels (after the pass, before the swap).
    QImage readPixels(QSize surfaceSize);

    /// The YUV fragment shader with the range's offsets and the matrix compiled in.
    static QByteArray fragmentShaderSource(YuvMatrix matrix, YuvRange range);
    /// Where a picture of `frameSize` lands inside `area`, aspect ratio kept and centred.
    static QRect fitRect(QSize frameSize, const QRect &area);

private:
    struct Program {
        std::unique_ptr<QOpenGLShaderProgram> program;
        int locDim = -1;
    };
    /// The program for pictures of `matrix` and `range`, built on first use; null when the
    /// driver rejects it (m_error says so).
    Program *program(YuvMatrix matrix, YuvRange range);
    /// Sets the viewport to `rect` (top-left origin).
    void viewport(const QRect &rect);
    void drawQuad();
    void enableVertexAttributes();

    QSize m_surface;
    std::array<Program, 4> m_programs; ///< by matrix and range
    std::unique_ptr<QOpenGLShaderProgram> m_overlayProgram;
    int m_locTexRect = -1;
    QOpenGLBuffer m_vertices{QOpenGLBuffer::VertexBuffer};
    QOpenGLVertexArrayObject m_vao;
    GLint m_internalFormat = 0;
    GLenum m_pixelFormat = 0;
    bool m_hasRowLength = false;
    QString m_error;
};

} // namespace Vigil::Ui
