// Reader of the safetensors format: an 8-byte little-endian header length, a
// JSON header mapping tensor names to dtype, shape and data offsets, then data.
// Every header field is treated as untrusted.
#pragma once

#include "io/mapped_file.h"
#include "zerolens/checkpoint.h"

#include <map>
#include <memory>
#include <string>

namespace zl::io {

class SafetensorsFile {
public:
    /// Maps and validates the file; throws FormatError naming the file, the
    /// tensor and the problem (header length, JSON, dtype, shape × dtype size
    /// versus byte length, offsets inside the file, overlaps).
    explicit SafetensorsFile(const std::filesystem::path& path);

    const std::map<std::string, TensorInfo>& tensors() const { return m_tensors; }
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    /// Pointer to the raw little-endian data of a tensor listed in tensors().
    const std::uint8_t* data(const std::string& name) const;
    const std::filesystem::path& path() const { return m_map.path(); }
    /// Drops the pages of a tensor from memory once it has been copied out.
    void release(const std::string& name) const;

private:
    MappedFile m_map;
    std::map<std::string, TensorInfo> m_tensors;
    std::map<std::string, std::uint64_t> m_offsets;
    std::map<std::string, std::string> m_metadata;
};

/// Bytes per element of a safetensors dtype we support; 0 for others.
std::uint64_t dtypeSize(const std::string& dtype);

} // namespace zl::io
