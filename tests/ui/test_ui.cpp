// The GUI offscreen: open a sample model, see its details, generate with
// streaming, stop a generation in the middle, and see a clear error for a bad folder.
#include "test_support.h"

#include "main_window.h"
#include "pages/generate_page.h"
#include "pages/model_page.h"
#include "pages/prepare_page.h"
#include "qcustomplot_include.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>
#include <QTranslator>

using namespace zl;

class TestUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
        QCoreApplication::setOrganizationName(QStringLiteral("ZeroLensTest"));
    }

    void opensModelAndShowsDetails()
    {
        ui::MainWindow w;
        w.show();
        auto* nav = w.findChild<QListWidget*>(QStringLiteral("navigation"));
        QVERIFY(!(nav->item(1)->flags() & Qt::ItemIsEnabled)); // Generate waits for a model
        QSignalSpy loaded(w.worker(), &ui::EngineWorker::modelLoaded);
        w.modelPage()->openModel(QString::fromStdString(m_ckpt.dir().string()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        auto* heading = w.findChild<QLabel*>(QStringLiteral("modelHeading"));
        // QSignalSpy counts in the worker thread; the page's queued slot runs after.
        QTRY_VERIFY(heading->text().contains(QString::fromStdString(m_ckpt.dir().filename().string())));
        QTRY_VERIFY(nav->item(1)->flags() & Qt::ItemIsEnabled);
        auto* status = w.findChild<QLabel*>(QStringLiteral("modelStatus"));
        QTRY_VERIFY(status->text().startsWith(QStringLiteral("Loaded")));
    }

    void badFolderShowsReadableError()
    {
        ui::MainWindow w;
        QSignalSpy failed(w.worker(), &ui::EngineWorker::failed);
        w.modelPage()->openModel(QStringLiteral("/nonexistent/model"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        auto* status = w.findChild<QLabel*>(QStringLiteral("modelStatus"));
        QTRY_VERIFY2(status->text().contains(QStringLiteral("not a folder")), qPrintable(status->text()));
    }

    void generatesAndStopsMidway()
    {
        ui::MainWindow w;
        w.show();
        QSignalSpy loaded(w.worker(), &ui::EngineWorker::modelLoaded);
        w.modelPage()->openModel(QString::fromStdString(m_ckpt.dir().string()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);

        // A short generation runs to its token limit and streams into the output.
        auto* gen = w.findChild<QPushButton*>(QStringLiteral("generateButton"));
        auto* stop = w.findChild<QPushButton*>(QStringLiteral("stopButton"));
        auto* output = w.findChild<QPlainTextEdit*>(QStringLiteral("outputView"));
        auto* prompt = w.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
        auto* status = w.findChild<QLabel*>(QStringLiteral("generateStatus"));
        auto* maxTokens = w.generatePage()->findChild<QSpinBox*>();
        QVERIFY(gen && stop && output && prompt && status && maxTokens);
        prompt->setPlainText(QStringLiteral("The fox"));
        maxTokens->setValue(8);
        QSignalSpy finished(w.worker(), &ui::EngineWorker::generationFinished);
        QTRY_VERIFY(gen->isEnabled());
        QTest::mouseClick(gen, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(finished.takeFirst().at(0).toInt(), 8);
        QTRY_VERIFY(status->text().contains(QStringLiteral("token limit")));
        QTRY_VERIFY(gen->isEnabled());
        QVERIFY(output->toPlainText().startsWith(QStringLiteral("The fox")));
        QVERIFY(output->toPlainText().size() > QStringLiteral("The fox").size());

        // A long one is stopped after a few pieces have streamed in.
        maxTokens->setValue(4000);
        QSignalSpy pieces(w.worker(), &ui::EngineWorker::textGenerated);
        QTest::mouseClick(gen, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(pieces.count() >= 3, 30000);
        QTRY_VERIFY(stop->isEnabled());
        QTest::mouseClick(stop, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const auto args = finished.takeFirst();
        QVERIFY(args.at(0).toInt() < 4000);
        QCOMPARE(args.at(2).toString(), QStringLiteral("cancelled"));
        QTRY_VERIFY(status->text().contains(QStringLiteral("stopped")));
        QTRY_VERIFY(gen->isEnabled());
    }

    void demoModelAndDatasetsAreOneClickAway()
    {
        QTemporaryDir data;
        qputenv("ZL_DEMO_DATA", data.path().toUtf8());
        ui::MainWindow w;
        auto* openDemo = w.findChild<QPushButton*>(QStringLiteral("openDemoButton"));
        auto* demoData = w.findChild<QPushButton*>(QStringLiteral("demoDataButton"));
        QVERIFY(openDemo && demoData);
        if (std::filesystem::exists("/usr/share/wordnet/data.noun")) {
            QSignalSpy built(w.worker(), &ui::EngineWorker::demoDataBuilt);
            QTest::mouseClick(demoData, Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(built.count(), 1, 60000);
            QVERIFY(QFile::exists(data.path() + QStringLiteral("/MANIFEST.json")));
        }
        qunsetenv("ZL_DEMO_DATA");
        if (ui::EngineWorker::demoModelPath().isEmpty())
            QSKIP("the demo model is not installed");
        QTRY_VERIFY(openDemo->isEnabled());
        QSignalSpy loaded(w.worker(), &ui::EngineWorker::modelLoaded);
        QTest::mouseClick(openDemo, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    }

    void preparesMaskChartAndQuantizedModel()
    {
        ui::MainWindow w;
        w.show();
        QSignalSpy loaded(w.worker(), &ui::EngineWorker::modelLoaded);
        w.modelPage()->openModel(QString::fromStdString(m_ckpt.dir().string()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        auto* computeMask = w.findChild<QPushButton*>(QStringLiteral("computeMaskButton"));
        QTRY_VERIFY(computeMask->isEnabled());

        // A magnitude mask needs no corpus; its spread appears as stacked bars.
        auto* rule = w.preparePage()->findChild<QComboBox*>();
        rule->setCurrentIndex(rule->findData(QStringLiteral("magnitude")));
        QTemporaryDir tmp;
        const QString maskFile = tmp.path() + QStringLiteral("/mask.safetensors");
        QSignalSpy masked(w.worker(), &ui::EngineWorker::maskComputed);
        w.preparePage()->computeMask(maskFile);
        QTRY_COMPARE_WITH_TIMEOUT(masked.count(), 1, 30000);
        auto* chart = w.findChild<QCustomPlot*>(QStringLiteral("maskChart"));
        QTRY_COMPARE(chart->plottableCount(), 7);
        QVERIFY(QFile::exists(maskFile));

        // Quantize with the mask kept exact, then open the result.
        QSignalSpy quantized(w.worker(), &ui::EngineWorker::quantized);
        QTRY_VERIFY(w.findChild<QPushButton*>(QStringLiteral("quantizeButton"))->isEnabled());
        w.preparePage()->quantize(tmp.path() + QStringLiteral("/q"));
        QTRY_COMPARE_WITH_TIMEOUT(quantized.count(), 1, 60000);
        const auto summary = quantized.takeFirst().at(0).value<ui::QuantizeSummary>();
        QVERIFY(summary.sparseEntries > 0);
        QVERIFY(summary.quantizedBytes + summary.sparseBytes + summary.otherBytes < summary.inputBytes);
        auto* result = w.findChild<QLabel*>(QStringLiteral("quantizeResult"));
        QTRY_VERIFY(result->text().contains(QStringLiteral("4-bit")));
        QSignalSpy reloaded(w.worker(), &ui::EngineWorker::modelLoaded);
        w.modelPage()->openModel(tmp.path() + QStringLiteral("/q"));
        QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 1, 30000);
        QVERIFY(!reloaded.takeFirst().at(0).value<ui::ModelSummary>().quantization.isEmpty());
    }

    void germanAndChineseTranslationsLoad_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("model");
        QTest::newRow("de") << QStringLiteral("de_DE") << QStringLiteral("Modell");
        QTest::newRow("zh_CN") << QStringLiteral("zh_CN") << QStringLiteral("模型");
    }
    void germanAndChineseTranslationsLoad()
    {
        QFETCH(QString, locale);
        QFETCH(QString, model);
        QTranslator translator;
        QVERIFY(translator.load(QLocale(locale), QStringLiteral("zerolens"), QStringLiteral("_"),
                                QStringLiteral(":/i18n")));
        QCoreApplication::installTranslator(&translator);
        {
            ui::MainWindow w;
            auto* nav = w.findChild<QListWidget*>(QStringLiteral("navigation"));
            QCOMPARE(nav->item(0)->text(), model);
        }
        QCoreApplication::removeTranslator(&translator);
    }

private:
    test::SampleCheckpoint m_ckpt;
};

QTEST_MAIN(TestUi)
#include "test_ui.moc"
