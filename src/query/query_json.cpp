#include "query/query_json.h"

#include <cmath>

#include "core/json_out.h"

namespace racine::query {

namespace {

using nlohmann::ordered_json;

std::uint32_t line_of(const Matrix& m, Span s) {
  return m.source ? m.source->position(s.begin).line : 0U;
}

ordered_json counts_to_json(const Workload::Counts& c) {
  return {{"R", c[0]}, {"A", c[1]}, {"C", c[2]}, {"I", c[3]}};
}

}  // namespace

ordered_json roles_to_json(const Matrix& m, const Activity& a) {
  ordered_json roles = ordered_json::object();
  for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
    if (a.cells[p].present) roles[m.parties[p].id] = a.cells[p].roles.to_string();
  }
  return roles;
}

ordered_json answer_to_json(const Matrix& m, std::string_view query, const Answer& answer) {
  ordered_json out;
  out["query"] = query;
  ordered_json matches = ordered_json::array();
  for (const Match& x : answer.matches) {
    const Section& s = m.sections[x.section];
    const Activity& a = s.activities[x.activity];
    ordered_json j;
    j["id"] = a.id;
    j["title"] = a.title;
    j["section"] = s.title;
    j["line"] = line_of(m, a.span);
    j["score"] = std::round(x.score * 1000) / 1000;
    j["roles"] = roles_to_json(m, a);
    // The cells' qualifiers ("R (Build)": "Build"), only when some cell has one.
    ordered_json remarks = ordered_json::object();
    for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
      if (a.cells[p].present && !a.cells[p].remark().empty())
        remarks[m.parties[p].id] = a.cells[p].remark();
    }
    if (!remarks.empty()) j["remarks"] = std::move(remarks);
    if (x.shared_title) j["shared_title"] = true;
    if (!x.via.empty()) j["via"] = x.via;
    matches.push_back(std::move(j));
  }
  out["matches"] = std::move(matches);
  out["gray_zone"] = answer.gray_zone;
  out["outcome"] = outcome_name(answer.outcome);
  out["gray_zone_note"] = m.gray_zone ? ordered_json(m.gray_zone->text) : ordered_json(nullptr);
  out["language"] = m.language.empty() ? ordered_json(nullptr) : ordered_json(m.language);
  return out;
}

std::string answer_to_json_text(const Matrix& m, std::string_view query, const Answer& answer) {
  JsonOut j(1024 + answer.matches.size() * 512);
  j.begin_object().key("query").string(query).key("matches").begin_array();
  for (const Match& x : answer.matches) {
    const Section& s = m.sections[x.section];
    const Activity& a = s.activities[x.activity];
    j.begin_object();
    j.key("id").string(a.id).key("title").string(a.title).key("section").string(s.title);
    j.key("line").integer(line_of(m, a.span));
    j.key("score").number(std::round(x.score * 1000) / 1000);
    j.key("roles").begin_object();
    for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
      if (a.cells[p].present) j.key(m.parties[p].id).string(a.cells[p].roles.to_string());
    }
    j.end_object();
    // The cells' qualifiers ("R (Build)": "Build"), only when some cell has one.
    bool any_remark = false;
    for (std::size_t p = 0; p < a.cells.size() && p < m.parties.size(); ++p) {
      if (!a.cells[p].present || a.cells[p].remark().empty()) continue;
      if (!any_remark) j.key("remarks").begin_object();
      any_remark = true;
      j.key(m.parties[p].id).string(a.cells[p].remark());
    }
    if (any_remark) j.end_object();
    if (x.shared_title) j.key("shared_title").boolean(true);
    if (!x.via.empty()) {
      j.key("via").begin_array();
      for (const auto& v : x.via) j.string(v);
      j.end_array();
    }
    j.end_object();
  }
  j.end_array();
  j.key("gray_zone").boolean(answer.gray_zone);
  j.key("outcome").string(outcome_name(answer.outcome));
  j.key("gray_zone_note");
  if (m.gray_zone) {
    j.string(m.gray_zone->text);
  } else {
    j.null();
  }
  j.key("language");
  if (m.language.empty()) {
    j.null();
  } else {
    j.string(m.language);
  }
  j.end_object();
  return j.take();
}

ordered_json duties_to_json(const Matrix& m, const Duties& d) {
  ordered_json out;
  out["party"] = m.parties[d.party].id;
  ordered_json sections = ordered_json::array();
  for (const auto& g : d.sections) {
    const Section& s = m.sections[g.section];
    ordered_json acts = ordered_json::array();
    for (const auto& item : g.items) {
      const Activity& a = s.activities[item.activity];
      acts.push_back({{"id", a.id},
                      {"title", a.title},
                      {"line", line_of(m, a.span)},
                      {"roles", item.roles.to_string()}});
    }
    sections.push_back({{"title", s.title}, {"activities", std::move(acts)}});
  }
  out["sections"] = std::move(sections);
  return out;
}

ordered_json summary_to_json(const Matrix& m, const Workload& w) {
  ordered_json out;
  out["activities"] = w.activities;
  ordered_json parties = ordered_json::array();
  for (std::size_t p = 0; p < m.parties.size(); ++p) {
    ordered_json j = {{"id", m.parties[p].id}, {"name", m.parties[p].name}};
    j.update(counts_to_json(w.parties[p]));
    parties.push_back(std::move(j));
  }
  out["parties"] = std::move(parties);
  ordered_json sections = ordered_json::array();
  for (const auto& ps : w.sections) {
    ordered_json per = ordered_json::object();
    for (std::size_t p = 0; p < m.parties.size(); ++p)
      per[m.parties[p].id] = counts_to_json(ps.parties[p]);
    sections.push_back({{"title", m.sections[ps.section].title},
                        {"activities", ps.activities},
                        {"parties", std::move(per)}});
  }
  out["sections"] = std::move(sections);
  return out;
}

}  // namespace racine::query
