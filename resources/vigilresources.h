#pragma once

#include <QByteArray>
#include <QStringView>

namespace Vigil::Resources {

/// The source of a shader compiled into the console (":/shaders/<name>", e.g. "yuv.frag").
/// Empty when there is no such file, which is a build error, asserted in debug builds.
QByteArray shaderSource(QStringView name);

} // namespace Vigil::Resources
