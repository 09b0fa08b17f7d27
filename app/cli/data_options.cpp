#include "cli/data_options.h"

#include "cli/cli_common.h"

#include <filesystem>

namespace zl::cli {

namespace fs = std::filesystem;

void addDataOptions(CLI::App* cmd, DatasetOptions& d, DataFlags& f)
{
    cmd->add_option("--data", d.path,
                    "Dataset file (.jsonl, .json array, .csv, .tsv) or folder with task.json or Alpaca meta.json")
        ->required();
    cmd->add_option("--task", f.task, "classify or generate (default: from the folder's task.json)")
        ->check(CLI::IsMember({"classify", "generate"}));
    cmd->add_option("--prompt", f.prompt, "Prompt with {field} names filled from each row, e.g. \"{sentence} It was\"");
    cmd->add_option("--labels", f.labels, "Label names as in the label field")->delimiter(',');
    cmd->add_option("--label-words", f.labelWords, "Text appended to the prompt per label (default: \" label\")")
        ->delimiter(',');
    cmd->add_option("--label-field", f.labelField, "Column with the label");
    cmd->add_option("--response-field", f.responseField, "Column with the response (generation)");
    cmd->add_option("--dev-fraction", d.devFraction, "Share of rows for dev when there is no dev file")
        ->check(CLI::Range(0.0, 0.9))
        ->capture_default_str();
    cmd->add_option("--test-fraction", d.testFraction, "Share of rows for test when there is no test file")
        ->check(CLI::Range(0.0, 0.9))
        ->capture_default_str();
    cmd->add_option("--split-seed", d.splitSeed, "Seed of the split")->capture_default_str();
    cmd->add_option("--max-train", d.maxTrain, "Use at most this many training rows (0 = all)")->check(wholeNumber(0));
    cmd->add_option("--max-dev", d.maxDev, "At most this many dev rows (0 = all)")->check(wholeNumber(0));
    cmd->add_option("--max-test", d.maxTest, "At most this many test rows (0 = all)")->check(wholeNumber(0));
    cmd->add_flag("--strict", d.strict, "Stop at a malformed row instead of skipping it with a warning");
}

void applyDataFlags(DatasetOptions& d, const DataFlags& f)
{
    d.taskGiven = !f.task.empty() || !f.prompt.empty() || !f.labels.empty() || !f.labelWords.empty() ||
                  !f.labelField.empty() || !f.responseField.empty();
    d.task.kind = f.task.empty()
                      ? (fs::is_directory(d.path) ? TaskKind::Classify
                                                  : (f.labels.empty() ? TaskKind::Generate : TaskKind::Classify))
                      : taskKindFromName(f.task);
    d.task.promptTemplate = f.prompt;
    d.task.labels = f.labels;
    d.task.labelWords = f.labelWords;
    d.task.labelField = f.labelField;
    d.task.responseField = f.responseField;
}

} // namespace zl::cli
