// Outputs that never destroy a user's files. Every job that writes a folder or
// a file (quantize, masks, pretrain, demo data, tokenizers) checks its target
// first and writes through a StagedDirectory or writeFileAtomically, so:
// - an existing non-empty target is refused unless the user said "overwrite";
// - a filesystem root, the home folder itself, and any input of the job (or a
//   folder that contains one) are refused always, compared by file identity
//   (device + inode), so a symlink or bind mount of the input is caught too;
// - a crash, kill -9 or Ctrl+C leaves the old target or the new one, never a mix.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace zl {

/// What the user allows for one output, and what the job reads.
struct OutputPolicy {
    bool overwrite = false;                    ///< replace an existing non-empty target
    std::vector<std::filesystem::path> inputs; ///< files or folders the job reads; the target may not be one of
                                               ///< them nor contain one
};

/// What is at a path now, for a confirmation that names it.
struct TargetContents {
    bool exists = false;
    bool isDirectory = false;
    std::int64_t entries = 0;        ///< files and folders inside (recursively); 0 for a file
    std::uint64_t bytes = 0;         ///< size of the file, or of the files inside the folder
    std::vector<std::string> sample; ///< up to five names directly inside the folder, sorted
    /// "empty", "a file of 1.2 MiB" or "14 items, 10.3 MiB: config.json, model.safetensors, …"
    std::string summary() const;
};

/// Describes `target`; never throws for a missing path. Counting stops after
/// 100,000 entries (a summary then says "at least").
TargetContents describeTarget(const std::filesystem::path& target);

/// Whether the output is one file or a folder of files.
enum class OutputKind { File, Folder };

/// Throws InvalidArgument, with a message that says what to do, when `target`
/// may not be written under `policy`. `what` names the output in the message
/// ("output folder", "mask file"). Checks only; writes nothing.
void checkOutputTarget(const std::filesystem::path& target, const OutputPolicy& policy, OutputKind kind,
                       const std::string& what);

/// A folder written as a whole. The constructor checks the target (see
/// checkOutputTarget) and creates a hidden staging folder beside it
/// (".NAME.partial-PID-XXXXXX"); the job writes into path(); commit() puts the
/// staging folder in place of the target in one rename (an atomic exchange when
/// replacing). Without commit() (an exception, a cancel) the destructor removes
/// the staging folder. Staging folders left by a process that was killed are
/// removed by the next StagedDirectory of the same target.
class StagedDirectory {
public:
    StagedDirectory(std::filesystem::path target, OutputPolicy policy, std::string what = "output folder");
    ~StagedDirectory();
    StagedDirectory(const StagedDirectory&) = delete;
    StagedDirectory& operator=(const StagedDirectory&) = delete;

    /// The staging folder to write into.
    const std::filesystem::path& path() const { return m_staging; }
    const std::filesystem::path& target() const { return m_target; }
    /// Moves the finished folder into place. Throws InvalidArgument when the
    /// target changed meanwhile in a way the policy does not allow.
    void commit();

private:
    std::filesystem::path m_target;
    OutputPolicy m_policy;
    std::string m_what;
    std::filesystem::path m_staging;
    bool m_committed = false;
};

} // namespace zl
