// Registers every command group and implements what they share (cli_common.h).
#include "cli/commands.h"

#include "cli/cli_common.h"
#include "zerolens/error.h"
#include "zerolens/runtime.h"

#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdlib.h>

namespace zl::cli {

namespace {

std::atomic<bool> g_stopsCleanly{false};
int g_threads = 0;

// Every command that runs gets --threads; it is applied before the command's callback.
void addThreadsOption(CLI::App* cmd)
{
    if (!cmd->get_subcommands({}).empty()) {
        for (auto* sub : cmd->get_subcommands({}))
            addThreadsOption(sub);
        return;
    }
    cmd->add_option("--threads", g_threads, "Compute threads (0 = all physical cores)")
        ->check(wholeNumber(0, 1024))
        ->capture_default_str();
    cmd->parse_complete_callback([] { setThreadCount(g_threads); });
}

} // namespace

void stopsCleanlyWhenRun(CLI::App* cmd)
{
    cmd->preparse_callback([](std::size_t) { g_stopsCleanly.store(true); });
}

CLI::Validator wholeNumber(std::int64_t min, std::int64_t max)
{
    const bool bounded = max != std::numeric_limits<std::int64_t>::max();
    return CLI::Validator(
        [min, max, bounded](std::string& text) -> std::string {
            std::int64_t value = 0;
            const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
            if (r.ec != std::errc() || r.ptr != text.data() + text.size())
                return "must be a whole number, got '" + text + "'";
            if (value < min || value > max)
                return bounded ? "must be from " + std::to_string(min) + " to " + std::to_string(max) + ", got " + text
                               : "must be at least " + std::to_string(min) + ", got " + text;
            return {};
        },
        bounded ? "INT in [" + std::to_string(min) + ", " + std::to_string(max) + "]"
                : "INT >= " + std::to_string(min));
}

ScratchFolder::ScratchFolder()
{
    char tmpl[] = "/tmp/zerolens-bench-XXXXXX";
    if (!::mkdtemp(tmpl))
        throw Error("cannot create a scratch folder in /tmp");
    m_path = tmpl;
}

ScratchFolder::~ScratchFolder()
{
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

void addOverwriteFlag(CLI::App* cmd, bool& overwrite)
{
    cmd->add_flag("--overwrite", overwrite,
                  "Replace an existing non-empty output (it is replaced only once the new one is complete)");
}

std::string readTextFile(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw InvalidArgument(path + ": not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InvalidArgument(path + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void addModelOptions(CLI::App* cmd, Common& c)
{
    cmd->add_option("MODEL_DIR", c.modelDir, "Hugging Face model folder (config.json, *.safetensors, tokenizer)")
        ->required();
    cmd->add_option("--device", c.device, "cpu, cuda or cuda:N")->capture_default_str();
    cmd->add_flag("--json", c.json, "Print machine-readable JSON on stdout");
}

std::shared_ptr<Model> loadModel(const Common& c, ProgressPrinter& printer, std::stop_token stop)
{
    LoadOptions o;
    o.device = c.device;
    auto m = Model::load(c.modelDir, o, &printer, stop);
    printer.finish();
    return m;
}

bool stopsCleanly()
{
    return g_stopsCleanly.load();
}

void registerCommands(CLI::App& app, std::stop_token stop, int& exitCode)
{
    registerModelCommands(app, stop, exitCode);
    registerDataCommands(app, stop, exitCode);
    registerPrepareCommands(app, stop, exitCode);
    registerRunCommands(app, stop, exitCode);
    registerFinetuneCommands(app, stop, exitCode);
    registerInfluenceCommands(app, stop, exitCode);
    for (auto* cmd : app.get_subcommands({}))
        addThreadsOption(cmd);
}

} // namespace zl::cli
