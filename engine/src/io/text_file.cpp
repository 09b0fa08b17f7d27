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
    const auto tooLarge = [&] {
        ::close(fd);
        return InvalidArgument(file.string() + ": larger than " + sizeText(maxBytes) +
                               ", the limit for this kind of file; is it the right file?");
    };
    if (size > maxBytes)
        throw tooLarge();
    std::string out;
    out.resize(static_cast<std::size_t>(size));
    std::size_t have = 0;
    for (;;) {
        if (have == out.size()) {
            // The file may have grown since fstat (or /proc-style files report 0).
            if (out.size() >= maxBytes && out.size() > 0) {
                char probe = 0;
                const auto n = ::read(fd, &probe, 1);
                if (n == 0)
                    break;
                if (n > 0)
                    throw tooLarge();
            }
            out.resize(std::min<std::uint64_t>(maxBytes, std::max<std::size_t>(out.size() * 2, 4096)));
        }
        const auto n = ::read(fd, out.data() + have, out.size() - have);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            ::close(fd);
            throw InvalidArgument(file.string() + ": cannot read: " + std::strerror(err));
        }
        if (n == 0)
            break;
        have += static_cast<std::size_t>(n);
    }
    ::close(fd);
    out.resize(have);
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
