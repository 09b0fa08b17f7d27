// zerolens: the desktop application. Usage: zerolens [MODEL_DIR]
#include "main_window.h"
#include "pages/model_page.h"
#include "zerolens/runtime.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

int main(int argc, char** argv)
{
    zl::keepFreedMemoryForReuse();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ZeroLens"));
    QApplication::setApplicationName(QStringLiteral("ZeroLens"));
    QApplication::setApplicationVersion(QStringLiteral(ZL_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.zerolens.ZeroLens"));

    // Follow the system locale: our strings, then Qt's own dialogs.
    QTranslator ours;
    if (ours.load(QLocale(), QStringLiteral("zerolens"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&ours);
    QTranslator qt;
    if (qt.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qt);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Sparse zeroth-order fine-tuning and training-data attribution for language models"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("model"),
        QApplication::translate("main", "Model folder to open at start (default: the demo model)"));
    parser.process(app);

    zl::ui::MainWindow window;
    window.show();
    const QString model = parser.positionalArguments().isEmpty() ? zl::ui::EngineWorker::demoModelPath()
                                                                 : parser.positionalArguments().front();
    if (!model.isEmpty())
        window.modelPage()->openModel(model);
    return QApplication::exec();
}
