#include "tokenizer/tokenizer_impl.h"

#include "tokenizer/unicode_text.h"
#include "zerolens/error.h"

namespace zl {

namespace fs = std::filesystem;

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Tokenizer Tokenizer::fromFile(const fs::path& file)
{
    if (file.extension() == ".model")
        return Tokenizer(tok::loadSentencePieceModel(file));
    return Tokenizer(tok::loadHfTokenizer(file));
}

Tokenizer Tokenizer::fromModelDir(const fs::path& dir)
{
    std::error_code ec; // exists() without one throws filesystem_error, e.g. on an unreadable folder
    if (fs::exists(dir / "tokenizer.json", ec))
        return fromFile(dir / "tokenizer.json");
    if (fs::exists(dir / "tokenizer.model", ec))
        return fromFile(dir / "tokenizer.model");
    throw FormatError(dir.string() + ": no tokenizer.json or tokenizer.model in the model folder");
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text, bool addSpecialTokens) const
{
    if (const auto bad = tok::firstInvalidUtf8(text); bad != std::string_view::npos)
        throw InvalidArgument("text is not valid UTF-8 (first bad byte at offset " + std::to_string(bad) + ")");
    return m_impl->encode(text, addSpecialTokens);
}

std::string Tokenizer::decode(std::span<const std::int32_t> ids, bool skipSpecialTokens) const
{
    return m_impl->decode(ids, skipSpecialTokens);
}

std::int64_t Tokenizer::vocabSize() const
{
    return m_impl->vocabSize();
}
std::optional<std::int32_t> Tokenizer::bosId() const
{
    return m_impl->bosId();
}
std::optional<std::int32_t> Tokenizer::eosId() const
{
    return m_impl->eosId();
}
bool Tokenizer::isSpecial(std::int32_t id) const
{
    return m_impl->isSpecial(id);
}
std::string Tokenizer::token(std::int32_t id) const
{
    return m_impl->token(id);
}
std::string Tokenizer::description() const
{
    return m_impl->description();
}

} // namespace zl
