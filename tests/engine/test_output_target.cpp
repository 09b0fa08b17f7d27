// Outputs never destroy a user's files: refusals of non-empty targets, roots, the
// home folder and inputs (also through symlinks); staged folders that replace a
// target only when complete; temporary files that never follow a planted symlink;
// a write that fails midway (file-size limit standing in for a full disk) leaves
// nothing behind.
#include "test_support.h"

#include "zerolens/atomic_file.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"
#include "zerolens/quantize.h"
#include "zerolens/runtime.h"
#include "zerolens/sensitivity.h"

#include <QTest>

#include <csignal>
#include <cstdlib>
#include <map>
#include <memory>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace zl;
namespace fs = std::filesystem;

namespace {

// Every file below `dir` with its bytes, to show that a refused job changed nothing.
std::map<std::string, std::string> snapshot(const fs::path& dir)
{
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        files[fs::relative(e.path(), dir).string()] = e.is_regular_file() ? test::readFile(e.path()) : "<dir>";
    return files;
}

// Names in `dir` that look like staging or temporary leftovers.
std::vector<std::string> leftovers(const fs::path& dir)
{
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto name = e.path().filename().string();
        if (name.find(".partial-") != std::string::npos || name.find(".tmp-") != std::string::npos)
            found.push_back(name);
    }
    return found;
}

template <typename F> bool refuses(F&& f)
{
    try {
        f();
    } catch (const InvalidArgument&) {
        return true;
    }
    return false;
}

} // namespace

class TestOutputTarget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
    }

    void refusesNonEmptyFolderUnlessOverwrite()
    {
        const fs::path out = root() / "existing";
        fs::create_directories(out / "sub");
        test::writeFile(out / "config.json", "{\"mine\": true}");
        const auto before = snapshot(out);
        QVERIFY(refuses([&] { StagedDirectory staged(out, {}); }));
        QCOMPARE(snapshot(out), before);
        QVERIFY(leftovers(root()).empty());

        StagedDirectory staged(out, OutputPolicy{true, {}});
        test::writeFile(staged.path() / "new.txt", "new");
        QCOMPARE(snapshot(out), before); // nothing changes before commit
        staged.commit();
        QCOMPARE(snapshot(out), (std::map<std::string, std::string>{{"new.txt", "new"}}));
        QVERIFY(leftovers(root()).empty());
    }

    void writesNewAndEmptyFolders()
    {
        for (const auto& out : {root() / "a" / "b" / "new", root() / "empty"}) {
            if (out.filename() == "empty")
                fs::create_directories(out);
            StagedDirectory staged(out, {});
            test::writeFile(staged.path() / "x", "1");
            staged.commit();
            QCOMPARE(test::readFile(out / "x"), std::string("1"));
        }
        QVERIFY(leftovers(root()).empty());
    }

    void outputsGetUsualPermissions()
    {
        // Staging folders and temporary files start private; what lands must not stay so.
        const mode_t oldMask = ::umask(022);
        const fs::path out = root() / "new";
        {
            StagedDirectory staged(out, {});
            writeFileAtomically(staged.path() / "config.json", "{}");
            staged.commit();
        }
        QCOMPARE(fs::status(out).permissions(), fs::perms(0755));
        QCOMPARE(fs::status(out / "config.json").permissions(), fs::perms(0644));
        // A replaced folder keeps its own mode.
        fs::permissions(out, fs::perms(0750));
        {
            StagedDirectory staged(out, {true, {}});
            staged.commit();
        }
        QCOMPARE(fs::status(out).permissions(), fs::perms(0750));
        ::umask(oldMask);
    }

    void withoutCommitLeavesNothing()
    {
        const fs::path out = root() / "cancelled";
        {
            StagedDirectory staged(out, {});
            test::writeFile(staged.path() / "half", "h");
        }
        QVERIFY(!fs::exists(out));
        QVERIFY(leftovers(root()).empty());
    }

    void removesStagingOfKilledProcess()
    {
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        ::waitpid(child, nullptr, 0); // its pid is now free: a process that was killed
        const fs::path out = root() / "model";
        const fs::path stale = root() / (".model.partial-" + std::to_string(child) + "-abcdef");
        fs::create_directories(stale);
        test::writeFile(stale / "model.safetensors", "half");
        StagedDirectory staged(out, {});
        QVERIFY(!fs::exists(stale));
    }

    void refusesRootHomeAndInputs()
    {
        QVERIFY(refuses([] { checkOutputTarget("/", {true, {}}, OutputKind::Folder, "output folder"); }));
        const fs::path home = root() / "home";
        fs::create_directories(home);
        const QByteArray oldHome = qgetenv("HOME");
        qputenv("HOME", QByteArray::fromStdString(home.string()));
        QVERIFY(refuses([&] { checkOutputTarget(home, {true, {}}, OutputKind::Folder, "output folder"); }));
        checkOutputTarget(home / "new", {}, OutputKind::Folder, "output folder");
        qputenv("HOME", oldHome);

        const fs::path model = root() / "models" / "llama";
        fs::create_directories(model);
        test::writeFile(model / "config.json", "{}");
        fs::create_directory_symlink(model, root() / "link");
        const OutputPolicy policy{true, {model}};
        QVERIFY(refuses([&] { checkOutputTarget(model, policy, OutputKind::Folder, "output folder"); }));
        QVERIFY(refuses([&] { checkOutputTarget(root() / "link", policy, OutputKind::Folder, "output folder"); }));
        QVERIFY(refuses([&] { checkOutputTarget(root() / "models", policy, OutputKind::Folder, "output folder"); }));
        QVERIFY(refuses([&] { checkOutputTarget(model / "config.json", policy, OutputKind::File, "mask file"); }));
        checkOutputTarget(root() / "models" / "q4", policy, OutputKind::Folder, "output folder");
    }

    void refusesInputReachedThroughBindMount()
    {
        // The same folder mounted elsewhere has another path but the same device and inode.
        const fs::path model = root() / "model", mirror = root() / "mirror";
        fs::create_directories(model);
        fs::create_directories(mirror);
        test::writeFile(model / "config.json", "{}");
        if (::mount(model.c_str(), mirror.c_str(), nullptr, MS_BIND, nullptr) != 0)
            QSKIP("bind mounts need CAP_SYS_ADMIN, which this test run lacks");
        const bool refused = refuses([&] {
            checkOutputTarget(mirror, OutputPolicy{true, {model}}, OutputKind::Folder, "output folder");
        });
        ::umount(mirror.c_str());
        QVERIFY(refused);
    }

    void fileTargets()
    {
        const fs::path file = root() / "mask.safetensors";
        test::writeFile(file, "old");
        QVERIFY(refuses([&] { checkOutputTarget(file, {}, OutputKind::File, "mask file"); }));
        checkOutputTarget(file, {true, {}}, OutputKind::File, "mask file");
        QVERIFY(refuses([&] { checkOutputTarget(root(), {true, {}}, OutputKind::File, "mask file"); }));
        QVERIFY(::mkfifo((root() / "fifo").c_str(), 0600) == 0);
        QVERIFY(refuses([&] { checkOutputTarget(root() / "fifo", {true, {}}, OutputKind::File, "mask file"); }));
        QVERIFY(refuses([&] { checkOutputTarget(file / "below", {}, OutputKind::File, "mask file"); }));
    }

    void temporaryFileNeverFollowsPlantedSymlink()
    {
        const fs::path victim = root() / "victim";
        test::writeFile(victim, "precious");
        const fs::path target = root() / "model.safetensors";
        fs::create_symlink(victim, root() / "model.safetensors.tmp");
        writeFileAtomically(target, "new content");
        QCOMPARE(test::readFile(victim), std::string("precious"));
        QCOMPARE(test::readFile(target), std::string("new content"));
    }

    void failedWriteLeavesNothing()
    {
        // A file-size limit makes write() fail as a full disk would, without root.
        test::SampleCheckpoint ckpt;
        const fs::path out = root() / "q4";
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit old{};
        ::getrlimit(RLIMIT_FSIZE, &old);
        rlimit small = old;
        small.rlim_cur = 4096;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
        QuantizeOptions o;
        o.groupSize = 16;
        const bool refused = refuses([&] { quantizeModel(ckpt.dir(), out, o); });
        ::setrlimit(RLIMIT_FSIZE, &old);
        QVERIFY(refused);
        QVERIFY(!fs::exists(out));
        QVERIFY(leftovers(root()).empty());
    }

    void quantizeRefusesExistingAndReplacesWithOverwrite()
    {
        test::SampleCheckpoint ckpt;
        const fs::path out = root() / "q4";
        fs::create_directories(out);
        test::writeFile(out / "notes.txt", "keep me");
        QuantizeOptions o;
        o.groupSize = 16;
        QVERIFY(refuses([&] { quantizeModel(ckpt.dir(), out, o); }));
        QCOMPARE(test::readFile(out / "notes.txt"), std::string("keep me"));
        QVERIFY(refuses([&] { quantizeModel(ckpt.dir(), ckpt.dir(), o); }));
        o.overwrite = true;
        QVERIFY(refuses([&] { quantizeModel(ckpt.dir(), ckpt.dir(), o); })); // never the input, even so
        quantizeModel(ckpt.dir(), out, o);
        QVERIFY(!fs::exists(out / "notes.txt"));
        QVERIFY(fs::exists(out / "model.safetensors") && fs::exists(out / "config.json"));
        QVERIFY(leftovers(root()).empty());
    }

    void maskNumbersAtFullPrecision()
    {
        QCOMPARE(formatExact(0.00012345), std::string("0.00012345"));
        QCOMPARE(std::strtod(formatExact(4.5e-7).c_str(), nullptr), 4.5e-7);
        test::SampleCheckpoint ckpt;
        SensitivityOptions so;
        so.rule = MaskRule::Random;
        so.fraction = 0.00012345;
        auto mask = computeSensitivityMask(ckpt.dir(), so);
        const fs::path file = root() / "mask.safetensors";
        saveMask(mask, file);
        QCOMPARE(loadMask(file).fraction, 0.00012345);
        QVERIFY(refuses([&] { saveMask(mask, file); }));
        saveMask(mask, file, {true, {}});
    }

private:
    fs::path root() const { return fs::path(m_tmp->path().toStdString()); }
    std::unique_ptr<QTemporaryDir> m_tmp; // a fresh folder per test function
};

QTEST_GUILESS_MAIN(TestOutputTarget)
#include "test_output_target.moc"
