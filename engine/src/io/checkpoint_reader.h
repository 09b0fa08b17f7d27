// Opens the safetensors files of a Hugging Face model folder (single file or
// sharded with model.safetensors.index.json) and gives access to tensor data.
#pragma once

#include "io/safetensors.h"
#include "zerolens/checkpoint.h"

#include <memory>
#include <vector>

namespace zl::io {

class CheckpointReader {
public:
    /// Opens and validates the whole folder; see inspectCheckpoint.
    explicit CheckpointReader(const std::filesystem::path& modelDir);

    const CheckpointInfo& info() const { return m_info; }
    /// The mapped file and raw data of a tensor in info().tensors.
    const SafetensorsFile& fileOf(const std::string& tensor) const;

private:
    CheckpointInfo m_info;
    std::vector<std::unique_ptr<SafetensorsFile>> m_files;
    std::map<std::string, const SafetensorsFile*> m_owner;
};

} // namespace zl::io
