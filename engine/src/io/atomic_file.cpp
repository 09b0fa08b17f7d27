#include "zerolens/atomic_file.h"

#include "zerolens/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace zl {

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes)
{
    writeFileAtomically(path, std::vector<std::string_view>{bytes});
}

void writeFileAtomically(const std::filesystem::path& path, const std::vector<std::string_view>& pieces)
{
    const std::filesystem::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw InvalidArgument(tmp.string() + ": cannot write: " + std::strerror(errno));
    for (const auto bytes : pieces) {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                const int err = errno;
                ::close(fd);
                ::unlink(tmp.c_str());
                throw InvalidArgument(tmp.string() + ": write failed: " + std::strerror(err));
            }
            done += static_cast<std::size_t>(n);
        }
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw InvalidArgument(tmp.string() + ": cannot flush to disk: " + std::strerror(errno));
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        ::unlink(tmp.c_str());
        throw InvalidArgument(path.string() + ": cannot replace: " + ec.message());
    }
}

} // namespace zl
