#include "core/party_names.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace racine {

namespace {

// Words that say "role" (fr, en, de, es, it, nl, pt, sv, ru), folded.
constexpr std::array<std::string_view, 8> k_role_words = {
    "role", "rolle", "rol", "ruolo", "roles", "papel", "roll", "\xD1\x80\xD0\xBE\xD0\xBB\xD1\x8C"};
// Connectors that may stand between a role word and the name.
constexpr std::array<std::string_view, 19> k_connectors = {
    "du",  "de",  "des", "d'", "la",    "le", "l'", "of", "the", "der",
    "die", "des", "del", "di", "della", "el", "do", "da", "dos"};

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
  // What is left is a number ("Rol 1", "Role 2"): the role word is the name's own.
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) return collapsed;
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

namespace {

std::string compact_key(std::string_view name) {
  std::string out;
  for (const char c : text::fold(name)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string party_key(std::string_view name) {
  // Names joined by a slash, in any order: "PO/BA" is "BA / PO" (not a GitHub team's
  // "@org/team").
  const std::string_view t = text::trim(name);
  if (t.find('/') == std::string_view::npos || t.starts_with('@')) return compact_key(name);
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i < t.size() && t[i] != '/') continue;
    std::string k = compact_key(t.substr(from, i - from));
    if (!k.empty()) parts.push_back(std::move(k));
    from = i + 1;
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const std::string& p : parts) out += p;
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

bool PartyResolver::typo_of(std::string_view ka, std::string_view kb) {
  if (ka.empty() || kb.empty()) return false;
  const std::size_t shortest = std::min(ka.size(), kb.size());
  if (std::max(ka.size(), kb.size()) > k_typo_key_bytes) return false;
  const std::size_t allowed = shortest >= 12 ? 2 : (shortest >= 5 ? 1 : 0);
  return allowed > 0 && text::edit_distance_within(ka, kb, allowed) <= allowed;
}

bool PartyResolver::same_party(std::string_view a, std::string_view b) const {
  const std::string ka = party_key(party_name_from_header(a));
  const std::string kb = party_key(party_name_from_header(b));
  if (ka == kb) return true;
  if (ka.empty() || kb.empty()) return false;
  const int ga = group_of(ka);
  if (ga >= 0 && ga == group_of(kb)) return true;
  return typo_of(ka, kb);
}

void PartyResolver::sync(const std::vector<Party>& parties) {
  m_by_group.resize(m_folded_groups.size());
  for (std::size_t i = m_keys.size(); i < parties.size(); ++i) {
    std::string key = party_key(party_name_from_header(parties[i].spellings.front().text));
    m_by_key[key].push_back(i);
    if (const int g = group_of(key); g >= 0) m_by_group[static_cast<std::size_t>(g)].push_back(i);
    m_keys.push_back(std::move(key));
    m_ids.insert(parties[i].id);
  }
  m_taken_mark.resize(parties.size(), 0);
}

std::size_t PartyResolver::resolve(std::vector<Party>& parties, std::string_view header, Span span,
                                   const std::vector<std::size_t>& taken) {
  sync(parties);
  if (++m_taken_stamp == 0) {
    std::fill(m_taken_mark.begin(), m_taken_mark.end(), 0);
    m_taken_stamp = 1;
  }
  for (const std::size_t t : taken) {
    if (t < m_taken_mark.size()) m_taken_mark[t] = m_taken_stamp;
  }
  auto is_free = [&](std::size_t i) { return m_taken_mark[i] != m_taken_stamp; };
  const std::string spelling = text::collapse_spaces(header);
  const std::string key = party_key(party_name_from_header(spelling));
  // The first party, in index order, that is the same party (see same_party): the first
  // free one of the same key, of the same alias group, or a typo away.
  std::size_t found = parties.size();
  if (const auto it = m_by_key.find(key); it != m_by_key.end()) {
    for (const std::size_t i : it->second) {
      if (is_free(i)) {
        found = i;
        break;
      }
    }
  }
  if (const int g = key.empty() ? -1 : group_of(key); g >= 0) {
    for (const std::size_t i : m_by_group[static_cast<std::size_t>(g)]) {
      if (i >= found) break;
      if (is_free(i)) {
        found = i;
        break;
      }
    }
  }
  if (!key.empty() && key.size() <= k_typo_key_bytes) {
    const std::size_t end = std::min({found, parties.size(), k_typo_parties});
    for (std::size_t i = 0; i < end; ++i) {
      if (is_free(i) && typo_of(m_keys[i], key)) {
        found = i;
        break;
      }
    }
  }
  if (found < parties.size()) {
    parties[found].spellings.push_back({spelling, span});
    return found;
  }
  Party p;
  p.name = party_name_from_header(spelling);
  const std::string base = text::slugify(p.name);
  p.id = base.empty() ? "party-" + std::to_string(parties.size() + 1) : base;
  // Ids stay unique even when two different names slug the same way: the next free
  // "-N", searched from where the last search for this base stopped.
  if (m_ids.count(p.id) != 0) {
    int& n = m_next_suffix.try_emplace(base, 2).first->second;
    do {
      p.id = base + "-" + std::to_string(n++);
    } while (m_ids.count(p.id) != 0);
  }
  p.spellings.push_back({spelling, span});
  parties.push_back(std::move(p));
  sync(parties);
  return parties.size() - 1;
}

}  // namespace racine
