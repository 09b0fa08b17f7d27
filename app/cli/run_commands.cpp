// Commands that read the run database: runs list, runs show.
#include "cli/cli_common.h"

#include "zerolens/error.h"
#include "zerolens/runs.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

namespace zl::cli {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Stored JSON (configuration, summary) comes from a file a user may have been
// handed: nlohmann copies and dumps values recursively, so deep nesting is
// refused before parsing, and anything unreadable is shown as the raw text.
json storedJson(const std::string& text)
{
    constexpr int kMaxDepth = 64;
    int depth = 0;
    bool inString = false, escaped = false;
    for (const char ch : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                inString = false;
        } else if (ch == '"') {
            inString = true;
        } else if (ch == '{' || ch == '[') {
            if (++depth > kMaxDepth)
                return text;
        } else if (ch == '}' || ch == ']') {
            --depth;
        }
    }
    auto j = json::parse(text, nullptr, false);
    return j.is_discarded() ? json(text) : j;
}

std::optional<double> numberAt(const json& j, std::initializer_list<const char*> keys)
{
    const json* at = &j;
    for (const char* key : keys) {
        if (!at->is_object() || !at->contains(key))
            return std::nullopt;
        at = &(*at)[key];
    }
    if (!at->is_number())
        return std::nullopt;
    const double v = at->get<double>();
    return v >= 0.0 ? std::optional<double>(v) : std::nullopt; // -1: not evaluated
}

struct DevAccuracy {
    std::optional<double> best, last;
};

// From the summary ("best_dev_accuracy" or "best_dev":{"accuracy"}, "final_dev_accuracy");
// else from the "dev_accuracy" metric history (best: its maximum, final: its last value).
DevAccuracy devAccuracy(const RunDatabase& db, const RunRecord& run)
{
    const auto summary = storedJson(run.summaryJson);
    DevAccuracy a;
    a.best = numberAt(summary, {"best_dev_accuracy"});
    if (!a.best)
        a.best = numberAt(summary, {"best_dev", "accuracy"}); // the fine-tuner's summary
    if (!a.best)
        a.best = numberAt(summary, {"dev", "accuracy"});
    a.last = numberAt(summary, {"final_dev_accuracy"});
    if (!a.best || !a.last) {
        const auto history = db.metrics(run.id, "dev_accuracy");
        for (const auto& p : history)
            if (!std::isnan(p.value) && (!a.best || p.value > *a.best))
                a.best = p.value;
        if (!a.last && !history.empty() && !std::isnan(history.back().value))
            a.last = history.back().value;
    }
    return a;
}

std::string localTime(std::int64_t unixSeconds)
{
    const auto t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    if (unixSeconds <= 0 || ::localtime_r(&t, &tm) == nullptr)
        return "-";
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

// Shortest text that reads back as the same double.
std::string exact(double v)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string fixed(std::optional<double> v, int decimals = 3)
{
    if (!v)
        return "-";
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(decimals);
    s << *v;
    return s.str();
}

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string q = "\"";
    for (const char ch : s)
        q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

// Names and folders are bytes that need not be UTF-8: replace what is not, rather than fail.
std::string dump(const json& j, int indent = -1)
{
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

json metricJson(const MetricPoint& p)
{
    // NaN (a diverged loss) has no JSON spelling: null.
    return json{{"name", p.name},
                {"step", p.step},
                {"value", std::isnan(p.value) ? json(nullptr) : json(p.value)},
                {"seconds", p.seconds}};
}

json runJson(const RunDatabase& db, const RunRecord& r)
{
    const auto acc = devAccuracy(db, r);
    return json{{"id", r.id},
                {"name", r.name},
                {"dir", r.dir.string()},
                {"status", r.status},
                {"method", r.method},
                {"task", r.task},
                {"model_id", r.modelId},
                {"mask_hash", r.maskHash},
                {"data_hash", r.dataHash},
                {"steps_done", r.stepsDone},
                {"steps_total", r.stepsTotal},
                {"best_dev_accuracy", acc.best ? json(*acc.best) : json(nullptr)},
                {"final_dev_accuracy", acc.last ? json(*acc.last) : json(nullptr)},
                {"summary", storedJson(r.summaryJson)},
                {"config", storedJson(r.configJson)},
                {"error", r.error},
                {"created_at", r.createdAt},
                {"updated_at", r.updatedAt},
                {"pid", r.pid}};
}

// --db, shared by every runs subcommand.
void addDbOption(CLI::App* cmd, std::string& db)
{
    cmd->add_option("--db", db, "Run database (default: $ZL_RUNS_DB, else ~/.local/share/zerolens/runs.sqlite)");
}

fs::path dbPath(const std::string& option)
{
    return option.empty() ? RunDatabase::defaultPath() : fs::path(option);
}

// Reading commands do not create a database that is not there: nothing has run yet.
std::unique_ptr<RunDatabase> openExisting(const fs::path& file)
{
    std::error_code ec;
    if (!fs::exists(file, ec))
        return nullptr;
    return std::make_unique<RunDatabase>(file);
}

void printTable(const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::size_t> width;
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) {
            width.resize(std::max(width.size(), row.size()));
            width[c] = std::max(width[c], row[c].size());
        }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            line += row[c];
            if (c + 1 < row.size())
                line += std::string(width[c] - row[c].size() + 2, ' ');
        }
        std::cout << line << '\n';
    }
}

void listCommand(CLI::App& runs, int& exitCode)
{
    auto db = std::make_shared<std::string>();
    auto jsonOut = std::make_shared<bool>(false);
    auto* cmd = runs.add_subcommand("list", "List the runs of the run database, newest first");
    addDbOption(cmd, *db);
    cmd->add_flag("--json", *jsonOut, "Print a JSON array");
    cmd->callback([db, jsonOut, &exitCode] {
        const auto file = dbPath(*db);
        const auto database = openExisting(file);
        const auto all = database ? database->list() : std::vector<RunRecord>{};
        if (*jsonOut) {
            auto out = json::array();
            for (const auto& r : all)
                out.push_back(runJson(*database, r));
            std::cout << dump(out) << '\n';
        } else if (all.empty()) {
            std::cout << "no runs in " << file.string() << '\n';
        } else {
            std::vector<std::vector<std::string>> rows{
                {"ID", "STATUS", "METHOD", "TASK", "STEPS", "BEST DEV ACC", "FINAL DEV ACC", "CREATED", "FOLDER"}};
            for (const auto& r : all) {
                const auto acc = devAccuracy(*database, r);
                rows.push_back({std::to_string(r.id), r.status, r.method, r.task,
                                std::to_string(r.stepsDone) + "/" + std::to_string(r.stepsTotal), fixed(acc.best),
                                fixed(acc.last), localTime(r.createdAt), r.dir.string()});
            }
            printTable(rows);
        }
        exitCode = 0;
    });
}

// RUN is an id (all digits) or a run folder; "./3" names a folder called 3.
RunRecord findRun(const RunDatabase* db, const fs::path& file, const std::string& run)
{
    const bool isId =
        !run.empty() && std::all_of(run.begin(), run.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    std::optional<RunRecord> found;
    if (isId) {
        std::int64_t id = 0;
        const auto r = std::from_chars(run.data(), run.data() + run.size(), id);
        if (r.ec == std::errc() && db != nullptr)
            found = db->find(id);
        if (!found)
            throw InvalidArgument("no run " + run + " in " + file.string());
    } else {
        if (db != nullptr)
            found = db->findByDir(run);
        if (!found)
            throw InvalidArgument("no run with the folder " + run + " in " + file.string());
    }
    return *found;
}

void showCommand(CLI::App& runs, int& exitCode)
{
    auto db = std::make_shared<std::string>();
    auto run = std::make_shared<std::string>();
    auto jsonOut = std::make_shared<bool>(false);
    auto history = std::make_shared<bool>(false);
    auto* cmd = runs.add_subcommand("show", "Show a run: its record, configuration and latest metrics");
    cmd->add_option("RUN", *run, "Run id, or the run's folder")->required();
    addDbOption(cmd, *db);
    cmd->add_flag("--json", *jsonOut, "Print JSON");
    cmd->add_flag("--metrics", *history, "Print the whole metric history (CSV: name,step,value,seconds)");
    cmd->callback([db, run, jsonOut, history, &exitCode] {
        const auto file = dbPath(*db);
        const auto database = openExisting(file);
        const auto r = findRun(database.get(), file, *run);
        const auto names = database->metricNames(r.id);
        std::vector<MetricPoint> last;
        for (const auto& name : names) {
            const auto points = database->metrics(r.id, name);
            if (!points.empty())
                last.push_back(points.back());
        }
        if (*jsonOut) {
            auto j = runJson(*database, r);
            auto latest = json::object();
            for (const auto& p : last)
                latest[p.name] = metricJson(p);
            j["last_metrics"] = latest;
            if (*history) {
                auto all = json::array();
                for (const auto& p : database->metrics(r.id))
                    all.push_back(metricJson(p));
                j["metrics"] = all;
            }
            std::cout << dump(j) << '\n';
        } else if (*history) {
            std::cout << "name,step,value,seconds\n";
            for (const auto& p : database->metrics(r.id))
                std::cout << csvField(p.name) << ',' << p.step << ',' << exact(p.value) << ',' << exact(p.seconds)
                          << '\n';
        } else {
            const auto acc = devAccuracy(*database, r);
            std::cout << "run " << r.id << (r.name.empty() ? "" : ": " + r.name) << '\n';
            const auto orDash = [](const std::string& v) { return v.empty() ? std::string("-") : v; };
            std::vector<std::vector<std::string>> rows{
                {"  status", r.status},
                {"  folder", orDash(r.dir.string())},
                {"  method", orDash(r.method)},
                {"  task", orDash(r.task)},
                {"  steps", std::to_string(r.stepsDone) + "/" + std::to_string(r.stepsTotal)},
                {"  best dev acc", fixed(acc.best, 4)},
                {"  final dev acc", fixed(acc.last, 4)},
                {"  model", orDash(r.modelId)},
                {"  mask", orDash(r.maskHash)},
                {"  data", orDash(r.dataHash)},
                {"  created", localTime(r.createdAt)},
                {"  updated", localTime(r.updatedAt)},
                {"  pid", std::to_string(r.pid)}};
            if (!r.error.empty())
                rows.push_back({"  error", r.error});
            printTable(rows);
            std::cout << "summary:\n" << dump(storedJson(r.summaryJson), 2) << '\n';
            std::cout << "configuration:\n" << dump(storedJson(r.configJson), 2) << '\n';
            if (last.empty()) {
                std::cout << "metrics: none\n";
            } else {
                std::cout << "metrics (last value):\n";
                std::vector<std::vector<std::string>> metricRows;
                for (const auto& p : last)
                    metricRows.push_back({"  " + p.name, "step " + std::to_string(p.step), exact(p.value)});
                printTable(metricRows);
            }
        }
        exitCode = 0;
    });
}

} // namespace

void registerRunCommands(CLI::App& app, std::stop_token, int& exitCode)
{
    auto* runs = app.add_subcommand("runs", "Fine-tuning runs recorded in the run database");
    runs->require_subcommand(1);
    listCommand(*runs, exitCode);
    showCommand(*runs, exitCode);
    // `runs export` (exportRun, finetune.h) registers here too.
}

} // namespace zl::cli
