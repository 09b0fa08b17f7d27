#include "io/text_file.h"

#include "io/mapped_file.h"
#include "zerolens/error.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

#include <sstream>

namespace zl::io {

namespace {

std::string sizeText(std::uint64_t bytes)
{
    if (bytes >= (1ull << 20))
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1ull << 10))
        return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

} // namespace

std::string readTextFile(const std::filesystem::path& file, std::uint64_t maxBytes)
{
    std::uint64_t size = 0;
    std::string error;
    const int fd = openRegularFile(file, size, error);
    if (fd < 0)
        throw InvalidArgument(error);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    const auto tooLarge = [&] {
        return InvalidArgument(file.string() + ": larger than " + sizeText(maxBytes) +
                               ", the limit for this kind of file; is it the right file?");
    };
    if (size > maxBytes)
        throw tooLarge();
    const auto readSome = [&](char* buffer, std::size_t length) -> std::size_t {
        for (;;) {
            const auto n = ::read(fd, buffer, length);
            if (n >= 0)
                return static_cast<std::size_t>(n);
            if (errno != EINTR)
                throw InvalidArgument(file.string() + ": cannot read: " + std::strerror(errno));
        }
    };
    std::string out(static_cast<std::size_t>(size), '\0');
    std::size_t have = 0;
    while (have < out.size()) {
        const auto n = readSome(out.data() + have, out.size() - have);
        if (n == 0)
            break;
        have += n;
    }
    out.resize(have);
    // The file may have grown since fstat, or reports size 0 (/proc): read on to
    // its end in small steps, so a large file is never held twice.
    char buffer[1 << 16];
    while (const auto n = readSome(buffer, sizeof buffer)) {
        if (out.size() + n > maxBytes)
            throw tooLarge();
        out.append(buffer, n);
    }
    return out;
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
