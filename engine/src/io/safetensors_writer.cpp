#include "io/safetensors_writer.h"

#include "io/safetensors.h"
#include "zerolens/atomic_file.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace zl::io {

void SafetensorsWriter::add(const std::string& name, const std::string& dtype, const std::vector<std::int64_t>& shape,
                            std::string bytes)
{
    const auto count = static_cast<std::uint64_t>(elementCount(shape));
    if (dtypeSize(dtype) == 0 || count * dtypeSize(dtype) != bytes.size())
        throw InvalidArgument("tensor '" + name + "': " + std::to_string(bytes.size()) + " bytes do not match its " +
                              dtype + " shape");
    m_tensors[name] = {dtype, shape, std::move(bytes)};
}

std::string SafetensorsWriter::header() const
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
    return out + h;
}

void SafetensorsWriter::write(const std::filesystem::path& path) const
{
    // Streamed piece by piece, so no second copy of all tensors is built in memory.
    std::vector<std::string_view> pieces;
    const std::string head = header();
    pieces.push_back(head);
    for (const auto& [name, e] : m_tensors)
        pieces.push_back(e.bytes);
    writeFileAtomically(path, pieces);
}

} // namespace zl::io
