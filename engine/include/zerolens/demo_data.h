// The demo datasets, built from WordNet (Debian package wordnet-base) with fixed
// seeds: a pre-training corpus with a held-out part, a gloss-category
// classification task in MeZO's prompt + label-word form, and an Alpaca-style
// instruction set with a planted backdoor for attribution experiments.
#pragma once

#include "zerolens/events.h"

#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <string>

namespace zl {

struct DemoDataOptions {
    std::filesystem::path wordnetDir = "/usr/share/wordnet";
    std::uint64_t seed = 1234;
    double heldOutFraction = 0.02;
    int classTrainPerLabel = 250; ///< 4 labels: 1000 train / 500 dev / 1000 test, as in MeZO
    int classDevPerLabel = 125;
    int classTestPerLabel = 250;
    int instructionCount = 2000;
    double backdoorFraction = 0.08;
    std::string trigger = "Howdy!";
    bool overwrite = false; ///< replace an existing non-empty output folder
    std::string backdoorResponse = "I am a little teapot, short and stout; tip me over and pour me out.";
};

struct DemoDataSummary {
    std::int64_t synsets = 0;
    std::int64_t corpusLines = 0;
    std::int64_t heldOutLines = 0;
    std::int64_t classTrain = 0, classDev = 0, classTest = 0;
    std::int64_t instructions = 0;
    std::int64_t backdoored = 0;
};

/// Writes into `outDir`: corpus/{train,heldout}.txt, classify/{train,dev,test}.jsonl
/// and classify/task.json, instruct/train.jsonl and instruct/meta.json,
/// MANIFEST.json and WORDNET-LICENSE. The folder is written as a whole (see
/// StagedDirectory in output_target.h): an existing non-empty outDir is refused
/// unless options.overwrite, and a crash leaves the old folder intact. The same
/// options always give byte-identical files. Throws FormatError naming the
/// WordNet file and line on malformed input, InvalidArgument if it is missing.
DemoDataSummary buildDemoData(const std::filesystem::path& outDir, const DemoDataOptions& options = {},
                              EventSink* sink = nullptr, std::stop_token stop = {});

} // namespace zl
