#include "io/text_file.h"

#include "zerolens/error.h"

#include <fstream>
#include <sstream>

namespace zl::io {

std::string readTextFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw InvalidArgument(file.string() + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::int64_t> encodeDocuments(const std::string& text, const Tokenizer& tokenizer)
{
    std::vector<std::int64_t> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        for (auto id : tokenizer.encode(line, false))
            out.push_back(id);
        if (tokenizer.eosId())
            out.push_back(*tokenizer.eosId());
    }
    return out;
}

std::string fingerprint(std::string_view bytes)
{
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : bytes)
        h = (h ^ c) * 1099511628211ull;
    return std::to_string(h);
}

} // namespace zl::io
