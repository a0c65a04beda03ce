#pragma once

#include <QString>
#include <QStringView>

namespace Vigil::Ui {

/// The OpenGL implementation the video tiles draw with, so that the console can say when video
/// is painted by the processor instead of a graphics card: without a driver (a virtual machine,
/// a remote desktop, a server) large grids of main streams then play at a lower frame rate, and
/// the operator or installer should know why.
struct GraphicsInfo {
    bool available = false; ///< an OpenGL context could be made at all
    bool software = false;  ///< a CPU rasterizer (isSoftwareRenderer())
    QString renderer;       ///< GL_RENDERER, e.g. "Mesa Intel(R) UHD Graphics 620 (KBL GT2)"
    QString version;        ///< GL_VERSION, e.g. "4.6 (Compatibility Profile) Mesa 22.3.6"

    /// Asks once per process, with a context of the default format on an offscreen surface
    /// (a few milliseconds); later calls return the same answer. GUI thread.
    static const GraphicsInfo &current();

    /// Whether a GL_RENDERER string names a rasterizer that runs on the CPU: Mesa's llvmpipe
    /// and softpipe (also behind Mesa's D3D12 driver on WARP), Google's SwiftShader, Windows'
    /// "GDI Generic" OpenGL 1.1 and its "Microsoft Basic Render Driver".
    static bool isSoftwareRenderer(QStringView renderer);
};

} // namespace Vigil::Ui
