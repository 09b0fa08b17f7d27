// The Prepare page (SensZOQ model preparation): compute a sensitivity mask with
// progress and Cancel, see how its entries spread over layers and matrix kinds,
// and quantize the model to 4 bits with or without that mask.
#pragma once

#include "engine_worker.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace zl::ui {

class PreparePage : public QWidget {
    Q_OBJECT
public:
    explicit PreparePage(EngineWorker* worker, QWidget* parent = nullptr);

    void setModel(const ModelSummary& summary);
    /// Starts the mask computation, writing to `output`.
    void computeMask(const QString& output);
    /// Starts quantization into `output`.
    void quantize(const QString& output);

Q_SIGNALS:
    /// The user asked to open a freshly quantized model.
    void openModelRequested(const QString& path);

private:
    void setBusy(bool busy);
    void showMask(const MaskSummary& s);
    void showQuantized(const QuantizeSummary& s);

    EngineWorker* m_worker;
    ModelSummary m_model;
    QComboBox* m_rule;
    QLineEdit* m_corpus;
    QPushButton* m_browseCorpus;
    QSpinBox* m_sequences;
    QDoubleSpinBox* m_fraction;
    QPushButton* m_maskButton;
    QComboBox* m_format;
    QComboBox* m_groupSize;
    QCheckBox* m_useMask;
    QPushButton* m_quantizeButton;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QLabel* m_quantResult;
    QPushButton* m_openQuantized;
    QCustomPlot* m_chart;
    QString m_maskFile;
    QString m_quantizedDir;
    bool m_running = false;
};

} // namespace zl::ui
