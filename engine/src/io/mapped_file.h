// A read-only memory map of a whole file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace zl::io {

/// Opens `path` read-only for reading its content: with O_NONBLOCK, so a FIFO
/// or device is refused instead of blocking in open(), then checks that it is a
/// regular file and clears O_NONBLOCK. Returns the descriptor (the caller closes
/// it) and stores the size in `size`; on failure returns -1 and stores a message
/// naming the file in `error` ("…: not a regular file", "…: cannot open: …").
int openRegularFile(const std::filesystem::path& path, std::uint64_t& size, std::string& error);

class MappedFile {
public:
    /// Maps `path` read-only. Throws FormatError if it cannot be opened or
    /// mapped, or is not a regular file (a FIFO is refused without blocking).
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    const std::filesystem::path& path() const { return m_path; }
    /// Tells the kernel the pages of [offset, offset + length) are not needed any
    /// more, so streaming through a large file keeps resident memory flat.
    void release(std::size_t offset, std::size_t length) const;

private:
    std::filesystem::path m_path;
    const std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
};

} // namespace zl::io
