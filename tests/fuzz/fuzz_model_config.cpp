// Fuzz target: config.json of a model folder, read as every command reads it.
#include "fuzz_support.h"
#include "zerolens/config.h"
#include "zerolens/error.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto file = zl::fuzz::scratchDir() / "config.json";
    zl::fuzz::writeFile(file, zl::fuzz::asText(data, size));
    try {
        const auto config = zl::ModelConfig::fromFile(file);
        volatile auto sink = config.headDim + static_cast<std::int64_t>(config.eosTokenIds.size());
        (void)sink;
    } catch (const zl::Error& e) {
        zl::fuzz::refused(e);
    }
    return 0;
}
