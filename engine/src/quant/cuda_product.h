// The torch side of the GPU's 4-bit kernels (engine/cuda): QuantMatrix tensors
// on a CUDA device handed to the plain-pointer kernels on libtorch's current
// stream. Compiled only where CUDA is (ZL_HAVE_CUDA); elsewhere quant_matrix.cpp
// never calls it.
#pragma once

#include "quant/quant_matrix.h"

namespace zl::quant {

/// Whether the GPU kernels take q with activations of type t: q's arrays on one
/// CUDA device, t float32, float16 or bfloat16, and ZL_CUDA_KERNELS not "off"
/// (which keeps the generic dequantize-then-matmul ops, for comparison).
bool cudaKernelsApply(const QuantMatrix& q, at::ScalarType t);

/// dequant(Q) + S as t, on q's device.
at::Tensor cudaDequantize(const QuantMatrix& q, at::ScalarType t);

/// flat [m, cols] · (dequant(Q) + S)ᵀ: straight from the codes for m up to
/// cuda::kMaxProductRows, else through cudaDequantize and a GEMM.
at::Tensor cudaProduct(const at::Tensor& flat, const QuantMatrix& q);

} // namespace zl::quant
