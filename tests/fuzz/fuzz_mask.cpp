// Fuzz target: a sensitivity mask file, loaded on its own (mask-info) and
// against the tiny model it may belong to (quantize --mask).
#include "fuzz_support.h"
#include "zerolens/error.h"
#include "zerolens/sensitivity.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const zl::CheckpointInfo model = zl::inspectCheckpoint(zl::fuzz::tinyModelDir("single", 1));
    const auto file = zl::fuzz::scratchDir() / "mask.safetensors";
    zl::fuzz::writeFile(file, zl::fuzz::asText(data, size));
    for (const zl::CheckpointInfo* against : {static_cast<const zl::CheckpointInfo*>(nullptr), &model}) {
        try {
            const auto mask = zl::loadMask(file, against);
            volatile auto sink = mask.selected();
            (void)sink;
        } catch (const zl::Error& e) {
            zl::fuzz::refused(e);
        }
    }
    return 0;
}
