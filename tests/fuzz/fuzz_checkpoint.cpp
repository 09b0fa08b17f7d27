// Fuzz target: the metadata of a (quantized) model folder, validated as
// `info` and model loading validate it before any tensor is read: config.json
// (with its quantization_config) up to the input's first NUL byte, then the
// bytes of model.safetensors, whose tensors must match what the config implies.
#include "fuzz_support.h"
#include "zerolens/checkpoint.h"
#include "zerolens/error.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const auto dir = [] {
        const auto d = zl::fuzz::scratchDir() / "checkpoint";
        std::filesystem::create_directories(d);
        return d;
    }();
    const auto [config, safetensors] = zl::fuzz::splitAtNul(zl::fuzz::asText(data, size));
    zl::fuzz::writeFile(dir / "config.json", config);
    zl::fuzz::writeFile(dir / "model.safetensors", safetensors);
    try {
        const auto info = zl::inspectCheckpoint(dir);
        volatile auto sink = info.quantizedBytes + info.sparseBytes + static_cast<std::uint64_t>(info.sparseEntries);
        (void)sink;
    } catch (const zl::Error& e) {
        zl::fuzz::refused(e);
    }
    return 0;
}
