// The 4-bit CPU kernels against a plain double-precision reference, once per
// instruction set this machine runs (portable, AVX2, AVX-512), on shapes that
// hit every tail: columns not a multiple of the group or of the vector width,
// groups narrower than a vector, one row, row ranges that start midway.
#include "quant/cpu_kernels.h"

#include <QTest>

#include <array>
#include <cmath>
#include <random>

using namespace zl::quant;

Q_DECLARE_METATYPE(cpu::Isa)

namespace {

constexpr std::array<float, 16> kInt4 = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
// Any 16 distinct values serve: the kernels only look levels up.
constexpr std::array<float, 16> kOdd = {-1.0f, -0.7f, -0.52f, -0.39f, -0.28f, -0.18f, -0.09f, 0.0f,
                                        0.08f, 0.16f, 0.25f,  0.34f,  0.44f,  0.56f,  0.72f,  1.0f};

struct Random4Bit {
    std::vector<std::uint8_t> packed, zeros;
    std::vector<float> scales;
    cpu::PackedMatrix view;

    Random4Bit(std::int64_t rows, std::int64_t cols, std::int64_t group, bool withZeros, unsigned seed)
    {
        std::mt19937 rng(seed);
        view.rows = rows;
        view.cols = cols;
        view.groupSize = group;
        packed.resize(static_cast<std::size_t>(rows * cols / 2));
        for (auto& b : packed)
            b = static_cast<std::uint8_t>(rng());
        std::uniform_real_distribution<float> scale(0.001f, 0.1f);
        scales.resize(static_cast<std::size_t>(rows * view.groups()));
        for (auto& s : scales)
            s = scale(rng);
        if (withZeros) {
            zeros.resize(scales.size());
            for (auto& z : zeros)
                z = static_cast<std::uint8_t>(rng() % 16);
        }
        view.packed = packed.data();
        view.scales = scales.data();
        view.zeros = withZeros ? zeros.data() : nullptr;
        view.levels = withZeros ? kInt4.data() : kOdd.data();
    }

    // The weight from first principles: nibble, level, zero point, scale.
    double weight(std::int64_t r, std::int64_t c) const
    {
        const std::uint8_t byte = packed[static_cast<std::size_t>(r * view.cols / 2 + c / 2)];
        const int code = c % 2 == 0 ? (byte & 15) : (byte >> 4);
        const auto g = static_cast<std::size_t>(r * view.groups() + c / view.groupSize);
        const double zero = view.zeros ? zeros[g] : 0.0;
        return (view.levels[code] - zero) * scales[g];
    }
};

} // namespace

class TestQuantKernels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void kernelsMatchReference_data()
    {
        QTest::addColumn<cpu::Isa>("isa");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("group");
        QTest::addColumn<bool>("int4");
        const std::array<std::array<int, 3>, 8> shapes{{{1, 2, 2},
                                                        {3, 6, 2},
                                                        {5, 30, 8},
                                                        {17, 34, 32},
                                                        {4, 130, 128},
                                                        {9, 258, 64},
                                                        {2, 96, 96},
                                                        {33, 1000, 128}}};
        for (auto isa : cpu::supportedIsas())
            for (const auto& [rows, cols, group] : shapes)
                for (bool int4 : {true, false})
                    QTest::addRow("%s %dx%d g%d %s", cpu::isaName(isa), rows, cols, group, int4 ? "int4" : "nf4")
                        << isa << rows << cols << group << int4;
    }

    void kernelsMatchReference()
    {
        QFETCH(cpu::Isa, isa);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, group);
        QFETCH(bool, int4);
        const Random4Bit m(rows, cols, group, int4, static_cast<unsigned>(rows * 131 + cols));
        std::mt19937 rng(7);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        std::vector<float> x(static_cast<std::size_t>(cols));
        for (auto& v : x)
            v = normal(rng);

        // Dequantization is exact arithmetic on the same floats: equal to float rounding of one product.
        const std::int64_t begin = rows > 2 ? 1 : 0; // a row range that starts midway
        std::vector<float> panel(static_cast<std::size_t>((rows - begin) * cols));
        cpu::dequantizeRows(m.view, panel.data(), begin, rows, isa);
        for (std::int64_t r = begin; r < rows; ++r)
            for (std::int64_t c = 0; c < cols; ++c) {
                const double want = m.weight(r, c);
                const double got = panel[static_cast<std::size_t>((r - begin) * cols + c)];
                QVERIFY2(std::abs(got - want) <= 1e-6 * std::abs(want) + 1e-9,
                         (std::to_string(r) + "," + std::to_string(c)).c_str());
            }

        // Products are float sums in another order: within 1e-5 of the sum of |terms|.
        const auto sums = cpu::groupSums(m.view, x.data());
        std::vector<float> y(static_cast<std::size_t>(rows), -1.0f);
        cpu::matvecRows(m.view, x.data(), sums.data(), y.data(), begin, rows, isa);
        if (begin > 0)
            QCOMPARE(y[0], -1.0f); // rows outside the range are untouched
        for (std::int64_t r = begin; r < rows; ++r) {
            double want = 0.0, magnitude = 0.0;
            for (std::int64_t c = 0; c < cols; ++c) {
                want += m.weight(r, c) * x[static_cast<std::size_t>(c)];
                magnitude += std::abs(m.weight(r, c) * x[static_cast<std::size_t>(c)]);
            }
            const double got = y[static_cast<std::size_t>(r)];
            QVERIFY2(std::abs(got - want) <= 1e-5 * magnitude + 1e-7,
                     (std::to_string(got) + " vs " + std::to_string(want)).c_str());
        }
    }

    void bestIsaIsSupported()
    {
        const auto isas = cpu::supportedIsas();
        QCOMPARE(isas.front(), cpu::Isa::Portable);
        QVERIFY(std::find(isas.begin(), isas.end(), cpu::bestIsa()) != isas.end());
        qInfo("instruction sets here: %zu, best %s", isas.size(), cpu::isaName(cpu::bestIsa()));
    }
};

QTEST_GUILESS_MAIN(TestQuantKernels)
#include "test_quant_kernels.moc"
