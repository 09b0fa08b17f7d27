#include "io/mapped_file.h"

#include "zerolens/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zl::io {

int openRegularFile(const std::filesystem::path& path, std::uint64_t& size, std::string& error)
{
    // O_NONBLOCK: open() of a FIFO without a writer would otherwise wait forever.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        error = path.string() + ": cannot open: " + std::strerror(errno);
        return -1;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        error = path.string() + (S_ISDIR(st.st_mode) ? ": is a folder, not a file" : ": not a regular file");
        return -1;
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    size = static_cast<std::uint64_t>(st.st_size);
    return fd;
}

MappedFile::MappedFile(const std::filesystem::path& path) : m_path(path)
{
    std::uint64_t size = 0;
    std::string error;
    const int fd = openRegularFile(path, size, error);
    if (fd < 0)
        throw FormatError(error);
    m_size = static_cast<std::size_t>(size);
    if (m_size > 0) {
        void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            throw FormatError(path.string() + ": cannot map: " + std::strerror(err));
        }
        m_data = static_cast<const std::uint8_t*>(p);
    }
    ::close(fd);
}

void MappedFile::release(std::size_t offset, std::size_t length) const
{
    if (!m_data || offset >= m_size)
        return;
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    // Only whole pages inside the range; neighbours may still be in use.
    const std::size_t begin = (offset + page - 1) / page * page;
    const std::size_t end = std::min(m_size, offset + length) / page * page;
    if (end > begin)
        ::madvise(const_cast<std::uint8_t*>(m_data) + begin, end - begin, MADV_DONTNEED);
}

MappedFile::~MappedFile()
{
    if (m_data)
        ::munmap(const_cast<std::uint8_t*>(m_data), m_size);
}

} // namespace zl::io
