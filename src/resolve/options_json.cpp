#include "resolve/options_json.h"

#include "core/vocabulary.h"
#include "resolve/options.h"

namespace racine::resolve {

nlohmann::ordered_json options_to_json(const Matrix& m) {
  using nlohmann::ordered_json;
  auto line_of = [&](Span s) { return m.source ? m.source->position(s.begin).line : 0U; };
  ordered_json out = ordered_json::array();
  for (const Option& o : m.options) {
    ordered_json j;
    j["id"] = o.id;
    // How people name it: the contract as the note writes it ("infogérance
    // complémentaire"), else the id.
    const std::string name = vocabulary::contract_name_as_written(o.text);
    j["name"] = name.empty() ? o.id : name;
    j["marker"] = o.marker;
    j["text"] = o.text;
    j["line"] = o.note >= 0 ? line_of(m.notes[static_cast<std::size_t>(o.note)].span) : 0U;
    const int d = delegate_of(m, o);
    j["delegate"] =
        d >= 0 ? ordered_json(m.parties[static_cast<std::size_t>(d)].id) : ordered_json(nullptr);
    ordered_json acts = ordered_json::array();
    for (const auto& e : effects_of(m, o)) {
      const Activity& a = m.sections[e.section].activities[e.activity];
      acts.push_back({{"id", a.id}, {"title", a.title}, {"line", line_of(a.span)}});
    }
    j["activities"] = std::move(acts);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace racine::resolve
