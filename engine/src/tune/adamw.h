// AdamW (Loshchilov & Hutter 2019): Adam with bias-corrected moments and
// decoupled weight decay, over a list of tensors that hold their gradients.
#pragma once

#include "model/torch_pch.h"

#include <cstdint>
#include <vector>

namespace zl::tune {

struct AdamWSettings {
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    double weightDecay = 0.0;
};

class AdamW {
public:
    /// `decay[i]` says whether weight decay applies to params[i] (e.g. not to norms).
    AdamW(std::vector<at::Tensor> params, std::vector<bool> decay, AdamWSettings settings);

    /// One update with learning rate `lr`, gradients scaled by `gradScale` (clipping);
    /// zeroes the gradients afterwards. `step` is 0-based (bias correction uses step + 1).
    void step(std::int64_t step, double lr, double gradScale = 1.0);
    /// √Σ‖grad‖² over all parameters.
    double gradientNorm() const;

    /// First and second moments, for checkpoints.
    std::vector<at::Tensor>& firstMoments() { return m_m; }
    std::vector<at::Tensor>& secondMoments() { return m_v; }

private:
    std::vector<at::Tensor> m_params;
    std::vector<bool> m_decay;
    AdamWSettings m_s;
    std::vector<at::Tensor> m_m, m_v;
};

} // namespace zl::tune
