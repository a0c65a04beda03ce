// vigild: the headless server.

#include "common/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"Vigil"_s);
    QCoreApplication::setApplicationName(u"vigild"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Vigil::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"vigild: the Vigil GB/T 28181 server without a GUI, controlled over HTTP."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    std::fputs("vigild: the registrar and HTTP API are not part of this build yet.\n", stderr);
    return 1;
}
