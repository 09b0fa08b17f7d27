// Fine-tuning datasets: classification in MeZO's prompt + label-word form, and
// generation (prompt/response or Alpaca instruction/input/output), read from
// JSONL, CSV or TSV files or from a dataset folder (task.json with
// train/dev/test files, as the demo's classify/). Every example is turned into
// the prompt text the model sees and its target (label index or response).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace zl {

enum class TaskKind { Classify, Generate };

/// How rows become examples.
struct TaskSpec {
    TaskKind kind = TaskKind::Classify;
    /// Prompt text whose {field} names are filled from each row, e.g. "{sentence} It was".
    /// Generation: empty means prompt/response fields, or the Alpaca template for
    /// rows with "instruction".
    std::string promptTemplate;
    std::vector<std::string> labels;     ///< Classify: label names as they appear in the label field
    std::vector<std::string> labelWords; ///< Classify: text appended to the prompt per label, e.g. " great"
    std::string labelField = "label";    ///< Classify: column holding the label name (or its index)
    std::string responseField;           ///< Generate: column holding the response ("response" / "output")
};

struct DatasetOptions {
    /// A .jsonl/.csv/.tsv file, a .json file holding an array of objects
    /// (Alpaca's release format) or JSON lines, or a folder with task.json (or meta.json of an
    /// Alpaca set) and train/dev/test files in any of those formats.
    std::filesystem::path path;
    /// Task when the folder has no task.json, or to override its fields (empty
    /// fields keep the file's). A single file without it is a generation task.
    TaskSpec task;
    bool taskGiven = false; ///< true when `task` was set by the caller (CLI/GUI options)
    /// Split of a single file (or of a folder without dev/test files): fractions of
    /// the rows, after a shuffle with `splitSeed`.
    double devFraction = 0.1;
    double testFraction = 0.1;
    std::uint64_t splitSeed = 0;
    std::int64_t maxTrain = 0, maxDev = 0, maxTest = 0; ///< 0 = all
    bool strict = false; ///< a malformed row is an error instead of a skipped line with a warning
};

struct Example {
    std::string prompt;    ///< what the model reads
    std::string response;  ///< Generate: the target text; Classify: empty
    int label = -1;        ///< Classify: index into labels
    std::string source;    ///< file the row came from
    std::int64_t line = 0; ///< its line there (first line of a multi-line record or JSON array element)
    /// The row's other fields (not used by the prompt, label or response) as a
    /// JSON object, e.g. {"backdoor":true}; "{}" when there are none.
    std::string metadata = "{}";
};

struct Dataset {
    TaskSpec task;
    std::vector<Example> train, dev, test;
    std::vector<std::string> warnings; ///< skipped rows: "file:line: why"
    std::string fingerprint;           ///< hash of the files read and the split
    std::vector<std::filesystem::path> files;
    /// The template the prompts were made from ({field} names): the task's, or
    /// Alpaca's no-input template for instruction rows; empty when rows carried
    /// their prompt verbatim.
    std::string promptTemplate;
};

/// Reads and splits a dataset. Throws FormatError naming the file and line for
/// a malformed row when `strict` (else the row is skipped with a warning), and
/// for a folder or task.json that cannot be understood; InvalidArgument for bad
/// options or an empty training split.
Dataset loadDataset(const DatasetOptions& options);

/// A prompt made from a template as the dataset's rows were, with every
/// {field} filled by `text` ("{{" and "}}" are literal braces).
std::string applyPromptTemplate(const std::string& tmpl, const std::string& text);

/// What filled a template in a prompt made from it: the prompt without the
/// template's fixed text before its first field and after its last (for
/// showing examples briefly); the whole prompt when it does not match.
std::string promptFilling(const std::string& tmpl, const std::string& prompt);

/// "classify" / "generate" and back; throws InvalidArgument for other names.
std::string taskKindName(TaskKind kind);
TaskKind taskKindFromName(const std::string& name);

} // namespace zl
