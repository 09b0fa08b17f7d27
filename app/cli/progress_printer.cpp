#include "cli/progress_printer.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace zl::cli {

namespace {

std::string duration(double s)
{
    if (s < 0)
        return "?";
    char buf[32];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%.0fs", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
    else
        std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) % 3600 / 60);
    return buf;
}

} // namespace

ProgressPrinter::ProgressPrinter(bool json) : m_json(json), m_tty(::isatty(STDERR_FILENO) != 0) {}

ProgressPrinter::~ProgressPrinter()
{
    finish();
}

void ProgressPrinter::progress(const Progress& p)
{
    if (m_json) {
        nlohmann::json j{{"event", "progress"},           {"stage", p.stage},     {"done", p.done}, {"total", p.total},
                         {"elapsed_s", p.elapsedSeconds}, {"eta_s", p.etaSeconds}};
        std::cerr << j.dump() << '\n';
        return;
    }
    const double frac = p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : 0.0;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(frac * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '-');
    char line[256];
    std::snprintf(line, sizeof line, "%s [%s] %3.0f%% %lld/%lld  elapsed %s  ETA %s", p.stage.c_str(), bar.c_str(),
                  frac * 100.0, static_cast<long long>(p.done), static_cast<long long>(p.total),
                  duration(p.elapsedSeconds).c_str(), duration(p.etaSeconds).c_str());
    if (m_tty) {
        std::cerr << '\r' << line << "\x1b[K" << std::flush;
        m_lineOpen = true;
        if (p.total > 0 && p.done >= p.total)
            finish();
    } else if (p.total > 0 && p.done >= p.total) {
        std::cerr << line << '\n'; // logs get the final line only
    }
}

void ProgressPrinter::metric(const Metric& m)
{
    if (m_json)
        std::cerr << nlohmann::json{{"event", "metric"}, {"name", m.name}, {"value", m.value}, {"step", m.step}}.dump()
                  << '\n';
}

void ProgressPrinter::log(LogLevel level, const std::string& message)
{
    finish();
    if (m_json)
        std::cerr << nlohmann::json{{"event", "log"},
                                    {"level", level == LogLevel::Warning ? "warning" : "info"},
                                    {"message", message}}
                         .dump()
                  << '\n';
    else if (level != LogLevel::Debug)
        std::cerr << (level == LogLevel::Warning ? "warning: " : "") << message << '\n';
}

void ProgressPrinter::finish()
{
    if (m_lineOpen) {
        std::cerr << '\n';
        m_lineOpen = false;
    }
}

} // namespace zl::cli
