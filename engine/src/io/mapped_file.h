// A read-only memory map of a whole file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace zl::io {

class MappedFile {
public:
    /// Maps `path` read-only. Throws FormatError if it cannot be opened or mapped.
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
