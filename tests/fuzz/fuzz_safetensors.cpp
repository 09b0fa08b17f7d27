// Fuzz target: a single safetensors file (8-byte header length, JSON header,
// data), opened as `info`, `quantize` and a mask load open it.
#include "fuzz_support.h"
#include "io/safetensors.h"
#include "zerolens/error.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto file = zl::fuzz::scratchDir() / "model.safetensors";
    zl::fuzz::writeFile(file, zl::fuzz::asText(data, size));
    try {
        const zl::io::SafetensorsFile st(file);
        // Touch the first and last byte of every tensor: a range the parser
        // accepted must lie inside the mapping.
        unsigned sum = 0;
        for (const auto& [name, info] : st.tensors()) {
            const std::uint8_t* p = st.data(name);
            if (info.bytes > 0)
                sum += p[0] + p[info.bytes - 1];
            st.release(name);
        }
        for (const auto& [key, value] : st.metadata())
            sum += static_cast<unsigned>(key.size() + value.size());
        volatile unsigned sink = sum;
        (void)sink;
    } catch (const zl::Error& e) {
        // A refusal with a message is the expected outcome for a bad file.
        zl::fuzz::refused(e);
    }
    return 0;
}
