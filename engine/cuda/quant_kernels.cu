// The kernels behind quant_kernels.h. A product with few rows of x (decode,
// short prompts) is bound by reading the codes, so one warp reads one matrix row
// once, 16 bytes (32 codes) per lane and step, and sums it against every row of
// x; S's entries of that row join the warp's sum. Longer x goes through a
// dequantized copy and cuBLAS (the caller's GEMM), which is compute-bound there.
#include "quant_kernels.h"

#include "zerolens/error.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

namespace zl::cuda {

namespace {

constexpr int kWarp = 32;
constexpr int kRowsPerBlock = 8; // one warp per matrix row
constexpr int kThreads = kWarp * kRowsPerBlock;

__device__ inline float toFloat(float v)
{
    return v;
}
__device__ inline float toFloat(__half v)
{
    return __half2float(v);
}
__device__ inline float toFloat(__nv_bfloat16 v)
{
    return __bfloat162float(v);
}

template <typename T> __device__ inline T fromFloat(float v);
template <> __device__ inline float fromFloat<float>(float v)
{
    return v;
}
template <> __device__ inline __half fromFloat<__half>(float v)
{
    return __float2half_rn(v);
}
template <> __device__ inline __nv_bfloat16 fromFloat<__nv_bfloat16>(float v)
{
    return __float2bfloat16_rn(v);
}

// The weight of one code, as the CPU's dequantize computes it: INT4
// (code − zero) · scale, NF4 level · absmax (levels in shared memory).
struct Dequant {
    const float* levels; // null for INT4

    __device__ float operator()(unsigned code, float scale, float zero) const
    {
        return levels ? levels[code] * scale : (static_cast<float>(code) - zero) * scale;
    }
};

__device__ inline std::int64_t groupCount(const PackedWeights& w)
{
    return (w.cols + w.groupSize - 1) / w.groupSize;
}

__device__ inline float zeroOf(const PackedWeights& w, std::int64_t at)
{
    return w.zeros ? static_cast<float>(w.zeros[at]) : 0.0f;
}

// Copies NF4's levels to shared memory; every thread of the block must call it.
__device__ inline Dequant loadDequant(const PackedWeights& w, float* levels)
{
    if (threadIdx.x < 16)
        levels[threadIdx.x] = w.nf4Levels[threadIdx.x];
    __syncthreads();
    return Dequant{w.zeros ? nullptr : levels};
}

// The first of n ascending values that is not below key.
__device__ inline std::int64_t lowerBound(const std::int64_t* values, std::int64_t n, std::int64_t key)
{
    std::int64_t lo = 0, hi = n;
    while (lo < hi) {
        const auto mid = lo + (hi - lo) / 2;
        if (values[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// 32 consecutive elements of x as float, in 16-byte loads (p 16-byte aligned).
template <typename T> __device__ inline void load32(const T* p, float* out)
{
    constexpr int kPerLoad = 16 / static_cast<int>(sizeof(T));
#pragma unroll
    for (int i = 0; i < 32 / kPerLoad; ++i) {
        const uint4 raw = reinterpret_cast<const uint4*>(p)[i];
        const T* v = reinterpret_cast<const T*>(&raw);
#pragma unroll
        for (int j = 0; j < kPerLoad; ++j)
            out[i * kPerLoad + j] = toFloat(v[j]);
    }
}

// y[m, r] for M rows of x, one warp per r. `vectorized`: columns and groups in
// 32s and 16-byte aligned arrays, so each lane's 32 columns share one group.
template <typename T, int M>
__global__ void __launch_bounds__(kThreads)
    productKernel(PackedWeights w, const T* __restrict__ x, T* __restrict__ y, bool vectorized)
{
    __shared__ float levels[16];
    const Dequant dequant = loadDequant(w, levels);
    const int lane = static_cast<int>(threadIdx.x) % kWarp;
    const std::int64_t r = static_cast<std::int64_t>(blockIdx.x) * kRowsPerBlock + threadIdx.x / kWarp;
    if (r >= w.rows) // the whole warp leaves together
        return;
    const auto groups = groupCount(w);
    const std::uint8_t* codes = w.packed + r * (w.cols / 2);
    const float* scales = w.scales + r * groups;
    const std::int64_t zeroBase = r * groups;
    float acc[M] = {};
    if (vectorized) {
        for (std::int64_t c0 = std::int64_t{lane} * 32; c0 < w.cols; c0 += kWarp * 32) {
            const uint4 word = *reinterpret_cast<const uint4*>(codes + c0 / 2);
            const auto g = c0 / w.groupSize;
            const float scale = scales[g], zero = zeroOf(w, zeroBase + g);
            const unsigned parts[4] = {word.x, word.y, word.z, word.w};
            float weights[32];
#pragma unroll
            for (int p = 0; p < 4; ++p)
#pragma unroll
                for (int j = 0; j < 8; ++j) // nibble j of a little-endian word is column j
                    weights[p * 8 + j] = dequant((parts[p] >> (4 * j)) & 0xFu, scale, zero);
#pragma unroll
            for (int m = 0; m < M; ++m) {
                float xs[32];
                load32(x + m * w.cols + c0, xs);
                float sum = 0.0f;
#pragma unroll
                for (int j = 0; j < 32; ++j)
                    sum += weights[j] * xs[j];
                acc[m] += sum;
            }
        }
    } else {
        for (std::int64_t b = lane; b < w.cols / 2; b += kWarp) {
            const unsigned byte = codes[b];
            const std::int64_t c = 2 * b, g0 = c / w.groupSize, g1 = (c + 1) / w.groupSize;
            const float w0 = dequant(byte & 0xFu, scales[g0], zeroOf(w, zeroBase + g0));
            const float w1 = dequant(byte >> 4, scales[g1], zeroOf(w, zeroBase + g1));
#pragma unroll
            for (int m = 0; m < M; ++m)
                acc[m] += w0 * toFloat(x[m * w.cols + c]) + w1 * toFloat(x[m * w.cols + c + 1]);
        }
    }
    if (w.sparseCount > 0) { // S's entries of row r: their codes dequantize to exactly 0
        const auto rowStart = r * w.cols;
        const auto end = lowerBound(w.sparseIndices, w.sparseCount, rowStart + w.cols);
        for (auto i = lowerBound(w.sparseIndices, w.sparseCount, rowStart) + lane; i < end; i += kWarp) {
            const auto c = w.sparseIndices[i] - rowStart;
#pragma unroll
            for (int m = 0; m < M; ++m)
                acc[m] += w.sparseValues[i] * toFloat(x[m * w.cols + c]);
        }
    }
#pragma unroll
    for (int m = 0; m < M; ++m) {
        for (int offset = kWarp / 2; offset > 0; offset /= 2)
            acc[m] += __shfl_xor_sync(0xFFFFFFFFu, acc[m], offset);
        if (lane == 0)
            y[m * w.rows + r] = fromFloat<T>(acc[m]);
    }
}

// One thread per byte: two entries of out.
template <typename T> __global__ void __launch_bounds__(kThreads) dequantizeKernel(PackedWeights w, T* __restrict__ out)
{
    __shared__ float levels[16];
    const Dequant dequant = loadDequant(w, levels);
    const auto groups = groupCount(w);
    const std::int64_t rowBytes = w.cols / 2, total = w.rows * rowBytes;
    const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
    for (std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += stride) {
        const auto r = i / rowBytes, c = 2 * (i % rowBytes);
        const unsigned byte = w.packed[i];
        const auto g0 = r * groups + c / w.groupSize, g1 = r * groups + (c + 1) / w.groupSize;
        out[r * w.cols + c] = fromFloat<T>(dequant(byte & 0xFu, w.scales[g0], zeroOf(w, g0)));
        out[r * w.cols + c + 1] = fromFloat<T>(dequant(byte >> 4, w.scales[g1], zeroOf(w, g1)));
    }
}

// S's entries added where the codes left exactly 0, so each is rounded once.
template <typename T> __global__ void __launch_bounds__(kThreads) addSparseKernel(PackedWeights w, T* __restrict__ out)
{
    const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
    for (std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < w.sparseCount;
         i += stride) {
        const auto at = w.sparseIndices[i];
        out[at] = fromFloat<T>(toFloat(out[at]) + w.sparseValues[i]);
    }
}

void checkLaunch(const char* what)
{
    const cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess)
        throw Error(std::string("the GPU's ") + what + " kernel failed: " + cudaGetErrorString(e));
}

// Blocks for a grid-stride loop over n items: enough to fill the GPU, no more than needed.
unsigned blocksFor(std::int64_t n)
{
    const auto blocks = (n + kThreads - 1) / kThreads;
    return static_cast<unsigned>(blocks < (1 << 16) ? (blocks > 0 ? blocks : 1) : (1 << 16));
}

template <typename T, int M>
void launchProduct(const PackedWeights& w, const void* x, void* y, bool vectorized, cudaStream_t stream)
{
    const auto blocks = static_cast<unsigned>((w.rows + kRowsPerBlock - 1) / kRowsPerBlock);
    productKernel<T, M><<<blocks, kThreads, 0, stream>>>(w, static_cast<const T*>(x), static_cast<T*>(y), vectorized);
}

template <typename T>
void productOf(const PackedWeights& w, const void* x, void* y, std::int64_t xRows, cudaStream_t stream)
{
    const bool vectorized = w.cols % 32 == 0 && w.groupSize % 32 == 0 &&
                            reinterpret_cast<std::uintptr_t>(x) % 16 == 0 &&
                            reinterpret_cast<std::uintptr_t>(w.packed) % 16 == 0;
    switch (xRows) {
    case 1:
        return launchProduct<T, 1>(w, x, y, vectorized, stream);
    case 2:
        return launchProduct<T, 2>(w, x, y, vectorized, stream);
    case 3:
        return launchProduct<T, 3>(w, x, y, vectorized, stream);
    case 4:
        return launchProduct<T, 4>(w, x, y, vectorized, stream);
    case 5:
        return launchProduct<T, 5>(w, x, y, vectorized, stream);
    case 6:
        return launchProduct<T, 6>(w, x, y, vectorized, stream);
    case 7:
        return launchProduct<T, 7>(w, x, y, vectorized, stream);
    case 8:
        return launchProduct<T, 8>(w, x, y, vectorized, stream);
    default:
        throw InvalidArgument("the 4-bit GPU product takes 1 to " + std::to_string(kMaxProductRows) +
                              " rows of x, not " + std::to_string(xRows));
    }
}

template <typename T> void dequantizeTo(const PackedWeights& w, void* out, cudaStream_t stream)
{
    auto* o = static_cast<T*>(out);
    dequantizeKernel<T><<<blocksFor(w.rows * (w.cols / 2)), kThreads, 0, stream>>>(w, o);
    checkLaunch("dequantize");
    if (w.sparseCount > 0) {
        addSparseKernel<T><<<blocksFor(w.sparseCount), kThreads, 0, stream>>>(w, o);
        checkLaunch("sparse add");
    }
}

} // namespace

void packedProduct(const PackedWeights& w, Element element, const void* x, void* y, std::int64_t xRows, void* stream)
{
    const auto s = static_cast<cudaStream_t>(stream);
    switch (element) {
    case Element::F32:
        productOf<float>(w, x, y, xRows, s);
        break;
    case Element::F16:
        productOf<__half>(w, x, y, xRows, s);
        break;
    case Element::BF16:
        productOf<__nv_bfloat16>(w, x, y, xRows, s);
        break;
    }
    checkLaunch("4-bit product");
}

void dequantize(const PackedWeights& w, Element element, void* out, void* stream)
{
    const auto s = static_cast<cudaStream_t>(stream);
    switch (element) {
    case Element::F32:
        return dequantizeTo<float>(w, out, s);
    case Element::F16:
        return dequantizeTo<__half>(w, out, s);
    case Element::BF16:
        return dequantizeTo<__nv_bfloat16>(w, out, s);
    }
}

} // namespace zl::cuda
