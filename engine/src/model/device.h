// Where a model's weights live and which dtype its matrix products use.
#pragma once

#include "model/torch_pch.h"

#include <string>

namespace zl::model {

/// Parses "cpu", "cuda" or "cuda:N"; throws InvalidArgument when the device is
/// malformed or unavailable in this build / on this machine.
at::Device parseDevice(const std::string& name);

/// fp32 on CPU; on CUDA bf16 for BF16 checkpoints, fp16 for F16 ones, else fp32.
at::ScalarType computeDtypeFor(const at::Device& device, const std::string& storedDtype);

std::string dtypeName(at::ScalarType t);

} // namespace zl::model
