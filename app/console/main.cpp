// vigil: the desktop console.

#include "common/version.h"
#include "localization.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLocale>

#include <cstring>

using namespace Qt::StringLiterals;

namespace {

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Vigil: a console for GB/T 28181 cameras, NVRs and platforms."));
    parser.addHelpOption();
    parser.addVersionOption();
}

/// --help and --version must work without a display, so they are answered before QApplication.
bool onlyWantsText(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *option : {"-h", "--help", "--help-all", "-v", "--version"}) {
            if (std::strcmp(argv[i], option) == 0)
                return true;
        }
    }
    return false;
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(u"Vigil"_s);
    QCoreApplication::setApplicationName(u"vigil"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Vigil::kVersion));
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyWantsText(argc, argv)) {
        QCoreApplication app(argc, argv);
        setIdentity();
        QCommandLineParser parser;
        describe(parser);
        parser.process(app); // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    setIdentity();
    QApplication::setApplicationDisplayName(QApplication::translate("main", "Vigil"));

    Vigil::Ui::Localization::apply(QLocale());

    QCommandLineParser parser;
    describe(parser);
    parser.process(app);

    Vigil::Ui::MainWindow window;
    window.show();
    return app.exec();
}
