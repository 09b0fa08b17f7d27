// Replays files through a fuzz target without libFuzzer, so the seed corpus and
// every crash regression of a target run as a ctest test in the ordinary build.
// Arguments are files or folders (searched recursively); a missing folder is
// skipped, since a target without regressions has none. An input that runs
// longer than kTimeoutSeconds fails the run as a hang, as libFuzzer's -timeout does.
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

constexpr unsigned kTimeoutSeconds = 60; // scripts/fuzz.sh uses 10 s on a sanitized build

void onAlarm(int)
{
    constexpr char msg[] = "hang: this input ran longer than the replay timeout\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(3);
}

} // namespace

int main(int argc, char** argv)
{
    std::signal(SIGALRM, onAlarm);
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg(argv[i]);
        if (fs::is_directory(arg)) {
            for (const auto& e : fs::recursive_directory_iterator(arg))
                if (e.is_regular_file() && e.path().filename().string().front() != '.')
                    files.push_back(e.path());
        } else if (fs::is_regular_file(arg)) {
            files.push_back(arg);
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "no inputs to replay (expected files or folders as arguments)\n");
        return 2;
    }
    for (const auto& f : files) {
        // Named before it runs: a crash report then says which input it was.
        std::printf("%s\n", f.c_str());
        std::fflush(stdout);
        std::ifstream in(f, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        ::alarm(kTimeoutSeconds);
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        ::alarm(0);
    }
    std::printf("replayed %zu inputs\n", files.size());
    return 0;
}
