#include "io/wordnet.h"

#include "zerolens/error.h"

#include <fstream>
#include <sstream>

namespace zl::io {

namespace {

std::string lemma(std::string w)
{
    // Adjective markers such as "good(a)" or "galore(ip)".
    if (const auto p = w.find('('); p != std::string::npos)
        w.erase(p);
    for (auto& c : w)
        if (c == '_')
            c = ' ';
    return w;
}

void splitGloss(const std::string& gloss, Synset& s)
{
    // definition; "example one"; "example two"
    const auto quote = gloss.find('"');
    std::string def = quote == std::string::npos ? gloss : gloss.substr(0, quote);
    while (!def.empty() && (def.back() == ' ' || def.back() == ';'))
        def.pop_back();
    s.definition = def;
    for (std::size_t p = quote; p != std::string::npos && p < gloss.size();) {
        const auto e = gloss.find('"', p + 1);
        if (e == std::string::npos)
            break;
        if (e > p + 1)
            s.examples.push_back(gloss.substr(p + 1, e - p - 1));
        p = gloss.find('"', e + 1);
    }
}

} // namespace

std::vector<Synset> readWordnetData(const std::filesystem::path& file)
{
    std::ifstream in(file);
    if (!in)
        throw InvalidArgument(file.string() + ": cannot open (install the Debian package wordnet-base)");
    std::vector<Synset> out;
    std::string line;
    std::int64_t lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line[0] == ' ')
            continue; // license header
        const auto bar = line.find(" | ");
        if (bar == std::string::npos)
            throw FormatError(file.string() + ":" + std::to_string(lineNo) + ": no gloss (expected ' | ')");
        std::istringstream fields(line.substr(0, bar));
        Synset s;
        std::string lexFile, pos, count;
        if (!(fields >> s.offset >> lexFile >> pos >> count) || pos.size() != 1)
            throw FormatError(file.string() + ":" + std::to_string(lineNo) + ": malformed synset header");
        s.pos = pos[0];
        try {
            s.lexFile = std::stoi(lexFile);
            const int words = std::stoi(count, nullptr, 16);
            for (int i = 0; i < words; ++i) {
                std::string w, lexId;
                if (!(fields >> w >> lexId))
                    throw FormatError(file.string() + ":" + std::to_string(lineNo) + ": fewer words than announced");
                s.words.push_back(lemma(w));
            }
        } catch (const std::logic_error&) {
            throw FormatError(file.string() + ":" + std::to_string(lineNo) + ": malformed number in synset header");
        }
        std::string gloss = line.substr(bar + 3);
        while (!gloss.empty() && gloss.back() == ' ')
            gloss.pop_back();
        splitGloss(gloss, s);
        if (!s.words.empty() && !s.definition.empty())
            out.push_back(std::move(s));
    }
    return out;
}

} // namespace zl::io
