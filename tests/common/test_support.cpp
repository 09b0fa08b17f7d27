#include "test_support.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace zl::test {

SampleCheckpoint::SampleCheckpoint(const SampleModelSpec& spec)
{
    if (!m_tmp.isValid())
        throw std::runtime_error("cannot create a temporary folder");
    weights = writeSampleModel(dir(), spec);
}

std::string readFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::filesystem::path& p, const std::string& bytes)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::filesystem::path dataDir()
{
    return ZL_TEST_DATA_DIR;
}

} // namespace zl::test
