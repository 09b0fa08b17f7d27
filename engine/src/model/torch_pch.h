// The libtorch headers the engine's tensor code uses; precompiled once (see
// engine/CMakeLists.txt) because parsing them costs ~20 s per file.
#pragma once

#include <ATen/ATen.h>
#include <c10/core/GradMode.h> // NoGradGuard: libtorch 2.x no longer includes it from ATen.h
#include <c10/core/InferenceMode.h>
