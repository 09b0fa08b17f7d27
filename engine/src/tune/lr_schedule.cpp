#include "tune/lr_schedule.h"

#include "zerolens/error.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace zl {

std::string scheduleName(LrSchedule s)
{
    switch (s) {
    case LrSchedule::Constant:
        return "constant";
    case LrSchedule::Linear:
        return "linear";
    case LrSchedule::Cosine:
        return "cosine";
    }
    return "constant";
}

LrSchedule scheduleFromName(const std::string& name)
{
    if (name == "constant")
        return LrSchedule::Constant;
    if (name == "linear")
        return LrSchedule::Linear;
    if (name == "cosine")
        return LrSchedule::Cosine;
    throw InvalidArgument("unknown learning-rate schedule '" + name + "' (expected constant, linear or cosine)");
}

namespace tune {

double learningRate(LrSchedule schedule, double base, std::int64_t step, std::int64_t total, std::int64_t warmup,
                    double floorRatio)
{
    if (step < warmup)
        return base * static_cast<double>(step + 1) / static_cast<double>(warmup);
    const double span = static_cast<double>(std::max<std::int64_t>(1, total - warmup));
    const double t = std::clamp(static_cast<double>(step - warmup) / span, 0.0, 1.0);
    const double floor = base * floorRatio;
    switch (schedule) {
    case LrSchedule::Constant:
        return base;
    case LrSchedule::Linear:
        return base - (base - floor) * t;
    case LrSchedule::Cosine:
        return floor + 0.5 * (base - floor) * (1.0 + std::cos(std::numbers::pi * t));
    }
    return base;
}

} // namespace tune
} // namespace zl
