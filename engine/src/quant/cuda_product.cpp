#include "quant/cuda_product.h"

#include "cuda/quant_kernels.h"

#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace zl::quant {

namespace {

cuda::Element elementOf(at::ScalarType t)
{
    switch (t) {
    case at::kHalf:
        return cuda::Element::F16;
    case at::kBFloat16:
        return cuda::Element::BF16;
    default:
        return cuda::Element::F32;
    }
}

cuda::PackedWeights view(const QuantMatrix& q)
{
    cuda::PackedWeights w;
    w.packed = q.packed.data_ptr<std::uint8_t>();
    w.scales = q.scales.data_ptr<float>();
    w.zeros = q.format == Format::Int4 ? q.zeros.data_ptr<std::uint8_t>() : nullptr;
    std::copy(kNf4Levels.begin(), kNf4Levels.end(), w.nf4Levels);
    if (q.sparseIndices.defined() && q.sparseIndices.numel() > 0) {
        w.sparseIndices = q.sparseIndices.data_ptr<std::int64_t>();
        w.sparseValues = q.sparseValues.data_ptr<float>();
        w.sparseCount = q.sparseIndices.numel();
    }
    w.rows = q.rows;
    w.cols = q.cols;
    w.groupSize = q.groupSize;
    return w;
}

bool onDevice(const at::Tensor& t, const at::Device& device)
{
    return !t.defined() || t.numel() == 0 || (t.device() == device && t.is_contiguous());
}

void* currentStream()
{
    return at::cuda::getCurrentCUDAStream().stream();
}

} // namespace

bool cudaKernelsApply(const QuantMatrix& q, at::ScalarType t)
{
    static const bool off = [] {
        const char* env = std::getenv("ZL_CUDA_KERNELS");
        return env && std::strcmp(env, "off") == 0;
    }();
    const auto device = q.packed.device();
    return !off && device.is_cuda() && q.packed.is_contiguous() && onDevice(q.scales, device) &&
           (q.format == Format::Nf4 || onDevice(q.zeros, device)) && onDevice(q.sparseIndices, device) &&
           onDevice(q.sparseValues, device) && q.scales.scalar_type() == at::kFloat &&
           (!q.sparseValues.defined() || q.sparseValues.numel() == 0 || q.sparseValues.scalar_type() == at::kFloat) &&
           (t == at::kFloat || t == at::kHalf || t == at::kBFloat16);
}

at::Tensor cudaDequantize(const QuantMatrix& q, at::ScalarType t)
{
    const c10::cuda::CUDAGuard guard(q.packed.device());
    auto out = at::empty({q.rows, q.cols}, q.packed.options().dtype(t));
    cuda::dequantize(view(q), elementOf(t), out.data_ptr(), currentStream());
    return out;
}

at::Tensor cudaProduct(const at::Tensor& flat, const QuantMatrix& q)
{
    const auto m = flat.size(0);
    if (m > cuda::kMaxProductRows || m == 0)
        return at::matmul(flat, cudaDequantize(q, flat.scalar_type()).t());
    const c10::cuda::CUDAGuard guard(q.packed.device());
    const auto x = flat.contiguous();
    auto y = at::empty({m, q.rows}, x.options());
    cuda::packedProduct(view(q), elementOf(x.scalar_type()), x.data_ptr(), y.data_ptr(), m, currentStream());
    return y;
}

} // namespace zl::quant
