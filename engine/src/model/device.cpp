#include "model/device.h"

#include "zerolens/error.h"
#include "zerolens/runtime.h"

#include <torch/cuda.h>
#include <torch/version.h>

namespace zl {

std::string torchVersion()
{
    return TORCH_VERSION;
}

bool cudaAvailable()
{
    return at::hasCUDA() && torch::cuda::device_count() > 0;
}

namespace model {

at::Device parseDevice(const std::string& name)
{
    if (name == "cpu")
        return at::Device(at::kCPU);
    if (name.rfind("cuda", 0) != 0)
        throw InvalidArgument("device \"" + name + "\" is not recognised (expected cpu, cuda or cuda:N)");
    int index = 0;
    if (name.size() > 4) {
        const std::string rest = name.substr(4);
        if (rest.size() < 2 || rest.size() > 4 || rest[0] != ':' ||
            rest.find_first_not_of("0123456789", 1) != std::string::npos)
            throw InvalidArgument("device \"" + name + "\" is not recognised (expected cpu, cuda or cuda:N)");
        index = std::stoi(rest.substr(1));
    }
    if (!at::hasCUDA())
        throw InvalidArgument("device " + name +
                              " requested, but this libtorch was built without CUDA; use --device cpu");
    const auto count = static_cast<int>(torch::cuda::device_count());
    if (index >= count)
        throw InvalidArgument("device " + name + " requested, but " + std::to_string(count) + " GPU(s) are visible");
    return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
}

at::ScalarType computeDtypeFor(const at::Device& device, const std::string& storedDtype)
{
    if (device.is_cpu())
        return at::kFloat;
    if (storedDtype == "BF16")
        return at::kBFloat16;
    if (storedDtype == "F16")
        return at::kHalf;
    return at::kFloat;
}

std::string dtypeName(at::ScalarType t)
{
    switch (t) {
    case at::kBFloat16:
        return "bfloat16";
    case at::kHalf:
        return "float16";
    default:
        return "float32";
    }
}

} // namespace model
} // namespace zl
