#include "zerolens/output_target.h"

#include "zerolens/error.h"
#include "zerolens/runtime.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zl {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kMaxCountedEntries = 100000;

// Device and inode: the same folder reached through a symlink or a bind mount has the same identity.
struct Identity {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const Identity&) const = default;
};

std::optional<Identity> identityOf(const fs::path& p)
{
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0)
        return std::nullopt;
    return Identity{st.st_dev, st.st_ino};
}

std::vector<fs::path> homeFolders()
{
    std::vector<fs::path> homes;
    if (const char* h = std::getenv("HOME"); h && *h)
        homes.emplace_back(h);
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir)
        homes.emplace_back(pw->pw_dir);
    return homes;
}

bool isEmptyDirectory(const fs::path& p)
{
    std::error_code ec;
    return fs::is_directory(p, ec) && fs::is_empty(p, ec) && !ec;
}

// The input itself and every folder above it: replacing any of them would destroy the input.
// An existing target inside an input folder is part of that input too.
void refuseInputs(const fs::path& target, const Identity& id, const OutputPolicy& policy)
{
    std::error_code ec;
    const fs::path canonicalTarget = fs::weakly_canonical(target, ec);
    for (const auto& input : policy.inputs) {
        const auto inputId = identityOf(input);
        if (!inputId || !fs::is_directory(input, ec) || ec)
            continue;
        for (fs::path p = canonicalTarget.parent_path(); !p.empty(); p = p.parent_path()) {
            if (identityOf(p) == inputId)
                throw InvalidArgument(target.string() + " is part of an input of this job (" + input.string() +
                                      "); choose another output location");
            if (p == p.parent_path())
                break;
        }
    }
    for (const auto& input : policy.inputs) {
        fs::path p = fs::weakly_canonical(fs::absolute(input, ec), ec);
        if (ec)
            continue;
        for (;;) {
            if (identityOf(p) == id)
                throw InvalidArgument(target.string() +
                                      (p == fs::weakly_canonical(input, ec)
                                           ? " is an input of this job"
                                           : " contains an input of this job (" + input.string() + ")") +
                                      "; choose another output location");
            if (p == p.parent_path())
                break;
            p = p.parent_path();
        }
    }
}

void fsyncDirectory(const fs::path& dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::string stagingPrefix(const fs::path& target)
{
    // Appended, not "." + name + …: GCC 12 at -O3 warns falsely (-Wrestrict) on operator+(const char*, string&&).
    std::string prefix = ".";
    prefix += target.filename().string();
    prefix += ".partial-";
    return prefix;
}

// Staging folders are named ".NAME.partial-PID-XXXXXX"; one whose process is gone was left by a kill.
void removeAbandonedStaging(const fs::path& target)
{
    const std::string prefix = stagingPrefix(target);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(target.parent_path(), ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        if (pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
            fs::remove_all(e.path(), ec);
    }
}

} // namespace

std::string TargetContents::summary() const
{
    if (!exists)
        return "does not exist";
    if (!isDirectory)
        return "a file of " + formatBytes(bytes);
    if (entries == 0)
        return "empty";
    std::string s = (entries >= kMaxCountedEntries ? "at least " : "") + std::to_string(entries) +
                    (entries == 1 ? " item, " : " items, ") + formatBytes(bytes);
    for (std::size_t i = 0; i < sample.size(); ++i)
        s += (i == 0 ? ": " : ", ") + sample[i];
    if (static_cast<std::int64_t>(sample.size()) < entries)
        s += ", …";
    return s;
}

TargetContents describeTarget(const fs::path& target)
{
    TargetContents c;
    std::error_code ec;
    const auto st = fs::status(target, ec);
    if (ec || !fs::exists(st))
        return c;
    c.exists = true;
    c.isDirectory = fs::is_directory(st);
    if (!c.isDirectory) {
        c.bytes = fs::is_regular_file(st) ? fs::file_size(target, ec) : 0;
        return c;
    }
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(target, ec))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    names.resize(std::min<std::size_t>(names.size(), 5));
    c.sample = std::move(names);
    for (auto it = fs::recursive_directory_iterator(target, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (++c.entries >= kMaxCountedEntries)
            break;
        if (it->is_regular_file(ec))
            c.bytes += it->file_size(ec);
    }
    return c;
}

void checkOutputTarget(const fs::path& target, const OutputPolicy& policy, OutputKind kind, const std::string& what)
{
    if (target.empty())
        throw InvalidArgument("no " + what + " given");
    std::error_code ec;
    const fs::path abs = fs::absolute(target, ec).lexically_normal();
    // The nearest existing folder at or above the target must be a folder we can create inside.
    fs::path existing = abs;
    while (!fs::exists(existing, ec) && existing != existing.parent_path())
        existing = existing.parent_path();
    if (existing != abs && !fs::is_directory(existing, ec))
        throw InvalidArgument(target.string() + ": " + existing.string() + " is not a folder");

    if (const auto id = identityOf(abs)) {
        if (identityOf("/") == id)
            throw InvalidArgument(target.string() + " is a filesystem root; choose a new folder inside it");
        for (const auto& home : homeFolders())
            if (identityOf(home) == id)
                throw InvalidArgument(target.string() +
                                      " is your home folder itself; choose a new folder inside it, "
                                      "e.g. " +
                                      (home / "zerolens-output").string());
        refuseInputs(target, *id, policy);
    }
    if (!fs::exists(abs, ec))
        return;
    const auto st = fs::status(abs, ec);
    if (kind == OutputKind::File) {
        if (fs::is_directory(st))
            throw InvalidArgument(target.string() + " is a folder; give the name of the " + what + " to write");
        if (!fs::is_regular_file(st))
            throw InvalidArgument(target.string() + " exists and is not a regular file; choose another " + what);
        if (fs::file_size(abs, ec) > 0 && !policy.overwrite)
            throw InvalidArgument(target.string() + " already exists (" + describeTarget(abs).summary() +
                                  "); choose another name, or use --overwrite to replace it");
        return;
    }
    if (isEmptyDirectory(abs) || policy.overwrite)
        return;
    throw InvalidArgument(target.string() + " already exists and is not empty (" + describeTarget(abs).summary() +
                          "); choose a new folder, or use --overwrite to replace it");
}

StagedDirectory::StagedDirectory(fs::path target, OutputPolicy policy, std::string what)
    : m_target(fs::absolute(target).lexically_normal()), m_policy(std::move(policy)), m_what(std::move(what))
{
    if (!m_target.has_filename())
        m_target = m_target.parent_path();
    checkOutputTarget(m_target, m_policy, OutputKind::Folder, m_what);
    std::error_code ec;
    fs::create_directories(m_target.parent_path(), ec);
    if (ec)
        throw InvalidArgument(m_target.parent_path().string() + ": cannot create folder: " + ec.message());
    removeAbandonedStaging(m_target);
    std::string tmpl =
        (m_target.parent_path() / (stagingPrefix(m_target) + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data()))
        throw InvalidArgument(m_target.parent_path().string() +
                              ": cannot create a folder here: " + std::strerror(errno));
    m_staging = tmpl;
    // mkdtemp makes the folder private (0700); the output gets the mode of the folder it
    // replaces, or what the umask gives a new folder.
    struct stat old {};
    ::chmod(m_staging.c_str(), ::stat(m_target.c_str(), &old) == 0 && S_ISDIR(old.st_mode)
                                   ? (old.st_mode & 07777)
                                   : (0777 & ~static_cast<mode_t>(processUmask())));
}

StagedDirectory::~StagedDirectory()
{
    if (!m_committed) {
        std::error_code ec;
        fs::remove_all(m_staging, ec);
    }
}

void StagedDirectory::commit()
{
    // The target may have changed since the constructor looked: check again.
    checkOutputTarget(m_target, m_policy, OutputKind::Folder, m_what);
    std::error_code ec;
    const bool replace = fs::exists(m_target, ec) && !isEmptyDirectory(m_target);
    if (!replace) {
        if (::rename(m_staging.c_str(), m_target.c_str()) != 0)
            throw InvalidArgument(m_target.string() +
                                  ": cannot move the finished output into place: " + std::strerror(errno));
    } else if (::renameat2(AT_FDCWD, m_staging.c_str(), AT_FDCWD, m_target.c_str(), RENAME_EXCHANGE) != 0) {
        // Filesystems without an atomic exchange: move the old folder aside, then the new one in.
        if (errno != EINVAL && errno != ENOSYS)
            throw InvalidArgument(m_target.string() + ": cannot replace: " + std::strerror(errno));
        const fs::path aside = m_staging.string() + ".old";
        if (::rename(m_target.c_str(), aside.c_str()) != 0)
            throw InvalidArgument(m_target.string() + ": cannot replace: " + std::strerror(errno));
        if (::rename(m_staging.c_str(), m_target.c_str()) != 0) {
            const int err = errno;
            ::rename(aside.c_str(), m_target.c_str());
            throw InvalidArgument(m_target.string() + ": cannot replace: " + std::strerror(err));
        }
        m_staging = aside;
    }
    m_committed = true;
    fsyncDirectory(m_target.parent_path());
    if (replace)
        fs::remove_all(m_staging, ec); // the old content, now at the staging path
}

} // namespace zl
