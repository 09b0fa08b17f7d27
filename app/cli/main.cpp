// zerolens-cli: everything the GUI does, for scripts and clusters.
// Every failure ends as one line "error: …" on stderr and an exit code below 128:
// 1 for a refused input or option, 2 for a command line CLI11 cannot parse, 3 for
// an internal fault. Ctrl+C exits with 130.
#include "cli/commands.h"

#include "zerolens/error.h"
#include "zerolens/runtime.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <new>
#include <thread>
#include <unistd.h>

namespace {

std::atomic<int> g_interrupts{0};

void onSigint(int)
{
    g_interrupts.fetch_add(1);
}

// One line: messages from libraries (libtorch in particular) can span several.
std::string oneLine(std::string s)
{
    for (auto& ch : s)
        if (ch == '\n' || ch == '\r')
            ch = ' ';
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

int fail(const std::string& message, int code)
{
    std::cerr << "error: " << oneLine(message) << '\n';
    return code;
}

} // namespace

int main(int argc, char** argv)
{
    zl::keepFreedMemoryForReuse();
    CLI::App app{"ZeroLens: sparse zeroth-order fine-tuning and training-data attribution for LLMs", "zerolens-cli"};
    app.set_version_flag("--version", std::string("zerolens-cli ") + ZL_VERSION);
    app.require_subcommand(1);

    // Ctrl+C requests a clean stop; a watcher thread forwards the signal count,
    // since request_stop is not async-signal-safe. Commands that cannot stop
    // midway, a second Ctrl+C, or a stop that takes longer than the grace period
    // end the process at once: outputs are staged, so no partial target remains.
    std::stop_source stopSource;
    std::signal(SIGINT, onSigint);
    std::jthread watcher([&stopSource](std::stop_token self) {
        using Clock = std::chrono::steady_clock;
        constexpr auto kGrace = std::chrono::seconds(10);
        Clock::time_point requested{};
        while (!self.stop_requested()) {
            const int n = g_interrupts.load();
            if (n > 0 && !stopSource.stop_requested()) {
                stopSource.request_stop();
                requested = Clock::now();
            }
            if (n > 1 || (n > 0 && (!zl::cli::stopsCleanly() || Clock::now() - requested > kGrace))) {
                std::cerr << "\ncancelled\n";
                ::_exit(130);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });

    int exitCode = 1;
    zl::cli::registerCommands(app, stopSource.get_token(), exitCode);
    // CLI11 would call an unknown command a missing one ("A subcommand is required").
    if (argc > 1 && argv[1][0] != '-') {
        bool known = false;
        for (const auto* cmd : app.get_subcommands({}))
            known = known || cmd->check_name(argv[1]);
        if (!known)
            return fail(std::string("unknown command '") + argv[1] + "' (zerolens-cli --help lists them)", 2);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return fail(std::string(e.what()) + " (see zerolens-cli --help, or zerolens-cli COMMAND --help)", 2);
    } catch (const zl::Cancelled&) {
        std::cerr << "cancelled\n";
        return 130;
    } catch (const zl::Error& e) {
        return fail(e.what(), 1);
    } catch (const std::filesystem::filesystem_error& e) {
        return fail(e.path1().string() + ": " + e.code().message(), 1);
    } catch (const std::bad_alloc&) {
        return fail("out of memory: the input needs more memory than this machine has available", 1);
    } catch (const nlohmann::json::exception& e) {
        return fail(std::string("malformed JSON input: ") + e.what(), 1);
    } catch (const std::exception& e) {
        return fail(std::string("internal error (please report it): ") + e.what(), 3);
    }
    return exitCode;
}
