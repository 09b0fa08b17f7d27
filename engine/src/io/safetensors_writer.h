// Builds a safetensors file from named tensors given as raw little-endian bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace zl::io {

class SafetensorsWriter {
public:
    /// Adds a tensor; `bytes` must hold product(shape) × dtypeSize(dtype) bytes.
    void add(const std::string& name, const std::string& dtype, const std::vector<std::int64_t>& shape,
             std::string bytes);
    void setMetadata(const std::string& key, const std::string& value) { m_metadata[key] = value; }
    /// Writes the file atomically (see atomic_file.h): the 8-byte header length,
    /// the JSON header padded to 8 bytes, then the tensors in name order.
    void write(const std::filesystem::path& path) const;

private:
    std::string header() const;
    struct Entry {
        std::string dtype;
        std::vector<std::int64_t> shape;
        std::string bytes;
    };
    std::map<std::string, Entry> m_tensors;
    std::map<std::string, std::string> m_metadata;
};

} // namespace zl::io
