#include "formats/json_writer.h"

namespace racine {

namespace {

std::uint32_t line_of(const Matrix& m, Span s) {
  return m.source ? m.source->position(s.begin).line : 0U;
}

}  // namespace

nlohmann::ordered_json matrix_head_to_json(const Matrix& m) {
  using nlohmann::ordered_json;
  auto line_of = [&](Span s) { return racine::line_of(m, s); };
  ordered_json root;
  root["racine"] = 1;
  root["id"] = m.id;
  root["title"] = m.title;
  root["language"] = m.language;
  if (!m.roles.legend.empty()) {
    ordered_json legend = ordered_json::array();
    for (const auto& e : m.roles.legend)
      legend.push_back({{"letter", std::string(1, e.letter)}, {"text", e.text}});
    root["roles"] = {{"letters", m.roles.letters}, {"legend", std::move(legend)}};
  } else if (m.roles.letters != "RACI") {
    root["roles"] = m.roles.letters;
  }
  ordered_json parties = ordered_json::array();
  for (const auto& p : m.parties) parties.push_back({{"id", p.id}, {"name", p.name}});
  root["parties"] = std::move(parties);
  ordered_json options = ordered_json::array();
  for (const auto& o : m.options) {
    ordered_json j = {{"id", o.id}, {"marker", o.marker}, {"text", o.text}};
    if (o.delegate >= 0 && static_cast<std::size_t>(o.delegate) < m.parties.size()) {
      j["delegate"] = m.parties[static_cast<std::size_t>(o.delegate)].id;
    }
    if (o.explicit_effects) {
      ordered_json effects = ordered_json::array();
      for (const auto& e : o.effects) {
        ordered_json roles = ordered_json::object();
        for (const auto& as : e.roles) roles[m.parties[as.party].id] = as.roles.to_string();
        effects.push_back({{"activity", m.sections[e.section].activities[e.activity].id},
                           {"roles", std::move(roles)}});
      }
      j["effects"] = std::move(effects);
    }
    options.push_back(std::move(j));
  }
  root["options"] = std::move(options);
  ordered_json notes = ordered_json::array();
  for (const auto& n : m.notes) {
    notes.push_back({{"marker", n.marker},
                     {"text", n.text},
                     {"line", line_of(n.span)},
                     {"section", n.after_section}});
  }
  root["notes"] = std::move(notes);
  root["gray_zone"] = m.gray_zone ? ordered_json(m.gray_zone->text) : ordered_json(nullptr);
  if (!m.glossary.empty()) {
    ordered_json glossary = ordered_json::object();
    for (const auto& g : m.glossary) glossary[g.concept_id] = g.words;
    root["glossary"] = std::move(glossary);
  }
  return root;
}

nlohmann::ordered_json section_to_json(const Matrix& m, const Section& s) {
  using nlohmann::ordered_json;
  auto line_of = [&](Span sp) { return racine::line_of(m, sp); };
  ordered_json acts = ordered_json::array();
  {
    for (const auto& a : s.activities) {
      ordered_json j;
      j["id"] = a.id;
      if (a.titles.empty()) {
        j["title"] = a.title;
      } else {
        ordered_json titles = ordered_json::object();
        for (const auto& [lang, t] : a.titles) titles[lang] = t;
        j["title"] = std::move(titles);
      }
      j["line"] = line_of(a.span);
      ordered_json roles = ordered_json::object();
      ordered_json markers = ordered_json::object();
      for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
        const Cell& c = a.cells[p];
        if (!c.present) continue;
        roles[m.parties[p].id] = c.roles.to_string();
        if (!c.markers().empty()) markers[m.parties[p].id] = c.markers();
      }
      j["roles"] = std::move(roles);
      j["markers"] = std::move(markers);
      if (!a.title_markers.empty()) j["title_markers"] = a.title_markers;
      if (!a.fields.empty()) {
        ordered_json fields = ordered_json::object();
        for (const auto& f : a.fields) fields[f.name] = f.value;
        j["fields"] = std::move(fields);
      }
      acts.push_back(std::move(j));
    }
  }
  return {{"title", s.title}, {"activities", std::move(acts)}};
}

nlohmann::ordered_json matrix_to_json(const Matrix& m) {
  nlohmann::ordered_json root = matrix_head_to_json(m);
  nlohmann::ordered_json sections = nlohmann::ordered_json::array();
  for (const auto& s : m.sections) sections.push_back(section_to_json(m, s));
  root["sections"] = std::move(sections);
  return root;
}

// matrix_to_json(m).dump(2), written a section at a time: the tree of the whole matrix
// (about 1.5 KB per activity) is never built.
std::string write_json(const Matrix& m) {
  std::string out = matrix_head_to_json(m).dump(2);
  out.resize(out.size() - 2);  // "\n}": the head always has keys
  out += ",\n  \"sections\": ";
  if (m.sections.empty()) {
    out += "[]";
  } else {
    out += '[';
    bool first = true;
    for (const auto& s : m.sections) {
      out += first ? "\n    " : ",\n    ";
      first = false;
      // A section's lines, indented by its depth (strings hold no raw line break).
      const std::string section = section_to_json(m, s).dump(2);
      std::size_t from = 0;
      for (std::size_t nl = section.find('\n'); nl != std::string::npos;
           nl = section.find('\n', from)) {
        out.append(section, from, nl + 1 - from);
        out.append(4, ' ');
        from = nl + 1;
      }
      out.append(section, from);
    }
    out += "\n  ]";
  }
  out += "\n}\n";
  return out;
}

}  // namespace racine
