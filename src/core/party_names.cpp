#include "core/party_names.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace racine {

namespace {

// Words that say "role" in the five languages.
constexpr std::array<std::string_view, 5> k_role_words = {"role", "rolle", "rol", "ruolo", "roles"};
// Connectors that may stand between a role word and the name.
constexpr std::array<std::string_view, 16> k_connectors = {
    "du", "de", "des", "d'", "la", "le", "l'", "of", "the", "der", "die", "des", "del", "di",
    "della", "el"};

bool is_role_word(std::string_view folded_word) {
  return std::find(k_role_words.begin(), k_role_words.end(), folded_word) != k_role_words.end();
}

bool is_connector(std::string_view folded_word) {
  return std::find(k_connectors.begin(), k_connectors.end(), folded_word) != k_connectors.end();
}

struct Token {
  std::string_view text;
  std::string folded;
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) {
      const auto t = s.substr(i, j - i);
      std::string f = text::fold(t);
      while (!f.empty() && (f.back() == ':' || f.back() == ',')) f.pop_back();
      out.push_back({t, std::move(f)});
    }
    i = j;
  }
  return out;
}

std::string join(const std::vector<Token>& tokens, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (!out.empty()) out += ' ';
    out += tokens[i].text;
  }
  return out;
}

}  // namespace

std::string party_name_from_header(std::string_view header) {
  const std::string collapsed = text::collapse_spaces(header);
  auto tokens = tokenize(collapsed);
  std::size_t b = 0;
  std::size_t e = tokens.size();
  // Leading role word and its connectors: "Rol de Cloud Temple", "Rôle Client".
  if (e - b > 1 && is_role_word(tokens[b].folded)) {
    ++b;
    while (e - b > 1 && is_connector(tokens[b].folded)) ++b;
  }
  // Trailing role word: "Client Role".
  if (e - b > 1 && is_role_word(tokens[e - 1].folded)) {
    --e;
    while (e - b > 1 && is_connector(tokens[e - 1].folded)) --e;
  }
  std::string name = join(tokens, b, e);
  // German compounds: "Cloud Temple-Rolle", "Cloud-Temple-Rolle", "Kundenrolle".
  const std::string folded = text::fold(name);
  if (folded.size() > 5 && folded.ends_with("rolle") && name.size() > 5) {
    std::string stem = name.substr(0, name.size() - 5);
    const bool hyphen = !stem.empty() && stem.back() == '-';
    while (!stem.empty() && (stem.back() == '-' || stem.back() == ' ')) stem.pop_back();
    // The linking "n" of "Kunden|rolle" belongs to neither word.
    if (!hyphen && stem.size() > 3 && stem.back() == 'n' && stem[stem.size() - 2] == 'e') {
      stem.pop_back();
    }
    if (!stem.empty()) name = stem;
  }
  while (!name.empty() && (name.back() == ':' || name.back() == '-')) name.pop_back();
  name = text::collapse_spaces(name);
  return name.empty() ? text::collapse_spaces(header) : name;
}

PartyAliases PartyAliases::builtin() {
  return {{
      {"Client", "Customer", "Kunde", "Kunden", "Cliente", "Clienti", "Klient", "Clients",
       "Customers"},
      {"Provider", "Fournisseur", "Prestataire", "Anbieter", "Dienstleister", "Proveedor",
       "Fornitore", "Supplier", "Vendor"},
  }};
}

std::string party_key(std::string_view name) {
  std::string out;
  for (const char c : text::fold(name)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) {
      out += c;
    }
  }
  return out;
}

PartyResolver::PartyResolver(PartyAliases aliases) : m_aliases(std::move(aliases)) {
  for (const auto& g : m_aliases.groups) {
    std::vector<std::string> folded;
    folded.reserve(g.size());
    for (const auto& n : g) folded.push_back(party_key(n));
    m_folded_groups.push_back(std::move(folded));
  }
}

int PartyResolver::group_of(std::string_view key) const {
  for (std::size_t i = 0; i < m_folded_groups.size(); ++i) {
    const auto& g = m_folded_groups[i];
    if (std::find(g.begin(), g.end(), key) != g.end()) return static_cast<int>(i);
  }
  return -1;
}

bool PartyResolver::same_party(std::string_view a, std::string_view b) const {
  const std::string ka = party_key(party_name_from_header(a));
  const std::string kb = party_key(party_name_from_header(b));
  if (ka == kb) return true;
  if (ka.empty() || kb.empty()) return false;
  const int ga = group_of(ka);
  if (ga >= 0 && ga == group_of(kb)) return true;
  const std::size_t shortest = std::min(ka.size(), kb.size());
  const std::size_t allowed = shortest >= 12 ? 2 : (shortest >= 5 ? 1 : 0);
  return allowed > 0 && text::edit_distance(ka, kb) <= allowed;
}

std::size_t PartyResolver::resolve(std::vector<Party>& parties, std::string_view header, Span span,
                                   const std::vector<std::size_t>& taken) {
  const std::string spelling = text::collapse_spaces(header);
  for (std::size_t i = 0; i < parties.size(); ++i) {
    if (std::find(taken.begin(), taken.end(), i) != taken.end()) continue;
    if (same_party(parties[i].spellings.front().text, spelling)) {
      parties[i].spellings.push_back({spelling, span});
      return i;
    }
  }
  Party p;
  p.name = party_name_from_header(spelling);
  p.id = text::slugify(p.name);
  if (p.id.empty()) p.id = "party-" + std::to_string(parties.size() + 1);
  // Ids stay unique even when two different names slug the same way.
  for (int n = 2; std::any_of(parties.begin(), parties.end(), [&](const Party& o) { return o.id == p.id; }); ++n) {
    p.id = text::slugify(p.name) + "-" + std::to_string(n);
  }
  p.spellings.push_back({spelling, span});
  parties.push_back(std::move(p));
  return parties.size() - 1;
}

}  // namespace racine
