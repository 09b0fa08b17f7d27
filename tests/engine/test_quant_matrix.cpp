// 4-bit formats, white-box: error bounds per format, packing, exact restore of
// the sparse entries, and the fused decode kernel against dequantize-then-matmul;
// the same for 8-bit vocabulary matrices, with their gradients.
#include "quant/cpu_kernels.h"
#include "quant/int8_matrix.h"

#include <ATen/Parallel.h>

#include <QTest>

#include <cmath>

using namespace zl;

namespace {

at::Tensor randomMatrix(std::int64_t rows, std::int64_t cols, std::uint64_t seed)
{
    auto gen = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 0.05, {rows, cols}, gen);
}

// Decode and prefill rows agree bit for bit where the integer kernels run (AVX2
// or better, columns in 32s); the float kernels of a CPU without AVX2 (or
// ZL_ISA=portable) sum a decode row in another order than the panels.
void verifyRowsAgree(const at::Tensor& a, const at::Tensor& b)
{
    if (quant::cpu::bestIsa() >= quant::cpu::Isa::Avx2)
        QVERIFY(at::equal(a, b));
    else
        QVERIFY(at::allclose(a, b, 1e-5, 1e-5));
}

} // namespace

class TestQuantMatrix : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void int4ErrorWithinHalfAStep()
    {
        // 70 columns with groups of 32: the last group of each row is ragged (6 entries).
        const auto w = randomMatrix(24, 70, 1);
        const auto q = quant::quantize(w, quant::Format::Int4, 32, at::Tensor());
        QCOMPARE(q.groups(), std::int64_t{3});
        const auto err = (quant::dequantize(q) - w).abs();
        // Round-to-nearest: at most half a step (scale / 2) per group, plus float rounding.
        const auto bound = q.scales.repeat_interleave(32, 1).narrow(1, 0, 70) * 0.5 + 1e-6;
        QVERIFY(at::all(err <= bound).item<bool>());
        QVERIFY(err.pow(2).mean().sqrt().item<double>() < 0.05 / 8); // far below the weights' spread
    }

    void nf4ErrorWithinHalfTheWidestGap()
    {
        const auto w = randomMatrix(16, 64, 2);
        const auto q = quant::quantize(w, quant::Format::Nf4, 64, at::Tensor());
        const auto err = (quant::dequantize(q) - w).abs();
        // The widest gap between NF4 levels is -1 to -0.6961928; nearest-level rounding errs by at most half of it.
        const auto bound = q.scales.repeat_interleave(64, 1) * ((1.0 - 0.6961928009986877) / 2) + 1e-6;
        QVERIFY(at::all(err <= bound).item<bool>());
        // The block maximum is represented exactly (level ±1).
        const auto rowMax = std::get<0>(w.abs().max(1));
        const auto deqMax = std::get<0>(quant::dequantize(q).abs().max(1));
        QVERIFY(at::allclose(deqMax, rowMax, 1e-6, 1e-7));
    }

    void packingStoresTwoCodesPerByte()
    {
        const auto w = randomMatrix(4, 8, 3);
        const auto q = quant::quantize(w, quant::Format::Int4, 8, at::Tensor());
        QCOMPARE(q.packed.sizes().vec(), (std::vector<std::int64_t>{4, 4}));
        // Re-derive each code from the dequantized value and compare with the nibbles.
        const auto deq = quant::dequantize(q);
        for (std::int64_t r = 0; r < 4; ++r)
            for (std::int64_t c = 0; c < 8; ++c) {
                const auto byte = q.packed[r][c / 2].item<int>();
                const int code = c % 2 == 0 ? (byte & 0x0F) : (byte >> 4);
                const double expect = (code - q.zeros[r][0].item<int>()) * q.scales[r][0].item<double>();
                QVERIFY(std::abs(deq[r][c].item<double>() - expect) < 1e-6);
            }
    }

    void sparseEntriesRestoredExactly()
    {
        const auto w = randomMatrix(200, 64, 4); // several row blocks
        // The 20 largest magnitudes, as a mask would pick them.
        const auto idx = std::get<0>(std::get<1>(at::topk(w.abs().reshape({-1}), 20)).sort());
        for (auto format : {quant::Format::Int4, quant::Format::Nf4}) {
            const auto plain = quant::quantize(w, format, 32, at::Tensor());
            const auto mixed = quant::quantize(w, format, 32, idx);
            const auto deq = quant::dequantize(mixed).reshape({-1});
            QVERIFY(at::equal(deq.index_select(0, idx), w.reshape({-1}).index_select(0, idx)));
            // Taking the outliers out shrinks the ranges: the rest is quantized more finely.
            const double errPlain = (quant::dequantize(plain) - w).pow(2).mean().item<double>();
            const double errMixed = (quant::dequantize(mixed) - w).pow(2).mean().item<double>();
            QVERIFY2(errMixed < errPlain, (std::to_string(errMixed) + " >= " + std::to_string(errPlain)).c_str());
        }
    }

    void fusedDecodeKernelMatchesDequantizedMatmul()
    {
        const auto w = randomMatrix(40, 96, 5);
        const auto idx = std::get<0>(std::get<1>(at::topk(w.abs().reshape({-1}), 30)).sort());
        const auto x = randomMatrix(1, 96, 6) * 10;
        for (auto format : {quant::Format::Int4, quant::Format::Nf4}) {
            const auto q = quant::quantize(w, format, 32, idx);
            const auto fused = quant::linear(x, q);                         // one row: fused kernel
            const auto reference = at::matmul(x, quant::dequantize(q).t()); // dequantize-then-matmul
            // With AVX2 the kernels round x to int8 per block (an error of at most
            // max|x_block| / 254 per weight magnitude, about 1% of Σ|w·x| for normal x).
            const auto magnitude = at::matmul(x.abs(), quant::dequantize(q).abs().t());
            QVERIFY(((fused - reference).abs() <= 0.02 * magnitude + 1e-5).all().item<bool>());
            // Two rows: the batched path, the same arithmetic per row, so decode and prefill agree exactly.
            const auto batched = quant::linear(at::cat({x, x}), q);
            verifyRowsAgree(batched[1], fused[0]);
        }
    }

    void integerProductsAgreeAcrossThreadsAndRows()
    {
        // Columns a multiple of 32: the int8 kernels where the CPU has AVX2. Rows of x: tiles of four and one over.
        const auto w = randomMatrix(333, 1024, 9);
        const auto idx = std::get<0>(std::get<1>(at::topk(w.abs().reshape({-1}), 50)).sort());
        const auto x = randomMatrix(37, 1024, 10);
        const int threads = at::get_num_threads();
        for (auto format : {quant::Format::Int4, quant::Format::Nf4}) {
            const auto q = quant::quantize(w, format, 128, idx);
            const auto dense = quant::dequantize(q);
            const auto magnitude = at::matmul(x.abs(), dense.abs().t());
            std::vector<at::Tensor> results;
            for (int t : {1, 2}) {
                at::set_num_threads(t);
                results.push_back(quant::linear(x, q));
                QVERIFY(
                    ((results.back() - at::matmul(x, dense.t())).abs() <= 0.02 * magnitude + 1e-5).all().item<bool>());
            }
            QVERIFY(at::equal(results[0], results[1])); // threads split rows, never a sum
            for (std::int64_t i : {0, 17, 36})          // decode rows equal prefill rows
                verifyRowsAgree(quant::linear(x.narrow(0, i, 1), q)[0], results[0][i]);
            // Matrices that share x (q, k, v in decode) give what each gives alone, with S added.
            const auto other = quant::quantize(randomMatrix(70, 1024, 15), format, 128, at::Tensor());
            for (std::int64_t rows : {1, 37}) {
                const auto xs = x.narrow(0, 0, rows);
                const auto shared = quant::linearShared(xs, {&q, &other, &q});
                QCOMPARE(shared.size(), std::size_t{3});
                QVERIFY(at::equal(shared[0], quant::linear(xs, q)));
                QVERIFY(at::equal(shared[1], quant::linear(xs, other)));
                QVERIFY(at::equal(shared[2], shared[0]));
            }
        }
        at::set_num_threads(threads);
    }

    void panelsAndThreadsAgreeWithReference()
    {
        // Rows not a multiple of the panel or the parallel grain; columns not a multiple of the vector width.
        const auto w = randomMatrix(333, 1030, 7);
        const auto idx = std::get<0>(std::get<1>(at::topk(w.abs().reshape({-1}), 50)).sort());
        const auto x = randomMatrix(5, 1030, 8) * 10;
        const int threads = at::get_num_threads();
        for (auto format : {quant::Format::Int4, quant::Format::Nf4}) {
            const auto q = quant::quantize(w, format, 128, idx);
            const auto reference = at::matmul(x.to(at::kDouble), quant::dequantize(q).to(at::kDouble).t());
            std::vector<at::Tensor> results;
            for (int t : {1, 2}) {
                at::set_num_threads(t);
                const auto batched = quant::linear(x, q); // panels of dequantized rows
                QVERIFY(at::allclose(batched.to(at::kDouble), reference, 1e-4, 1e-4));
                for (std::int64_t i = 0; i < x.size(0); ++i) // decode, one row at a time
                    QVERIFY(
                        at::allclose(quant::linear(x.narrow(0, i, 1), q)[0].to(at::kDouble), reference[i], 1e-4, 1e-4));
                results.push_back(batched);
            }
            // Threads split rows, never a sum: the results agree to float rounding.
            QVERIFY(at::allclose(results[0], results[1], 1e-6, 1e-6));
        }
        at::set_num_threads(threads);
    }

    void int8MatrixRowsProductsAndGradients()
    {
        // 333 rows: not a multiple of a panel or of the parallel grain; the last group of 1000 columns is short.
        const auto w = randomMatrix(333, 1000, 11);
        quant::QuantError err;
        const auto q = quant::quantizeInt8(w, 128, &err);
        QCOMPARE(q.values.scalar_type(), at::kChar);
        QVERIFY(q.values.abs().max().item<int>() <= 127);
        const auto dense = quant::dequantize(q);
        // Half a step per entry: max|w| of the group / 254.
        const auto groupMax =
            at::constant_pad_nd(w.abs(), {0, 24}, 0.0).reshape({333, 8, 128}).amax(-1).repeat_interleave(128, 1);
        QVERIFY(((dense - w).abs() <= groupMax.narrow(1, 0, 1000) / 254.0 + 1e-7).all().item<bool>());
        QVERIFY(err.maxAbs > 0.0 && err.maxAbs <= w.abs().max().item<double>() / 254.0 + 1e-7);

        const auto ids = at::tensor({5, 0, 332, 5, 17, 100}, at::kLong).view({2, 3});
        QVERIFY(at::equal(quant::embeddingRows(q, ids), dense.index_select(0, ids.reshape({-1})).view({2, 3, 1000})));

        const int threads = at::get_num_threads();
        // Three rows: the integer kernel (x rounded to int8 per group); the same at 1 and 2 threads, and a row
        // alone equals it within the batch.
        const auto x = randomMatrix(3, 1000, 12) * 10;
        const auto magnitude = at::matmul(x.abs(), dense.abs().t());
        std::vector<at::Tensor> results;
        for (int t : {1, 2}) {
            at::set_num_threads(t);
            results.push_back(quant::linear(x, q));
        }
        at::set_num_threads(threads);
        QVERIFY(at::equal(results[0], results[1]));
        QVERIFY(at::equal(quant::linear(x.narrow(0, 2, 1), q)[0], results[0][2]));
        QVERIFY(((results[0] - at::matmul(x, dense.t())).abs() <= 0.01 * magnitude + 1e-6).all().item<bool>());

        // Many rows: float panels, and differentiable in x through the same panels.
        const auto many = randomMatrix(20, 1000, 13).requires_grad_();
        const auto reference = at::matmul(many.detach().to(at::kDouble), dense.to(at::kDouble).t());
        QVERIFY(at::allclose(quant::linear(many.detach(), q).to(at::kDouble), reference, 1e-5, 1e-5));
        const auto upstream = randomMatrix(20, 333, 14);
        const auto y = quant::linear(many, q);
        QVERIFY(at::allclose(y.detach().to(at::kDouble), reference, 1e-5, 1e-5));
        (y * upstream).sum().backward();
        QVERIFY(at::allclose(many.grad().to(at::kDouble), at::matmul(upstream, dense).to(at::kDouble), 1e-5, 1e-5));
    }
};

QTEST_GUILESS_MAIN(TestQuantMatrix)
#include "test_quant_matrix.moc"
