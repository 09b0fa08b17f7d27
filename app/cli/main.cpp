// zerolens-cli: everything the GUI does, for scripts and clusters.
#include "cli/commands.h"

#include "zerolens/error.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

namespace {

std::atomic<bool> g_interrupted{false};

void onSigint(int)
{
    g_interrupted.store(true);
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"ZeroLens: sparse zeroth-order fine-tuning and training-data attribution for LLMs", "zerolens-cli"};
    app.set_version_flag("--version", std::string("zerolens-cli ") + ZL_VERSION);
    app.require_subcommand(1);

    // Ctrl+C requests a clean stop; a watcher thread forwards the signal flag,
    // since request_stop is not async-signal-safe.
    std::stop_source stopSource;
    std::signal(SIGINT, onSigint);
    std::jthread watcher([&stopSource](std::stop_token self) {
        while (!self.stop_requested()) {
            if (g_interrupted.load()) {
                stopSource.request_stop();
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });

    int exitCode = 1;
    zl::cli::registerCommands(app, stopSource.get_token(), exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const zl::Cancelled&) {
        std::cerr << "cancelled\n";
        return 130;
    } catch (const zl::Error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "internal error: " << e.what() << '\n';
        return 3;
    }
    return exitCode;
}
