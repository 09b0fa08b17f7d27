// Learning-rate schedules shared by pre-training and fine-tuning.
#pragma once

#include "zerolens/finetune.h"

#include <cstdint>

namespace zl::tune {

/// The rate at 0-based `step` of `total`: linear warm-up over `warmup` steps,
/// then constant, linear decay to `floorRatio`·base, or cosine decay to it.
double learningRate(LrSchedule schedule, double base, std::int64_t step, std::int64_t total, std::int64_t warmup = 0,
                    double floorRatio = 0.0);

} // namespace zl::tune
