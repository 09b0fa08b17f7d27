// Fuzz target: model.safetensors.index.json of a sharded checkpoint, opened
// through inspectCheckpoint in a folder that holds a real two-shard tiny model
// (config.json and both shards), so accepted indexes reach the shard checks.
#include "fuzz_support.h"
#include "zerolens/checkpoint.h"
#include "zerolens/error.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto& dir = zl::fuzz::tinyModelDir("sharded", 2);
    zl::fuzz::writeFile(dir / "model.safetensors.index.json", zl::fuzz::asText(data, size));
    try {
        const auto info = zl::inspectCheckpoint(dir);
        volatile auto sink = info.parameterCount;
        (void)sink;
    } catch (const zl::Error& e) {
        zl::fuzz::refused(e);
    }
    return 0;
}
