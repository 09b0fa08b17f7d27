#include "zerolens/atomic_file.h"

#include "zerolens/error.h"
#include "zerolens/runtime.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zl {

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes)
{
    writeFileAtomically(path, std::vector<std::string_view>{bytes});
}

void writeFileAtomically(const std::filesystem::path& path, const std::vector<std::string_view>& pieces)
{
    // A fresh name created exclusively (mkostemp uses O_EXCL): a planted file or
    // symlink at a predictable temporary name is never followed or truncated.
    std::string tmpName = path.string() + ".tmp-XXXXXX";
    const int fd = ::mkostemp(tmpName.data(), O_CLOEXEC);
    if (fd < 0)
        throw InvalidArgument(path.string() + ": cannot write: " + std::strerror(errno));
    const std::filesystem::path tmp = tmpName;
    ::fchmod(fd, 0666 & ~static_cast<mode_t>(processUmask())); // mkostemp creates it 0600
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
                throw InvalidArgument(path.string() + ": write failed: " + std::strerror(err));
            }
            done += static_cast<std::size_t>(n);
        }
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw InvalidArgument(path.string() + ": cannot flush to disk: " + std::strerror(errno));
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        ::unlink(tmp.c_str());
        throw InvalidArgument(path.string() + ": cannot replace: " + ec.message());
    }
    // The rename itself is durable only once the folder entry is on disk.
    if (const int dir =
            ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

} // namespace zl
