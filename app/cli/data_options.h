// The dataset options of every command that reads training data (finetune,
// evaluate, cache build): the file or folder, how rows become examples, and
// the split.
#pragma once

#include "zerolens/dataset.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace zl::cli {

/// Task flags as given; applied to DatasetOptions after parsing.
struct DataFlags {
    std::string task;
    std::string prompt;
    std::vector<std::string> labels, labelWords;
    std::string labelField, responseField;
};

/// Adds --data (required), --task, --prompt, label/response fields, split and limits.
void addDataOptions(CLI::App* cmd, DatasetOptions& d, DataFlags& f);
/// Sets the task of `d` from the flags (taskGiven when any was given).
void applyDataFlags(DatasetOptions& d, const DataFlags& f);

} // namespace zl::cli
