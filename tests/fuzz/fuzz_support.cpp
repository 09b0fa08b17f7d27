#include "fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <system_error>
#include <unistd.h>

namespace zl::fuzz {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void harnessFailure(const std::string& what)
{
    std::fprintf(stderr, "fuzz harness: %s\n", what.c_str());
    std::abort();
}

void removeScratch()
{
    std::error_code ec;
    fs::remove_all(scratchDir(), ec);
}

} // namespace

const fs::path& scratchDir()
{
    static const fs::path dir = [] {
        // scripts/fuzz.sh names a folder of its own, which it removes even after a crash.
        const char* base = std::getenv("ZL_FUZZ_TMPDIR");
        if (!base)
            base = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : nullptr;
        if (!base)
            base = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
        std::string pattern = std::string(base) + "/zl-fuzz-XXXXXX";
        if (!::mkdtemp(pattern.data()))
            harnessFailure("cannot create a scratch folder under " + std::string(base));
        return fs::path(pattern);
    }();
    static const bool registered = (std::atexit(removeScratch), true);
    (void)registered;
    return dir;
}

void writeFile(const fs::path& file, std::string_view bytes)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        harnessFailure("cannot write " + file.string());
}

std::string_view asText(const std::uint8_t* data, std::size_t size)
{
    return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

std::pair<std::string_view, std::string_view> splitAtNul(std::string_view input)
{
    const auto nul = input.find('\0');
    if (nul == std::string_view::npos)
        return {input, {}};
    return {input.substr(0, nul), input.substr(nul + 1)};
}

void refused(const std::exception& e)
{
    static const bool verbose = std::getenv("ZL_FUZZ_VERBOSE") != nullptr;
    if (verbose)
        std::fprintf(stderr, "refused: %s\n", e.what());
}

SampleModelSpec tinyModelSpec()
{
    SampleModelSpec spec;
    spec.hiddenSize = 8;
    spec.intermediateSize = 16;
    spec.numLayers = 1;
    spec.numHeads = 2;
    spec.numKeyValueHeads = 1;
    spec.maxPositionEmbeddings = 64;
    spec.merges = 8;
    return spec;
}

const fs::path& tinyModelDir(const std::string& name, int shards)
{
    static std::map<std::string, fs::path> dirs;
    auto& dir = dirs[name];
    if (dir.empty()) {
        dir = scratchDir() / name;
        SampleModelSpec spec = tinyModelSpec();
        spec.shards = shards;
        try {
            writeSampleModel(dir, spec);
        } catch (const std::exception& e) {
            harnessFailure("cannot write the tiny sample model: " + std::string(e.what()));
        }
    }
    return dir;
}

} // namespace zl::fuzz
