#include "tune/run_folder.h"

#include "io/json_file.h"
#include "io/safetensors.h"
#include "io/safetensors_writer.h"
#include "io/text_file.h"
#include "zerolens/atomic_file.h"
#include "zerolens/error.h"
#include "zerolens/runtime.h"

#include <cstring>

namespace zl::tune {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kRunFormatVersion = 1;

std::string floatBytes(const at::Tensor& t)
{
    const auto c = t.detach().to(at::kCPU, at::kFloat).contiguous();
    return std::string(static_cast<const char*>(c.data_ptr()), c.nbytes());
}

void addValues(io::SafetensorsWriter& w, const std::string& prefix, const std::vector<ParameterBlock>& blocks,
               const std::vector<at::Tensor>& tensors)
{
    for (std::size_t i = 0; i < tensors.size(); ++i)
        w.add(prefix + blocks[i].name, "F32", tensors[i].sizes().vec(), floatBytes(tensors[i]));
}

void readInto(const io::SafetensorsFile& f, const std::string& name, at::Tensor& target)
{
    const auto it = f.tensors().find(name);
    if (it == f.tensors().end() || it->second.dtype != "F32" || it->second.shape != target.sizes().vec())
        throw FormatError(
            f.path().string() + ": tensor '" + name +
            "' is missing or has another shape than the model's (a checkpoint of another model or mask?)");
    auto host = at::empty(target.sizes(), at::kFloat);
    std::memcpy(host.data_ptr(), f.data(name), it->second.bytes);
    c10::NoGradGuard noGrad;
    target.copy_(host);
}

json metadataJson(const io::SafetensorsFile& f)
{
    const auto it = f.metadata().find("zerolens");
    if (it == f.metadata().end())
        throw FormatError(f.path().string() + ": not a ZeroLens checkpoint (no \"zerolens\" metadata)");
    return io::parseJson(it->second, f.path().string() + " metadata");
}

SplitScore scoreFrom(const json& j)
{
    SplitScore s;
    if (j.is_object()) {
        s.loss = j.value("loss", -1.0);
        s.accuracy = j.value("accuracy", -1.0);
        s.examples = j.value("examples", std::int64_t{0});
    }
    return s;
}

} // namespace

json scoreToJson(const SplitScore& s)
{
    return {{"loss", s.loss}, {"accuracy", s.accuracy}, {"examples", s.examples}};
}

json optionsToJson(const FinetuneOptions& o)
{
    const auto& d = o.data;
    return {{"model", o.model.string()},
            {"mask", o.mask.string()},
            {"quant_format", o.quantFormat},
            {"group_size", o.groupSize},
            {"data",
             {{"path", d.path.string()},
              {"task", taskKindName(d.task.kind)},
              {"task_given", d.taskGiven},
              {"prompt", d.task.promptTemplate},
              {"labels", d.task.labels},
              {"label_words", d.task.labelWords},
              {"label_field", d.task.labelField},
              {"response_field", d.task.responseField},
              {"dev_fraction", d.devFraction},
              {"test_fraction", d.testFraction},
              {"split_seed", d.splitSeed},
              {"max_train", d.maxTrain},
              {"max_dev", d.maxDev},
              {"max_test", d.maxTest},
              {"strict", d.strict}}},
            {"method", methodName(o.method)},
            {"steps", o.steps},
            {"batch_size", o.batchSize},
            {"learning_rate", o.learningRate},
            {"schedule", scheduleName(o.schedule)},
            {"epsilon", o.epsilon},
            {"perturbations", o.perturbations},
            {"weight_decay", o.weightDecay},
            {"grad_clip", o.gradClip},
            {"beta1", o.beta1},
            {"beta2", o.beta2},
            {"adam_epsilon", o.adamEpsilon},
            {"max_length", o.maxLength},
            {"eval_every", o.evalEvery},
            {"eval_batch_size", o.evalBatchSize},
            {"early_stop_evals", o.earlyStopEvals},
            {"seed", o.seed},
            {"out_dir", o.outDir.string()},
            {"runs_database", o.runsDatabase.string()},
            {"run_name", o.runName},
            {"export_dense", o.exportDense},
            {"export_dtype", o.exportDtype},
            {"device", o.device}};
}

FinetuneOptions optionsFromJson(const json& j, const std::string& where)
{
    if (!j.is_object())
        throw FormatError(where + ": expected the run's options as a JSON object");
    try {
        FinetuneOptions o;
        o.model = j.at("model").get<std::string>();
        o.mask = j.value("mask", std::string());
        o.quantFormat = j.value("quant_format", o.quantFormat);
        o.groupSize = j.value("group_size", o.groupSize);
        const auto& d = j.at("data");
        o.data.path = d.at("path").get<std::string>();
        o.data.task.kind = taskKindFromName(d.value("task", std::string("classify")));
        o.data.taskGiven = d.value("task_given", false);
        o.data.task.promptTemplate = d.value("prompt", std::string());
        o.data.task.labels = d.value("labels", std::vector<std::string>());
        o.data.task.labelWords = d.value("label_words", std::vector<std::string>());
        o.data.task.labelField = d.value("label_field", std::string("label"));
        o.data.task.responseField = d.value("response_field", std::string());
        o.data.devFraction = d.value("dev_fraction", o.data.devFraction);
        o.data.testFraction = d.value("test_fraction", o.data.testFraction);
        o.data.splitSeed = d.value("split_seed", o.data.splitSeed);
        o.data.maxTrain = d.value("max_train", std::int64_t{0});
        o.data.maxDev = d.value("max_dev", std::int64_t{0});
        o.data.maxTest = d.value("max_test", std::int64_t{0});
        o.data.strict = d.value("strict", false);
        o.method = methodFromName(j.at("method").get<std::string>());
        o.steps = j.at("steps").get<std::int64_t>();
        o.batchSize = j.at("batch_size").get<std::int64_t>();
        o.learningRate = j.at("learning_rate").get<double>();
        o.schedule = scheduleFromName(j.value("schedule", std::string("constant")));
        o.epsilon = j.value("epsilon", o.epsilon);
        o.perturbations = j.value("perturbations", o.perturbations);
        o.weightDecay = j.value("weight_decay", o.weightDecay);
        o.gradClip = j.value("grad_clip", o.gradClip);
        o.beta1 = j.value("beta1", o.beta1);
        o.beta2 = j.value("beta2", o.beta2);
        o.adamEpsilon = j.value("adam_epsilon", o.adamEpsilon);
        o.maxLength = j.value("max_length", o.maxLength);
        o.evalEvery = j.value("eval_every", o.evalEvery);
        o.evalBatchSize = j.value("eval_batch_size", o.evalBatchSize);
        o.earlyStopEvals = j.value("early_stop_evals", o.earlyStopEvals);
        o.seed = j.value("seed", o.seed);
        o.outDir = j.value("out_dir", std::string());
        o.runsDatabase = j.value("runs_database", std::string());
        o.runName = j.value("run_name", std::string());
        o.exportDense = j.value("export_dense", true);
        o.exportDtype = j.value("export_dtype", o.exportDtype);
        o.device = j.value("device", o.device);
        return o;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(where + ": the run's options are incomplete or of the wrong type (" + e.what() + ")");
    }
}

json stateToJson(const LoopState& s)
{
    return {{"step", s.step},
            {"ema_loss", s.emaLoss},
            {"ema_weight", s.emaWeight},
            {"best_score", s.bestScore},
            {"best_step", s.bestStep},
            {"evals_since_best", s.evalsSinceBest},
            {"elapsed_seconds", s.elapsedSeconds},
            {"zero_shot", scoreToJson(s.zeroShot)},
            {"best_dev", scoreToJson(s.bestDev)},
            {"warned_flat", s.warnedFlat},
            {"warned_rising", s.warnedRising},
            {"first_ema", s.firstEma}};
}

LoopState stateFromJson(const json& j, const std::string& where)
{
    try {
        LoopState s;
        s.step = j.at("step").get<std::int64_t>();
        s.emaLoss = j.at("ema_loss").get<double>();
        s.emaWeight = j.at("ema_weight").get<double>();
        s.bestScore = j.at("best_score").get<double>();
        s.bestStep = j.at("best_step").get<std::int64_t>();
        s.evalsSinceBest = j.at("evals_since_best").get<std::int64_t>();
        s.elapsedSeconds = j.at("elapsed_seconds").get<double>();
        s.zeroShot = scoreFrom(j.value("zero_shot", json()));
        s.bestDev = scoreFrom(j.value("best_dev", json()));
        s.warnedFlat = j.value("warned_flat", false);
        s.warnedRising = j.value("warned_rising", false);
        s.firstEma = j.value("first_ema", -1.0);
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(where + ": checkpoint state is incomplete (" + e.what() + ")");
    }
}

RunFolder::RunFolder(fs::path dir) : m_dir(std::move(dir)) {}

bool RunFolder::hasRun() const
{
    return fs::is_regular_file(m_dir / "run.json");
}

json RunFolder::readRun() const
{
    const auto file = m_dir / "run.json";
    json j = io::readJsonFile(file, io::kMaxSmallJsonBytes);
    if (!j.is_object() || j.value("format", std::string()) != "zerolens-run")
        throw FormatError(file.string() + ": not a ZeroLens run file");
    if (j.value("version", 0) > kRunFormatVersion)
        throw FormatError(file.string() + ": written by a newer ZeroLens (run format " +
                          std::to_string(j.value("version", 0)) + ")");
    return j;
}

void RunFolder::writeRun(const json& run) const
{
    json j = run;
    j["format"] = "zerolens-run";
    j["version"] = kRunFormatVersion;
    fs::create_directories(m_dir);
    writeFileAtomically(m_dir / "run.json", j.dump(2));
}

void RunFolder::saveCheckpoint(const ParameterSet& values, const std::vector<at::Tensor>& firstMoments,
                               const std::vector<at::Tensor>& secondMoments, const LoopState& state) const
{
    const auto dir = checkpointDir();
    fs::create_directories(dir);
    io::SafetensorsWriter w;
    std::vector<at::Tensor> current;
    for (const auto& b : values.blocks())
        current.push_back(b.values);
    addValues(w, "value.", values.blocks(), current);
    addValues(w, "adam_m.", values.blocks(), firstMoments);
    addValues(w, "adam_v.", values.blocks(), secondMoments);
    w.setMetadata("zerolens", stateToJson(state).dump());
    char name[64];
    std::snprintf(name, sizeof name, "step-%09lld.safetensors", static_cast<long long>(state.step));
    w.write(dir / name);
    writeFileAtomically(dir / "latest", name);
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto f = e.path().filename().string();
        if (f.rfind("step-", 0) == 0 && f != name)
            fs::remove(e.path());
    }
}

std::optional<LoopState> RunFolder::loadLatest(ParameterSet& values, std::vector<at::Tensor>* firstMoments,
                                               std::vector<at::Tensor>* secondMoments) const
{
    const auto dir = checkpointDir();
    if (!fs::exists(dir / "latest"))
        return std::nullopt;
    const auto name = io::readTextFile(dir / "latest", 256);
    if (name.find('/') != std::string::npos || name.rfind("step-", 0) != 0)
        throw FormatError((dir / "latest").string() + ": does not name a checkpoint");
    const io::SafetensorsFile f(dir / name);
    const auto& blocks = values.blocks();
    for (const auto& b : blocks) {
        auto t = b.values;
        readInto(f, "value." + b.name, t);
    }
    if (firstMoments && secondMoments)
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            readInto(f, "adam_m." + blocks[i].name, (*firstMoments)[i]);
            readInto(f, "adam_v." + blocks[i].name, (*secondMoments)[i]);
        }
    return stateFromJson(metadataJson(f), f.path().string());
}

void RunFolder::saveValues(const std::string& name, const ParameterSet& values, const json& meta) const
{
    fs::create_directories(checkpointDir());
    io::SafetensorsWriter w;
    std::vector<at::Tensor> current;
    for (const auto& b : values.blocks())
        current.push_back(b.values);
    addValues(w, "value.", values.blocks(), current);
    w.setMetadata("zerolens", meta.is_null() ? std::string("{}") : meta.dump());
    w.write(checkpointDir() / (name + ".safetensors"));
}

bool RunFolder::hasValues(const std::string& name) const
{
    return fs::is_regular_file(checkpointDir() / (name + ".safetensors"));
}

json RunFolder::loadValues(const std::string& name, ParameterSet& into) const
{
    const io::SafetensorsFile f(checkpointDir() / (name + ".safetensors"));
    for (const auto& b : into.blocks()) {
        auto t = b.values;
        readInto(f, "value." + b.name, t);
    }
    return metadataJson(f);
}

} // namespace zl::tune
