#include "tune/adamw.h"

#include <cmath>

namespace zl::tune {

AdamW::AdamW(std::vector<at::Tensor> params, std::vector<bool> decay, AdamWSettings settings)
    : m_params(std::move(params)), m_decay(std::move(decay)), m_s(settings)
{
    for (const auto& p : m_params) {
        m_m.push_back(at::zeros_like(p).detach());
        m_v.push_back(at::zeros_like(p).detach());
    }
}

double AdamW::gradientNorm() const
{
    double sq = 0.0;
    for (const auto& p : m_params)
        if (p.grad().defined())
            sq += p.grad().to(at::kDouble).pow(2).sum().item<double>();
    return std::sqrt(sq);
}

void AdamW::step(std::int64_t step, double lr, double gradScale)
{
    c10::NoGradGuard noGrad;
    const double t = static_cast<double>(step + 1);
    const double c1 = 1.0 - std::pow(m_s.beta1, t);
    const double c2 = 1.0 - std::pow(m_s.beta2, t);
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        auto& p = m_params[i];
        if (!p.grad().defined())
            continue;
        const auto g = p.grad() * gradScale;
        if (m_decay[i] && m_s.weightDecay > 0)
            p.mul_(1.0 - lr * m_s.weightDecay);
        m_m[i].mul_(m_s.beta1).add_(g, 1.0 - m_s.beta1);
        m_v[i].mul_(m_s.beta2).addcmul_(g, g, 1.0 - m_s.beta2);
        p.addcdiv_(m_m[i] / c1, (m_v[i] / c2).sqrt_().add_(m_s.epsilon), -lr);
        p.mutable_grad().zero_();
    }
}

} // namespace zl::tune
