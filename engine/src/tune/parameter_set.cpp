#include "tune/parameter_set.h"

#include "runtime/counter_rng.h"
#include "zerolens/error.h"

#include <ATen/Parallel.h>

namespace zl::tune {

void ParameterSet::add(std::string name, at::Tensor values)
{
    if (!values.is_contiguous() || values.scalar_type() != at::kFloat)
        throw InvalidArgument("trainable tensor '" + name + "' must be contiguous float32");
    m_blocks.push_back({std::move(name), values, static_cast<std::uint64_t>(m_size)});
    m_size += values.numel();
}

ParameterSet ParameterSet::sparse(model::Llama& llama)
{
    ParameterSet set;
    for (std::size_t i = 0; i < llama.layers.size(); ++i)
        for (int p = 0; p < model::kProjectionCount; ++p) {
            const auto& q = llama.layers[i].quantized[static_cast<std::size_t>(p)];
            if (q && q->sparseValues.defined() && q->sparseValues.numel() > 0)
                set.add(arch::projectionTensorName(static_cast<std::int64_t>(i), static_cast<model::Projection>(p)),
                        q->sparseValues);
        }
    if (set.m_size == 0)
        throw InvalidArgument("the model has no sparse set S: quantize it with a mask, or give a mask");
    return set;
}

ParameterSet ParameterSet::dense(model::Llama& llama)
{
    ParameterSet set;
    for (auto& [name, t] : llama.namedParameters()) {
        if (!t->defined())
            throw InvalidArgument("dense zeroth-order training needs a float model; '" + name +
                                  "' is quantized (use the original checkpoint)");
        set.add(name, *t);
    }
    return set;
}

void ParameterSet::addNormal(std::uint64_t key, float scale)
{
    for (auto& b : m_blocks) {
        if (!b.values.device().is_cpu()) {
            // z is generated on the host (the same numbers as on CPU) and added on the device.
            auto host = at::zeros({b.values.numel()}, at::kFloat);
            runtime::addScaledNormal(key, b.offset, scale, host.data_ptr<float>(), host.numel());
            b.values.add_(host.to(b.values.device()).view_as(b.values));
            continue;
        }
        float* v = b.values.data_ptr<float>();
        // Every entry's z depends only on (key, its flat index): the result is
        // the same for any split of the work across threads.
        at::parallel_for(0, b.values.numel(), 4096, [&](std::int64_t begin, std::int64_t end) {
            runtime::addScaledNormal(key, b.offset + static_cast<std::uint64_t>(begin), scale, v + begin, end - begin);
        });
    }
}

void ParameterSet::scale(float factor)
{
    for (auto& b : m_blocks)
        b.values.mul_(factor);
}

std::vector<at::Tensor> ParameterSet::snapshot() const
{
    std::vector<at::Tensor> out;
    for (const auto& b : m_blocks)
        out.push_back(b.values.clone());
    return out;
}

void ParameterSet::restore(const std::vector<at::Tensor>& snapshot)
{
    for (std::size_t i = 0; i < m_blocks.size(); ++i)
        m_blocks[i].values.copy_(snapshot.at(i));
}

double ParameterSet::squaredNorm() const
{
    double sum = 0.0;
    for (const auto& b : m_blocks)
        sum += b.values.to(at::kDouble).pow(2).sum().item<double>();
    return sum;
}

} // namespace zl::tune
