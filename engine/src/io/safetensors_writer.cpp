#include "io/safetensors_writer.h"

#include "zerolens/atomic_file.h"
#include "io/safetensors.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

namespace zl::io {

void SafetensorsWriter::add(const std::string& name, const std::string& dtype, const std::vector<std::int64_t>& shape,
                            std::string bytes)
{
    std::uint64_t count = 1;
    for (auto d : shape)
        count *= static_cast<std::uint64_t>(d);
    if (dtypeSize(dtype) == 0 || count * dtypeSize(dtype) != bytes.size())
        throw InvalidArgument("tensor '" + name + "': " + std::to_string(bytes.size()) + " bytes do not match its " +
                              dtype + " shape");
    m_tensors[name] = {dtype, shape, std::move(bytes)};
}

std::string SafetensorsWriter::serialize() const
{
    nlohmann::json header = nlohmann::json::object();
    if (!m_metadata.empty())
        header["__metadata__"] = m_metadata;
    std::uint64_t offset = 0;
    for (const auto& [name, e] : m_tensors) {
        header[name] = {{"dtype", e.dtype}, {"shape", e.shape}, {"data_offsets", {offset, offset + e.bytes.size()}}};
        offset += e.bytes.size();
    }
    std::string h = header.dump();
    while (h.size() % 8 != 0)
        h += ' ';
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<char>((h.size() >> (8 * i)) & 0xFF);
    out.reserve(8 + h.size() + offset);
    out += h;
    for (const auto& [name, e] : m_tensors)
        out += e.bytes;
    return out;
}

void SafetensorsWriter::write(const std::filesystem::path& path) const { writeFileAtomically(path, serialize()); }

} // namespace zl::io
