#include "io/safetensors.h"

#include "io/json_file.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace zl::io {

namespace {

// A header longer than this is refused before it is parsed: real checkpoints
// have headers of a few MB at most.
constexpr std::uint64_t kMaxHeaderBytes = 100ull << 20;

std::uint64_t readLe64(const std::uint8_t* p)
{
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

} // namespace

std::uint64_t dtypeSize(const std::string& dtype)
{
    if (dtype == "F32")
        return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16")
        return 2;
    if (dtype == "I64")
        return 8;
    if (dtype == "I32")
        return 4;
    if (dtype == "U8" || dtype == "I8")
        return 1;
    return 0;
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : m_map(path)
{
    const std::string where = path.string();
    if (m_map.size() < 8)
        throw FormatError(where + ": file is " + std::to_string(m_map.size()) +
                          " bytes, too short for a safetensors header length (8 bytes)");
    const std::uint64_t headerLen = readLe64(m_map.data());
    if (headerLen > kMaxHeaderBytes || headerLen > m_map.size() - 8)
        throw FormatError(where + ": header length " + std::to_string(headerLen) + " exceeds the file size (" +
                          std::to_string(m_map.size()) + " bytes) or the 100 MiB limit");
    const auto* begin = reinterpret_cast<const char*>(m_map.data() + 8);
    // A repeated tensor name would silently replace the earlier entry, so it is refused.
    const nlohmann::json header = parseJson(std::string_view(begin, static_cast<std::size_t>(headerLen)),
                                            where + ": header", {.rejectDuplicateKeys = true});
    if (!header.is_object())
        throw FormatError(where + ": header must be a JSON object");
    const std::uint64_t dataStart = 8 + headerLen;
    const std::uint64_t dataSize = m_map.size() - dataStart;

    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (const auto& [name, entry] : header.items()) {
        if (name == "__metadata__") {
            if (entry.is_object())
                for (const auto& [k, v] : entry.items())
                    if (v.is_string())
                        m_metadata[k] = v.get<std::string>();
            continue;
        }
        const std::string at = where + ": tensor '" + name + "'";
        if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
            !entry.contains("data_offsets"))
            throw FormatError(at + ": expected an object with dtype, shape and data_offsets");
        const auto& dt = entry["dtype"];
        const auto& shape = entry["shape"];
        const auto& offs = entry["data_offsets"];
        if (!dt.is_string())
            throw FormatError(at + ": dtype must be a string");
        TensorInfo info;
        info.name = name;
        info.dtype = dt.get<std::string>();
        info.file = path;
        const std::uint64_t elemSize = dtypeSize(info.dtype);
        if (elemSize == 0)
            throw FormatError(at + ": unsupported dtype " + info.dtype +
                              " (expected F32, F16, BF16, I64, I32, I16, I8 or U8)");
        if (!shape.is_array() || shape.size() > 8)
            throw FormatError(at + ": shape must be an array of at most 8 dimensions");
        std::uint64_t count = 1;
        for (const auto& d : shape) {
            if (!d.is_number_unsigned())
                throw FormatError(at + ": shape entries must be non-negative integers");
            const auto dim = d.get<std::uint64_t>();
            if (dim > 0 && count > std::numeric_limits<std::uint64_t>::max() / dim / elemSize)
                throw FormatError(at + ": shape overflows");
            count *= dim;
            info.shape.push_back(static_cast<std::int64_t>(dim));
        }
        if (!offs.is_array() || offs.size() != 2 || !offs[0].is_number_unsigned() || !offs[1].is_number_unsigned())
            throw FormatError(at + ": data_offsets must be [begin, end] with non-negative integers");
        const auto b = offs[0].get<std::uint64_t>();
        const auto e = offs[1].get<std::uint64_t>();
        if (b > e || e > dataSize)
            throw FormatError(at + ": data_offsets [" + std::to_string(b) + ", " + std::to_string(e) +
                              "] lie outside the data section of " + std::to_string(dataSize) + " bytes");
        info.bytes = e - b;
        if (info.bytes != count * elemSize)
            throw FormatError(at + ": shape × dtype size is " + std::to_string(count * elemSize) +
                              " bytes but data_offsets span " + std::to_string(info.bytes) + " bytes");
        ranges.emplace_back(b, e);
        m_offsets[name] = dataStart + b;
        m_tensors[name] = std::move(info);
    }
    std::sort(ranges.begin(), ranges.end());
    for (std::size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first < ranges[i - 1].second)
            throw FormatError(where + ": two tensors' data_offsets overlap at byte " + std::to_string(ranges[i].first));
}

const std::uint8_t* SafetensorsFile::data(const std::string& name) const
{
    const auto it = m_offsets.find(name);
    if (it == m_offsets.end())
        throw FormatError(path().string() + ": no tensor named '" + name + "'");
    return m_map.data() + it->second;
}

void SafetensorsFile::release(const std::string& name) const
{
    const auto it = m_offsets.find(name);
    if (it != m_offsets.end())
        m_map.release(it->second, m_tensors.at(name).bytes);
}

} // namespace zl::io
