#pragma once

#include "yuvframe.h"

#include <QColor>
#include <QOpenGLBuffer>
#include <QOpenGLFunctions>
#include <QOpenGLVertexArrayObject>
#include <QOpenGLWidget>
#include <QStringList>

#include <array>
#include <memory>

class QOpenGLPaintDevice;
class QOpenGLShaderProgram;
class QPainter;

namespace Vigil::Ui {

/// What a tile writes over its picture.
struct VideoOverlay {
    /// How the state text is coloured.
    enum class Tone : std::uint8_t { Neutral, Busy, Warning, Error };

    QString title;          ///< channel name, top left
    QString stateText;      ///< centred ("Connecting…", "No video for 5 s"...); empty while playing
    Tone tone = Tone::Neutral;
    QStringList statsLines; ///< bottom left (while the pointer is over the tile)
    bool dimPicture = false; ///< the picture is not live: darken it

    friend bool operator==(const VideoOverlay &, const VideoOverlay &) = default;
};

/// Shows YUV 4:2:0 pictures: the three planes are uploaded as single-channel textures
/// (glTexSubImage2D with GL_UNPACK_ROW_LENGTH for padded rows, GL_R8/GL_RED, or GL_LUMINANCE
/// on GLES 2) and converted to RGB in a fragment shader (BT.601/BT.709, limited/full range).
/// The aspect ratio is kept, letterboxed on black. Textures are reallocated only when the
/// picture size changes; a frame is uploaded at most once, in the next paint.
///
/// GUI thread. GL resources are released when the context goes away.
class VideoView : public QOpenGLWidget, protected QOpenGLFunctions {
    Q_OBJECT

public:
    explicit VideoView(QWidget *parent = nullptr);
    ~VideoView() override;

    /// Shows `frame` from the next paint on (null: no picture).
    void setFrame(std::shared_ptr<const YuvFrame> frame);
    const std::shared_ptr<const YuvFrame> &frame() const noexcept { return m_frame; }

    void setOverlay(const VideoOverlay &overlay);
    const VideoOverlay &overlay() const noexcept { return m_overlay; }

    /// Where a picture of `frameSize` lands inside `area`, aspect ratio kept and centred.
    static QRect fitRect(QSize frameSize, const QRect &area);
    /// Where the current picture lands in this widget; empty without one.
    QRect pictureRect() const;

    /// The YUV fragment shader with the range's offsets and the matrix compiled in.
    static QByteArray fragmentShaderSource(YuvMatrix matrix, YuvRange range);

    /// Pictures uploaded to the GPU so far (for tests and measurements).
    quint64 uploadCount() const noexcept { return m_uploadCount; }
    /// Why GL set-up failed (empty when it did not); the picture area then says so.
    const QString &glError() const noexcept { return m_glError; }

protected:
    void initializeGL() override;
    void paintGL() override;

private:
    struct Program {
        std::unique_ptr<QOpenGLShaderProgram> program;
        int locScale = -1;
        int locDim = -1;
    };
    /// The program for pictures of `matrix` and `range`, built on first use; null when the
    /// driver rejects it (m_glError says so).
    Program *program(YuvMatrix matrix, YuvRange range);
    /// Points the attributes at the bound vertex buffer (the VAO keeps them when there is one).
    void enableVertexAttributes();
    void releaseGl();
    void upload(const YuvFrame &frame);
    void uploadPlane(int index, const YuvFrame &frame);
    void drawPicture();
    void drawOverlay(QPainter &painter);

    std::shared_ptr<const YuvFrame> m_frame;
    bool m_uploadPending = false;
    VideoOverlay m_overlay;

    std::array<Program, 4> m_programs; ///< by matrix and range
    std::unique_ptr<QOpenGLPaintDevice> m_paintDevice;
    QOpenGLBuffer m_vertices{QOpenGLBuffer::VertexBuffer};
    QOpenGLVertexArrayObject m_vao;
    std::array<GLuint, 3> m_textures{};
    std::array<QSize, 3> m_textureSizes{};
    GLint m_internalFormat = 0;
    GLenum m_pixelFormat = 0;
    bool m_hasRowLength = false;
    bool m_hasTexture = false;
    quint64 m_uploadCount = 0;
    QString m_glError;
};

} // namespace Vigil::Ui
