// vigil-camsim: simulated GB/T 28181 cameras and NVRs.

#include "common/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"Vigil"_s);
    QCoreApplication::setApplicationName(u"vigil-camsim"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Vigil::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"vigil-camsim: simulated GB/T 28181 cameras and NVRs for tests, demos and load."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    std::fputs("vigil-camsim: device simulation is not part of this build yet.\n", stderr);
    return 1;
}
