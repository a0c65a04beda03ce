#include "vigilresources.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace Vigil::Resources {

QByteArray shaderSource(QStringView name)
{
    QFile file(u":/shaders/"_s + name);
    const bool opened = file.open(QIODevice::ReadOnly);
    Q_ASSERT_X(opened, "shaderSource", "shader missing from the resources");
    return opened ? file.readAll() : QByteArray();
}

} // namespace Vigil::Resources
