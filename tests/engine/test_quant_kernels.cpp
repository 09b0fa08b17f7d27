// The CPU kernels against a plain double-precision reference, once per
// instruction set this machine runs (portable, AVX2, AVX-512, AVX-512 VNNI), on
// shapes that hit every tail: columns not a multiple of the group or of the
// vector width, groups narrower than a vector, one row, row ranges that start
// midway. The integer kernels are checked twice: exactly against a reference
// that rounds x the same way (recomputed here from the definition), and
// against the float product within the bound that rounding allows.
#include "quant/cpu_kernels.h"

#include <QTest>

#include <array>
#include <cmath>
#include <numeric>
#include <random>

using namespace zl::quant;

Q_DECLARE_METATYPE(cpu::Isa)

namespace {

constexpr std::array<float, 16> kInt4 = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
// Any 16 distinct values serve: the kernels only look levels up.
constexpr std::array<float, 16> kOdd = {-1.0f, -0.7f, -0.52f, -0.39f, -0.28f, -0.18f, -0.09f, 0.0f,
                                        0.08f, 0.16f, 0.25f,  0.34f,  0.44f,  0.56f,  0.72f,  1.0f};
// kOdd for the integer kernels: round(127 · level).
constexpr std::array<std::int8_t, 16> kOdd8 = {-127, -89, -66, -50, -36, -23, -11, 0, 10, 20, 32, 43, 56, 71, 91, 127};

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
        view.intLevels = withZeros ? nullptr : kOdd8.data();
        view.intLevelScale = withZeros ? 1.0f : 1.0f / 127.0f;
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

    // The weight the integer kernels use: NF4-style levels rounded to 1/127.
    double intWeight(std::int64_t r, std::int64_t c) const
    {
        if (!view.intLevels)
            return weight(r, c);
        const std::uint8_t byte = packed[static_cast<std::size_t>(r * view.cols / 2 + c / 2)];
        const int code = c % 2 == 0 ? (byte & 15) : (byte >> 4);
        const auto g = static_cast<std::size_t>(r * view.groups() + c / view.groupSize);
        return view.intLevels[code] / 127.0 * scales[g];
    }

    double scale(std::int64_t r, std::int64_t c) const
    {
        return scales[static_cast<std::size_t>(r * view.groups() + c / view.groupSize)];
    }
};

std::vector<float> normalVector(std::int64_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> x(static_cast<std::size_t>(n));
    for (auto& v : x)
        v = normal(rng);
    return x;
}

// x as the integer kernels see it: per block (the last may be short),
// scale = max|x| / 127, round(x / scale) · scale.
std::vector<double> roundedLikeInt8(const std::vector<float>& x, int block)
{
    std::vector<double> out(x.size());
    const auto n = static_cast<std::size_t>(block);
    for (std::size_t b = 0; b < x.size(); b += n) {
        const auto e = std::min(b + n, x.size());
        float amax = 0.0f;
        for (std::size_t i = b; i < e; ++i)
            amax = std::max(amax, std::abs(x[i]));
        for (std::size_t i = b; i < e; ++i)
            out[i] = amax > 0.0f ? std::nearbyint(x[i] * (127.0f / amax)) * (amax / 127.0f) : 0.0;
    }
    return out;
}

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
        const auto x = normalVector(cols, 7);

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

    void integerKernelsMatchReference_data()
    {
        QTest::addColumn<cpu::Isa>("isa");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("group");
        QTest::addColumn<bool>("int4");
        // Groups of one block (a lone block each), two, three (a pair and a lone one), four;
        // a last group cut short; one row; rows that do not fill a parallel chunk.
        // Scale blocks of x: 32 (pieces paired or alone), 64, 128 and 256 columns.
        // Groups and columns in 128s also take VNNI's 512-bit decode, one with a last group cut short (384 in 256s).
        const std::array<std::array<int, 3>, 9> shapes{{{1, 32, 32},
                                                        {3, 64, 32},
                                                        {5, 96, 96},
                                                        {17, 256, 128},
                                                        {9, 160, 128},
                                                        {2, 448, 64},
                                                        {4, 512, 256},
                                                        {3, 384, 256},
                                                        {33, 1024, 128}}};
        for (auto isa : cpu::supportedIsas())
            for (const auto& [rows, cols, group] : shapes)
                for (bool int4 : {true, false})
                    if (cpu::int8Applies(Random4Bit(1, cols, group, int4, 1).view, isa))
                        QTest::addRow("%s %dx%d g%d %s", cpu::isaName(isa), rows, cols, group, int4 ? "int4" : "nf4")
                            << isa << rows << cols << group << int4;
    }

    void integerKernelsMatchReference()
    {
        QFETCH(cpu::Isa, isa);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, group);
        QFETCH(bool, int4);
        const Random4Bit m(rows, cols, group, int4, static_cast<unsigned>(rows * 7 + cols));
        auto x = normalVector(cols, 11);
        x[3] = 40.0f; // an outlier widens its block's step
        const auto xr = roundedLikeInt8(x, std::gcd(std::gcd(group, cols), 256));
        std::vector<float> y;
        const std::int64_t begin = rows > 2 ? 1 : 0;
        // One row of x (decode) and five (full tiles of x rows and one left over, on every set), the same x in rows 0
        // and 4.
        for (std::int64_t xRows : {1, 5}) {
            std::vector<float> xs;
            for (std::int64_t i = 0; i < xRows; ++i)
                xs.insert(xs.end(), x.begin(), x.end());
            cpu::Int8Rows xq(m.view, xRows);
            cpu::quantizeActivationRows(m.view, xs.data(), xq, 0, xRows, isa);
            std::vector<float> out(static_cast<std::size_t>(xRows * rows), -1.0f);
            cpu::matmulRowsInt8(m.view, xq, out.data(), begin, rows, isa);
            if (begin > 0)
                QCOMPARE(out[0], -1.0f);
            for (std::int64_t i = 1; i < xRows; ++i)
                for (std::int64_t r = begin; r < rows; ++r)
                    QCOMPARE(out[static_cast<std::size_t>(i * rows + r)], out[static_cast<std::size_t>(r)]);
            if (xRows == 1)
                y = out;
            else // decode (its own kernel on VNNI) equals the tiles bit for bit
                for (std::int64_t r = begin; r < rows; ++r)
                    QCOMPARE(out[static_cast<std::size_t>(r)], y[static_cast<std::size_t>(r)]);
        }
        for (std::int64_t r = begin; r < rows; ++r) {
            double rounded = 0.0, magnitude = 0.0, exact = 0.0, bound = 0.0;
            for (std::int64_t c = 0; c < cols; ++c) {
                const auto i = static_cast<std::size_t>(c);
                rounded += m.intWeight(r, c) * xr[i];
                magnitude += std::abs(m.intWeight(r, c) * xr[i]);
                exact += m.weight(r, c) * x[i];
                // |x - rounded x| <= step / 2, |level - rounded level| <= scale / 254.
                const auto block = static_cast<std::size_t>(std::gcd(std::gcd(group, cols), 256));
                float amax = 0.0f;
                for (std::size_t j = i / block * block; j < i / block * block + block; ++j)
                    amax = std::max(amax, std::abs(x[j]));
                const double levelError = m.view.intLevels ? m.scale(r, c) / 254.0 : 0.0;
                bound += std::abs(m.weight(r, c)) * amax / 254.0 + std::abs(levelError * x[i]) + 1e-9;
            }
            const double got = y[static_cast<std::size_t>(r)];
            // Same rounding: integer sums are exact, the float steps add 1e-5 of the magnitude at most.
            QVERIFY2(std::abs(got - rounded) <= 1e-5 * magnitude + 1e-7,
                     (std::to_string(got) + " vs " + std::to_string(rounded)).c_str());
            QVERIFY2(std::abs(got - exact) <= bound + 1e-5 * magnitude,
                     (std::to_string(got) + " vs float " + std::to_string(exact)).c_str());
        }
    }

    void int8WeightKernelsMatchReference_data()
    {
        QTest::addColumn<cpu::Isa>("isa");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("group");
        // Groups of 32 (half a VNNI step), 64, 96 (a step and a half), 256; a
        // short last group; a group wider than the row; shapes no vector loop
        // takes (7 × 30 in groups of 8), which run the portable sums on any set.
        const std::array<std::array<int, 3>, 8> shapes{{{1, 32, 32},
                                                        {3, 64, 64},
                                                        {5, 96, 96},
                                                        {9, 160, 128},
                                                        {4, 512, 256},
                                                        {2, 96, 128},
                                                        {7, 30, 8},
                                                        {33, 1024, 128}}};
        for (auto isa : cpu::supportedIsas())
            for (const auto& [rows, cols, group] : shapes)
                QTest::addRow("%s %dx%d g%d", cpu::isaName(isa), rows, cols, group) << isa << rows << cols << group;
    }

    void int8WeightKernelsMatchReference()
    {
        QFETCH(cpu::Isa, isa);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, group);
        std::mt19937 rng(static_cast<unsigned>(rows * 31 + cols));
        std::vector<std::int8_t> values(static_cast<std::size_t>(rows * cols));
        for (auto& v : values)
            v = static_cast<std::int8_t>(static_cast<int>(rng() % 255) - 127);
        values[0] = -127; // the extremes, whose products are the largest a pair of bytes can give
        values.back() = 127;
        const std::int64_t groups = (cols + group - 1) / group;
        std::vector<float> scales(static_cast<std::size_t>(rows * groups));
        std::uniform_real_distribution<float> scale(0.001f, 0.1f);
        for (auto& s : scales)
            s = scale(rng);
        const cpu::Int8Weights w{values.data(), scales.data(), rows, cols, group};
        // Three rows of x, each its own vector; row 1 has an outlier that widens its group's step.
        constexpr std::int64_t xRows = 3;
        std::vector<float> xs;
        for (unsigned i = 0; i < xRows; ++i) {
            auto x = normalVector(cols, 11 + i);
            if (i == 1)
                x[static_cast<std::size_t>(cols - 1)] = -40.0f;
            xs.insert(xs.end(), x.begin(), x.end());
        }
        // All three rows (VNNI's tiles where they apply), then the first alone (one row at a time).
        const std::int64_t begin = rows > 2 ? 1 : 0;
        std::vector<float> y(static_cast<std::size_t>(xRows * rows), -1.0f),
            first(static_cast<std::size_t>(rows), -1.0f);
        cpu::matmulInt8WeightRows(w, cpu::Int8Activations(w, xs.data(), xRows), y.data(), begin, rows, isa);
        cpu::matmulInt8WeightRows(w, cpu::Int8Activations(w, xs.data(), 1), first.data(), begin, rows, isa);
        QCOMPARE(cpu::int8WeightTilesApply(w, xRows, isa),
                 isa == cpu::Isa::Avx512Vnni && group % 64 == 0 && group <= 256 && cols % group == 0);
        QVERIFY(!cpu::int8WeightTilesApply(w, 1, isa));
        // The products of row m of x, ym[r], against the rounded and the exact sums.
        const auto check = [&](const float* ym, std::int64_t m) {
            const std::vector<float> x(xs.begin() + m * cols, xs.begin() + (m + 1) * cols);
            const auto xr = roundedLikeInt8(x, group);
            if (begin > 0)
                QCOMPARE(ym[0], -1.0f);
            for (std::int64_t r = begin; r < rows; ++r) {
                double rounded = 0.0, magnitude = 0.0, exact = 0.0, bound = 0.0;
                for (std::int64_t c = 0; c < cols; ++c) {
                    const auto i = static_cast<std::size_t>(c);
                    const double weight = values[static_cast<std::size_t>(r * cols + c)] *
                                          static_cast<double>(scales[static_cast<std::size_t>(r * groups + c / group)]);
                    rounded += weight * xr[i];
                    magnitude += std::abs(weight * xr[i]);
                    exact += weight * x[i];
                    float amax = 0.0f;
                    for (std::int64_t j = c / group * group;
                         j < std::min<std::int64_t>(c / group * group + group, cols); ++j)
                        amax = std::max(amax, std::abs(x[static_cast<std::size_t>(j)]));
                    bound += std::abs(weight) * amax / 254.0 + 1e-9; // |x - rounded x| <= step / 2
                }
                const double got = ym[r];
                QVERIFY2(std::abs(got - rounded) <= 1e-5 * magnitude + 1e-7,
                         (std::to_string(got) + " vs " + std::to_string(rounded)).c_str());
                QVERIFY2(std::abs(got - exact) <= bound + 1e-5 * magnitude,
                         (std::to_string(got) + " vs float " + std::to_string(exact)).c_str());
            }
        };
        for (std::int64_t m = 0; m < xRows; ++m)
            check(y.data() + m * rows, m);
        check(first.data(), 0);
    }

    void denseMatvecMatchesReference()
    {
        for (auto isa : cpu::supportedIsas())
            for (const auto& [rows, cols] : std::array<std::array<int, 2>, 4>{{{1, 1}, {3, 7}, {9, 37}, {34, 1000}}}) {
                const auto w = normalVector(static_cast<std::int64_t>(rows) * cols, static_cast<unsigned>(cols));
                const auto x = normalVector(cols, 5);
                std::vector<float> y(static_cast<std::size_t>(rows), -1.0f);
                cpu::matvecF32Rows(w.data(), cols, x.data(), y.data(), rows > 2 ? 1 : 0, rows, isa);
                if (rows > 2)
                    QCOMPARE(y[0], -1.0f);
                for (int r = rows > 2 ? 1 : 0; r < rows; ++r) {
                    double want = 0.0, magnitude = 0.0;
                    for (int c = 0; c < cols; ++c) {
                        const double t = static_cast<double>(w[static_cast<std::size_t>(r * cols + c)]) *
                                         x[static_cast<std::size_t>(c)];
                        want += t;
                        magnitude += std::abs(t);
                    }
                    QVERIFY2(std::abs(y[static_cast<std::size_t>(r)] - want) <= 1e-5 * magnitude + 1e-7,
                             cpu::isaName(isa));
                }
            }
    }

    void attentionHeadMatchesReference()
    {
        // D: 64 (two blocks of 32), 88 (two of 32, three of 8), 70 (a scalar tail of 6), 3 (scalar only).
        for (auto isa : cpu::supportedIsas())
            for (const std::int64_t D : {64, 88, 70, 3})
                for (const std::int64_t total : {1, 13, 300}) {
                    auto scores = normalVector(total, static_cast<unsigned>(D + total));
                    for (auto& s : scores)
                        s *= 8.0f; // logits of a few units after the scale: a peaked softmax
                    const auto values = normalVector(total * D, static_cast<unsigned>(D * total));
                    const float scale = 0.125f;
                    std::vector<double> p(static_cast<std::size_t>(total));
                    double top = -1e300, sum = 0.0;
                    for (std::int64_t t = 0; t < total; ++t)
                        top = std::max(top, static_cast<double>(scores[static_cast<std::size_t>(t)]) * scale);
                    for (std::int64_t t = 0; t < total; ++t)
                        sum += p[static_cast<std::size_t>(t)] =
                            std::exp(static_cast<double>(scores[static_cast<std::size_t>(t)]) * scale - top);
                    std::vector<float> out(static_cast<std::size_t>(D), -1.0f);
                    cpu::attendHead(scores.data(), total, scale, values.data(), D, out.data(), isa);
                    for (std::int64_t d = 0; d < D; ++d) {
                        double want = 0.0, magnitude = 0.0;
                        for (std::int64_t t = 0; t < total; ++t) {
                            const double term =
                                p[static_cast<std::size_t>(t)] / sum * values[static_cast<std::size_t>(t * D + d)];
                            want += term;
                            magnitude += std::abs(term);
                        }
                        // float exp and sums: a few units of float rounding of the terms' magnitude.
                        QVERIFY2(std::abs(out[static_cast<std::size_t>(d)] - want) <= 1e-5 * magnitude + 1e-7,
                                 qPrintable(QStringLiteral("%1, D %2, %3 positions, d %4: %5 against %6")
                                                .arg(QString::fromLatin1(cpu::isaName(isa)))
                                                .arg(D)
                                                .arg(total)
                                                .arg(d)
                                                .arg(out[static_cast<std::size_t>(d)])
                                                .arg(want)));
                    }
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
