// A compiled PCRE2 pattern in Unicode mode (\p{L}, \p{N}, look-ahead), as the
// split patterns of Hugging Face tokenizers need. std::regex cannot do these.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zl::tok {

class Regex {
public:
    /// Compiles `pattern`; throws FormatError naming `origin` if it is invalid.
    Regex(const std::string& pattern, const std::string& origin);
    ~Regex();
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    /// Non-overlapping, non-empty matches in s as [begin, end) byte ranges.
    std::vector<std::pair<std::size_t, std::size_t>> findAll(std::string_view s) const;

private:
    struct Code;
    std::unique_ptr<Code> m_code;
};

} // namespace zl::tok
