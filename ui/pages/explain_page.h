// The Explain page (RapidIn): which training examples made the model say this?
//
// 1. Cache: the gradients of every example of a dataset, taken on the loaded
//    model, compressed and saved in a cache file once (build, resume, or open
//    an existing one).
// 2. Query: a prompt and a response (typed, generated here, or sent from the
//    Generate page). Explain ranks every cached example by its influence on
//    the response, or on a span of its tokens chosen with the mouse.
// 3. Results: the ranked examples in a filterable table (export CSV/JSON), one
//    example's text with each token's share of its score, a heatmap of response
//    tokens × listed examples, and a histogram of all scores. Queries are saved
//    in the cache and can be reopened.
//
// All engine work runs on the EngineWorker's thread through the job objects of
// explain_jobs.h; the session keeps the cache open between queries.
#pragma once

#include "engine_worker.h"
#include "explain_jobs.h"

#include <QSharedPointer>
#include <QWidget>

#include <functional>

class QBoxLayout;
class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QSplitter;
class QTableView;

namespace zl::ui {

class InfluenceHeatmap;
class MessageBanner;
class RankingFilter;
class RankingModel;
class ScoreHistogram;
class TokenView;

class ExplainPage : public QWidget {
    Q_OBJECT
public:
    explicit ExplainPage(EngineWorker* worker, QWidget* parent = nullptr);
    ~ExplainPage() override;

    /// The model caches are built and opened with. A different model closes the open cache.
    void setModel(const ModelSummary& summary);
    /// Fills the query (from the Generate page: its prompt is the model's input as typed).
    void setQuery(const QString& prompt, const QString& response, bool rawPrompt);

    /// Builds (or resumes) the cache in the cache file field, after the target
    /// checks; opens it when done. False when nothing was started.
    bool buildCache();
    /// Opens an existing cache with the loaded model.
    void openCache(const QString& file);
    /// Explains the query in the fields (the whole response). False when it cannot start.
    bool explain();
    /// Explains response tokens [begin, end) of the response shown.
    bool explainSpan(int begin, int end);
    /// Shows one listed example with its tokens' shares of the score.
    void showExample(qint64 exampleId);
    /// Shows a saved query of the open cache again. False when it cannot start now.
    bool reopenQuery(qint64 queryId);
    /// Write the rows shown in the table. False, with the banner saying why, on failure.
    bool exportCsv(const QString& file);
    bool exportJson(const QString& file);

    /// Why a cache cannot be built now (empty when it can).
    QString buildProblem() const;
    /// Why the query cannot be explained now (empty when it can).
    QString queryProblem() const;
    /// The open cache; `file` is empty when none is open.
    const CacheInfo& cacheInfo() const { return m_info; }
    /// The attribution shown; queryId 0 when none.
    const Attribution& attribution() const { return m_attribution; }
    const ExampleTokens& shownExample() const { return m_example; }

    RankingModel* rankingModel() const { return m_ranking; }
    RankingFilter* rankingFilter() const { return m_filter; }
    InfluenceHeatmap* heatmap() const { return m_heatmap; }
    ScoreHistogram* histogram() const { return m_histogram; }
    TokenView* responseView() const { return m_responseView; }
    TokenView* exampleView() const { return m_exampleView; }

    /// Asks whether to build into an existing file; tests replace the dialog.
    using ReplaceConfirmation = std::function<bool(const QString& path, const QString& contents)>;
    void setReplaceConfirmation(ReplaceConfirmation confirm) { m_confirmReplace = std::move(confirm); }

Q_SIGNALS:
    void cacheOpened(const QString& file);
    void attributionShown(qint64 queryId);
    void exampleShown(qint64 exampleId);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    enum class Task { None, BuildingData, Building, Opening, Explaining, Example, Reopening };

    void startTask(Task task, const QString& status);
    void endTask();
    void setBusy(bool busy);
    void updateButtons();
    void updateTracked();
    void updateTarget();
    void suggestCacheFile();
    void useDemoData();
    void chooseDataset(bool folder);
    CacheBuildOptions buildOptions() const;
    InfluenceModel influenceModel() const;
    bool runQuery(InfluenceQuery query);
    void showProgress(const QString& stage, qint64 done, qint64 total, double eta, double rate);
    void onBuilt(const CacheBuildResult& result);
    void onBuildLog(int level, const QString& text);
    void onOpened(const CacheInfo& info, const std::vector<Attributor::SavedQuery>& saved);
    void onAttributed(const Attribution& attribution, const std::vector<Attributor::SavedQuery>& saved);
    void onExampleTokens(qint64 queryId, const ExampleTokens& tokens);
    void onFailed(const QString& message);
    void onCancelled();
    void showCacheInfo();
    void showSavedQueries(const std::vector<Attributor::SavedQuery>& saved);
    void closeCache(const QString& why);
    void newSession();
    void clearResults();
    void applyFilters();
    void updateSpanLabel();
    void updateResponseColours();
    bool exportRows(const QString& file, bool json);
    void chooseExport(bool json);
    QJsonObject queryJson() const;
    /// Full path of a typed path ("~" expanded), or empty.
    static QString expandPath(const QString& typed);

    EngineWorker* m_worker;
    ModelSummary m_model;
    QSharedPointer<ExplainSession> m_session;
    QSharedPointer<CacheBuildJob> m_buildJob;
    Task m_task = Task::None;
    bool m_busy = false; ///< the worker runs a job (this page's or another's): buttons wait
    CacheInfo m_info;
    Attribution m_attribution;
    ExampleTokens m_example;
    qint64 m_wantedExample = 0; ///< the example last clicked (read when the page is free)
    InfluenceQuery m_query;     ///< of the attribution shown (span reruns reuse it)
    QStringList m_dataWarnings; ///< rows the cache build skipped
    QString m_builtText;        ///< what the build just did, said once its cache is open
    ReplaceConfirmation m_confirmReplace;

    MessageBanner* m_banner;
    QBoxLayout* m_top;
    QGroupBox* m_cacheBox;
    QGroupBox* m_queryBox;
    // Cache
    QLabel* m_modelLabel;
    QLineEdit* m_dataEdit;
    QPushButton* m_buildDemo;
    QLineEdit* m_maskEdit;
    QPushButton* m_browseMask;
    QComboBox* m_tracked;
    QLineEdit* m_blocks;
    QLabel* m_trackedHint;
    QSpinBox* m_k;
    QCheckBox* m_exact;
    QLineEdit* m_cacheEdit;
    QLabel* m_targetHint;
    QList<QPushButton*> m_browseButtons; ///< dataset and cache file: only while idle
    QPushButton* m_buildButton;
    QPushButton* m_openCache;
    QPushButton* m_stop;
    QLabel* m_buildHint;
    QProgressBar* m_progress;
    QLabel* m_status;
    QLabel* m_cacheLabel;
    QString m_suggestedCache;
    // Query
    QPlainTextEdit* m_prompt;
    QCheckBox* m_rawPrompt;
    QLabel* m_templateHint;
    QPlainTextEdit* m_response;
    QCheckBox* m_generate;
    QSpinBox* m_maxNewTokens;
    QSpinBox* m_listed;
    QPushButton* m_explain;
    QLabel* m_queryHint;
    QComboBox* m_savedQueries;
    QPushButton* m_reopen;
    // Results
    QGroupBox* m_resultsBox;
    QSplitter* m_resultsSplitter;
    TokenView* m_responseView;
    QLabel* m_spanLabel;
    QPushButton* m_explainSpan;
    QPushButton* m_explainAll;
    QComboBox* m_side;
    QSlider* m_threshold;
    QLabel* m_thresholdLabel;
    QLineEdit* m_search;
    QComboBox* m_split;
    QComboBox* m_metaKey;
    QLineEdit* m_metaValue;
    QLabel* m_shownLabel;
    QTableView* m_table;
    RankingModel* m_ranking;
    RankingFilter* m_filter;
    QPushButton* m_exportCsv;
    QPushButton* m_exportJson;
    QLabel* m_exampleTitle;
    QLabel* m_exampleScore;
    TokenView* m_exampleView;
    InfluenceHeatmap* m_heatmap;
    ScoreHistogram* m_histogram;
    double m_scoreScale = 0.0; ///< largest |score| over all examples (the threshold slider's 100 %)
};

} // namespace zl::ui
