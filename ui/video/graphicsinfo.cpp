#include "graphicsinfo.h"

#include "uilogging.h"

#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFunctions>

#include <array>

namespace Vigil::Ui {

namespace {

GraphicsInfo probe()
{
    GraphicsInfo info;
    QOpenGLContext context;
    context.setShareContext(QOpenGLContext::globalShareContext());
    if (!context.create()) {
        qCWarning(lcUi) << "no OpenGL context: video tiles cannot draw";
        return info;
    }
    QOffscreenSurface surface;
    surface.setFormat(context.format());
    surface.create();
    if (!context.makeCurrent(&surface)) {
        qCWarning(lcUi) << "cannot make an OpenGL context current on an offscreen surface";
        return info;
    }
    QOpenGLFunctions *gl = context.functions();
    const auto text = [gl](GLenum name) {
        return QString::fromLatin1(reinterpret_cast<const char *>(gl->glGetString(name)));
    };
    info.available = true;
    info.renderer = text(GL_RENDERER);
    info.version = text(GL_VERSION);
    info.software = GraphicsInfo::isSoftwareRenderer(info.renderer);
    context.doneCurrent();
    qCInfo(lcUi).noquote() << "video drawn with" << info.renderer << "OpenGL" << info.version
                           << (info.software ? "(software rendering)" : "");
    return info;
}

} // namespace

const GraphicsInfo &GraphicsInfo::current()
{
    static const GraphicsInfo info = probe();
    return info;
}

bool GraphicsInfo::isSoftwareRenderer(QStringView renderer)
{
    static constexpr std::array kNames{u"llvmpipe", u"softpipe", u"swiftshader", u"software rasterizer",
                                       u"gdi generic", u"microsoft basic render driver"};
    for (const char16_t *name : kNames) {
        if (renderer.contains(QStringView(name), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace Vigil::Ui
