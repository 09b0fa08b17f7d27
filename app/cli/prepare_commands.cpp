// SensZOQ model preparation: sensitivity masks (sensitivity, mask-info) and
// 4-bit quantization (quantize).
#include "cli/cli_common.h"

#include "zerolens/checkpoint.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"
#include "zerolens/quantize.h"
#include "zerolens/runtime.h"
#include "zerolens/sensitivity.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <map>
#include <optional>

namespace zl::cli {

namespace {

using nlohmann::json;

json maskDistribution(const SensitivityMask& m)
{
    std::map<std::string, std::int64_t> byKind;
    std::map<std::int64_t, std::int64_t> byLayer;
    for (const auto& [name, idx] : m.indices) {
        const auto layerStart = std::string("model.layers.").size();
        const auto layer = std::stoll(name.substr(layerStart, name.find('.', layerStart) - layerStart));
        const auto end = name.rfind(".weight");
        const auto kind = name.substr(name.rfind('.', end - 1) + 1, end - name.rfind('.', end - 1) - 1);
        byKind[kind] += static_cast<std::int64_t>(idx.size());
        byLayer[layer] += static_cast<std::int64_t>(idx.size());
    }
    json layers = json::array();
    for (const auto& [layer, n] : byLayer)
        layers.push_back(n);
    return {{"by_kind", byKind}, {"by_layer", layers}};
}

json maskJson(const SensitivityMask& m)
{
    return {{"rule", m.rule},           {"selection", m.selection},   {"fraction", m.fraction},
            {"selected", m.selected()}, {"candidates", m.candidates}, {"sequences", m.sequences},
            {"seq_len", m.seqLen},      {"model_id", m.modelId},      {"distribution", maskDistribution(m)}};
}

void printMask(const SensitivityMask& m)
{
    const auto d = maskDistribution(m);
    std::cout << "Rule        " << m.rule << " (" << m.selection << ")\n"
              << "Selected    " << m.selected() << " of " << m.candidates << " entries ("
              << 100.0 * static_cast<double>(m.selected()) /
                     static_cast<double>(std::max<std::int64_t>(1, m.candidates))
              << "%)\n";
    if (m.rule == "gradient_squared")
        std::cout << "Corpus      " << m.sequences << " sequences of " << m.seqLen << " tokens\n";
    std::cout << "By kind    ";
    for (const auto& [kind, n] : d["by_kind"].items())
        std::cout << ' ' << kind << '=' << n.get<std::int64_t>();
    std::cout << "\nBy layer   ";
    for (const auto& n : d["by_layer"])
        std::cout << ' ' << n.get<std::int64_t>();
    std::cout << '\n';
}

void sensitivityCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto c = std::make_shared<Common>();
    auto o = std::make_shared<SensitivityOptions>();
    auto rule = std::make_shared<std::string>("gradient");
    auto out = std::make_shared<std::string>();
    auto overwrite = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("sensitivity", "Find the most sensitive weights and save them as a mask file");
    addModelOptions(cmd, *c);
    cmd->add_option("--rule", *rule, "gradient (squared gradients on --corpus), magnitude or random")
        ->check(CLI::IsMember({"gradient", "magnitude", "random"}))
        ->capture_default_str();
    cmd->add_option("--corpus", o->corpus, "Text for the gradient rule, one document per line")
        ->check(CLI::ExistingFile);
    cmd->add_option("--sequences", o->sequences, "Sequences whose squared gradients are summed")
        ->check(wholeNumber(1))
        ->capture_default_str();
    cmd->add_option("--seq-len", o->seqLen, "Tokens per sequence")
        ->check(wholeNumber(2, std::int64_t{1} << 20))
        ->capture_default_str();
    cmd->add_option("--fraction", o->fraction, "Share of the candidate weights to select, in (0, 1]")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_flag("--per-matrix", o->perMatrix, "Rank within each matrix instead of across all of them");
    cmd->add_option("--include", o->include, "Matrix kinds to choose from")->delimiter(',')->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed of the random rule")->capture_default_str();
    cmd->add_option("--out", *out, "Mask file to write")->required();
    addOverwriteFlag(cmd, *overwrite);
    stopsCleanlyWhenRun(cmd);
    cmd->callback([c, o, rule, out, overwrite, stop, &exitCode] {
        o->rule = *rule == "gradient"    ? MaskRule::GradientSquared
                  : *rule == "magnitude" ? MaskRule::Magnitude
                                         : MaskRule::Random;
        if (o->rule == MaskRule::GradientSquared && o->corpus.empty())
            throw InvalidArgument("the gradient rule needs --corpus FILE");
        o->device = c->device;
        OutputPolicy policy{*overwrite, {c->modelDir}};
        if (!o->corpus.empty())
            policy.inputs.push_back(o->corpus);
        checkOutputTarget(*out, policy, OutputKind::File, "mask file"); // before the long work, not after
        ProgressPrinter printer(c->json);
        const auto mask = computeSensitivityMask(c->modelDir, *o, &printer, stop);
        printer.finish();
        saveMask(mask, *out, policy);
        if (c->json)
            std::cout << maskJson(mask).dump() << '\n';
        else {
            std::cout << "wrote " << *out << '\n';
            printMask(mask);
        }
        exitCode = 0;
    });
}

void maskInfoCommand(CLI::App& app, int& exitCode)
{
    auto file = std::make_shared<std::string>();
    auto modelDir = std::make_shared<std::string>();
    auto jsonOut = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("mask-info", "Describe a mask file (and check it against a model)");
    cmd->add_option("MASK", *file, "Mask file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--model", *modelDir, "Model folder the mask must belong to");
    cmd->add_flag("--json", *jsonOut, "Print JSON");
    cmd->callback([file, modelDir, jsonOut, &exitCode] {
        std::optional<CheckpointInfo> info;
        if (!modelDir->empty())
            info = inspectCheckpoint(*modelDir);
        const auto mask = loadMask(*file, info ? &*info : nullptr);
        if (*jsonOut)
            std::cout << maskJson(mask).dump() << '\n';
        else
            printMask(mask);
        exitCode = 0;
    });
}

void quantizeCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto model = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto o = std::make_shared<QuantizeOptions>();
    auto jsonOut = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("quantize", "Quantize a model to 4 bits, optionally keeping a mask's weights exact");
    cmd->add_option("MODEL_DIR", *model, "Model folder")->required();
    cmd->add_option("--format", o->format, "int4 or nf4")->check(CLI::IsMember({"int4", "nf4"}))->capture_default_str();
    cmd->add_option("--group-size", o->groupSize, "Entries per scale along each row (even, 2 to 4096)")
        ->check(wholeNumber(2, kMaxGroupSize))
        ->capture_default_str();
    cmd->add_option("--mask", o->mask, "Sensitivity mask: these entries stay in full precision (dense-and-sparse)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--embeddings", o->embeddingFormat,
                    "embed_tokens and lm_head: float (as stored) or int8 (8 bits per weight, a scale per group; "
                    "decoding reads a quarter of fp32's bytes for them)")
        ->check(CLI::IsMember({"float", "int8"}))
        ->capture_default_str();
    cmd->add_option("--out", *out, "Folder for the quantized model")->required();
    cmd->add_flag("--json", *jsonOut, "Print JSON");
    addOverwriteFlag(cmd, o->overwrite);
    stopsCleanlyWhenRun(cmd);
    cmd->callback([model, out, o, jsonOut, stop, &exitCode] {
        ProgressPrinter printer(*jsonOut);
        const auto r = quantizeModel(*model, *out, *o, &printer, stop);
        printer.finish();
        const auto total = r.quantizedBytes + r.sparseBytes + r.int8Bytes + r.otherBytes;
        const json j{{"matrices", r.matrices},
                     {"sparse_entries", r.sparseEntries},
                     {"input_bytes", r.inputBytes},
                     {"output_bytes", total},
                     {"quantized_bytes", r.quantizedBytes},
                     {"sparse_bytes", r.sparseBytes},
                     {"int8_bytes", r.int8Bytes},
                     {"other_bytes", r.otherBytes},
                     {"max_abs_error", r.maxAbsError},
                     {"rms_error", r.rmsError},
                     {"embedding_format", o->embeddingFormat},
                     {"embedding_max_abs_error", r.embeddingMaxAbsError},
                     {"embedding_rms_error", r.embeddingRmsError},
                     {"peak_rss_bytes", r.peakRssBytes}};
        if (*jsonOut) {
            std::cout << j.dump() << '\n';
        } else {
            std::cout << "wrote " << *out << ": " << formatBytes(r.inputBytes) << " -> " << formatBytes(total) << " ("
                      << formatBytes(r.quantizedBytes) << " 4-bit, " << formatBytes(r.sparseBytes) << " sparse, "
                      << (r.int8Bytes > 0 ? formatBytes(r.int8Bytes) + " 8-bit, " : std::string())
                      << formatBytes(r.otherBytes) << " other)\n"
                      << r.matrices << " matrices, " << r.sparseEntries << " entries kept exact, weight error max "
                      << r.maxAbsError << " rms " << r.rmsError << ", peak memory " << formatBytes(r.peakRssBytes)
                      << '\n';
            if (r.int8Bytes > 0)
                std::cout << "8-bit embeddings and lm_head: weight error max " << r.embeddingMaxAbsError << " rms "
                          << r.embeddingRmsError << '\n';
        }
        exitCode = 0;
    });
}

} // namespace

void registerPrepareCommands(CLI::App& app, std::stop_token stop, int& exitCode)
{
    sensitivityCommand(app, stop, exitCode);
    maskInfoCommand(app, exitCode);
    quantizeCommand(app, stop, exitCode);
}

} // namespace zl::cli
