#include "formats/spreadsheet.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/escape.h"
#include "core/roles.h"
#include "core/text.h"
#include "formats/spreadsheet_zip.h"

namespace racine::sheet {

namespace {

// --- Collecting a sheet's cells within the bounds ----------------------------------

class SheetBuilder {
 public:
  // `cells` and `bytes` count every sheet's filled cells and their text, against the
  // workbook's bounds.
  SheetBuilder(std::string name, std::string part, const Limits& limits, std::uint64_t& cells,
               std::uint64_t& bytes)
      : m_part(std::move(part)), m_limits(limits), m_cells(cells), m_bytes(bytes) {
    m_sheet.name = std::move(name);
  }

  // Adds a filled cell (empty text is no cell); an Error past the bounds.
  std::optional<Error> add(std::uint64_t row, std::uint64_t column, std::string text) {
    if (text.empty()) return std::nullopt;
    if (row > k_max_sheet_rows || row == 0) {
      return Error{m_part, 0, 0,
                   fmt::format("sheet '{}' has a filled cell in row {}, past the last row "
                               "({}) a spreadsheet has",
                               m_sheet.name, row, k_max_sheet_rows)};
    }
    if (column > m_limits.max_columns || column == 0) {
      return Error{m_part, 0, 0,
                   fmt::format("sheet '{}' has a filled cell in column {} (row {}), past the "
                               "{} columns racine reads (limits.max-columns in .racine.yaml)",
                               m_sheet.name,
                               column <= 16384 ? column_letters(static_cast<std::uint32_t>(column))
                                               : std::to_string(column),
                               row, m_limits.max_columns)};
    }
    if (++m_cells > k_max_sheet_cells) {
      return Error{
          m_part, 0, 0,
          fmt::format("more than {} filled cells: far more than a matrix has", k_max_sheet_cells)};
    }
    if (text.size() > k_max_cell_bytes) {
      std::size_t cut = k_max_cell_bytes;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      text.resize(cut);
      text.shrink_to_fit();
    }
    m_bytes += text.size();
    if (m_bytes > m_limits.max_bytes) {
      return Error{m_part, 0, 0,
                   fmt::format("the cells' text adds up past {} bytes (limits.max-bytes in "
                               ".racine.yaml): far more than a matrix has",
                               m_limits.max_bytes)};
    }
    const auto r = static_cast<std::uint32_t>(row);
    if (m_sheet.rows.empty() || m_sheet.rows.back().number != r) {
      m_sheet.rows.push_back(Row{r, {}});
    }
    m_sheet.rows.back().cells.push_back(Cell{static_cast<std::uint32_t>(column), std::move(text)});
    return std::nullopt;
  }

  // Rows and cells in order (the formats allow them out of order), covered cells and
  // hidden columns left out.
  Sheet finish(const std::vector<std::array<std::uint32_t, 4>>& merges,
               const std::set<std::uint32_t>& hidden_columns) {
    std::map<std::uint32_t, std::map<std::uint32_t, std::string>> grid;
    for (auto& row : m_sheet.rows)
      for (auto& cell : row.cells) grid[row.number][cell.column] = std::move(cell.text);
    // Merged ranges are small in a real sheet; rows visited for them are bounded, so that
    // many ranges over many rows (a crafted sheet: Excel calls overlaps corruption) are
    // refused rather than walked (m_over).
    std::uint64_t visits = 0;
    for (const auto& [r1, c1, r2, c2] : merges) {
      for (auto it = grid.lower_bound(r1); it != grid.end() && it->first <= r2; ++it) {
        if (++visits > k_max_merge_visits) {
          m_over = true;
          return {};
        }
        for (auto jt = it->second.lower_bound(c1); jt != it->second.end() && jt->first <= c2;) {
          if (it->first == r1 && jt->first == c1) {
            ++jt;
          } else {
            jt = it->second.erase(jt);
          }
        }
      }
    }
    Sheet out;
    out.name = m_sheet.name;
    out.hidden_columns.assign(hidden_columns.begin(), hidden_columns.end());
    for (auto& [r, cells] : grid) {
      Row row{r, {}};
      for (auto& [c, text] : cells)
        if (!hidden_columns.contains(c)) row.cells.push_back(Cell{c, std::move(text)});
      if (!row.cells.empty()) out.rows.push_back(std::move(row));
    }
    return out;
  }

 private:
  Sheet m_sheet;
  std::string m_part;
  const Limits& m_limits;
  std::uint64_t& m_cells;
  std::uint64_t& m_bytes;

 public:
  bool m_over = false;  // finish gave up on merged ranges covering too much
};

bool truthy(std::string_view v) {
  return v == "1" || v == "true";
}

std::uint64_t to_number(std::string_view v, std::uint64_t fallback) {
  std::uint64_t n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size()) return fallback;
  return n;
}

// "B12" -> column 2, row 12; zeros when it is not a cell reference.
std::pair<std::uint64_t, std::uint64_t> parse_reference(std::string_view ref) {
  std::uint64_t column = 0;
  std::size_t i = 0;
  while (i < ref.size() && ref[i] == '$') ++i;
  const std::size_t letters = i;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i])) && i - letters < 4) {
    column = column * 26 +
             static_cast<std::uint64_t>(std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    ++i;
  }
  if (i < ref.size() && ref[i] == '$') ++i;
  const std::uint64_t row = to_number(ref.substr(i), 0);
  return {column, row};
}

// A number as a spreadsheet shows it in the General format: integers plainly, others
// with at most 15 significant digits ("0.30000000000000004" is 0.3).
std::string show_number(std::string_view v) {
  double x = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(x)) return std::string(v);
  if (std::fabs(x) < 1e15 && x == std::floor(x))
    return fmt::format("{}", static_cast<long long>(x));
  return fmt::format("{:.15g}", x);
}

// --- Office Open XML (.xlsx) ----------------------------------------------------------

std::string directory_of(const std::string& part) {
  const auto slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// A relationship's target, relative to the part that holds it, as an archive name.
std::string resolve_target(const std::string& base_dir, std::string_view target) {
  std::string joined = !target.empty() && target[0] == '/' ? std::string(target.substr(1))
                                                           : base_dir + std::string(target);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const auto slash = joined.find('/', start);
    const std::string piece =
        joined.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!piece.empty() && piece != ".") {
      parts.push_back(piece);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct Relationship {
  std::string type;
  std::string target;  // resolved
};

Result<std::unordered_map<std::string, Relationship>> read_relationships(ZipArchive& zip,
                                                                         const std::string& part,
                                                                         const std::string& base) {
  std::unordered_map<std::string, Relationship> out;
  if (!zip.has(part)) return out;
  auto xml = zip.read(part);
  if (!xml) return xml.error();
  XmlHandler h;
  std::optional<Error> stop;
  h.start = [&](std::string_view name, const XmlHandler::Attributes& a) {
    if (name != "Relationship" || attribute(a, "TargetMode") == "External") return;
    out[std::string(attribute(a, "Id"))] = Relationship{
        std::string(attribute(a, "Type")), resolve_target(base, attribute(a, "Target"))};
  };
  if (auto r = parse_xml(*xml, part, h, stop); !r) return r.error();
  return out;
}

bool type_is(std::string_view type, std::string_view suffix) {
  return type.size() >= suffix.size() && type.substr(type.size() - suffix.size()) == suffix;
}

// Text of <t> elements, leaving out phonetic runs (<rPh>: the kana reading of Japanese).
struct RichText {
  int in_t = 0;
  int in_phonetic = 0;
  std::string text;
  void start(std::string_view name) {
    if (name == "t") ++in_t;
    if (name == "rPh") ++in_phonetic;
  }
  void end(std::string_view name) {
    if (name == "t" && in_t > 0) --in_t;
    if (name == "rPh" && in_phonetic > 0) --in_phonetic;
  }
  void add(std::string_view s) {
    if (in_t > 0 && in_phonetic == 0 && text.size() < k_max_cell_bytes * 2) text += s;
  }
};

Result<std::vector<std::string>> read_shared_strings(ZipArchive& zip, const std::string& part) {
  std::vector<std::string> out;
  if (part.empty() || !zip.has(part)) return out;
  auto xml = zip.read(part);
  if (!xml) return xml.error();
  XmlHandler h;
  std::optional<Error> stop;
  RichText rich;
  bool in_si = false;
  h.start = [&](std::string_view name, const XmlHandler::Attributes&) {
    if (name == "si") {
      in_si = true;
      rich = RichText{};
    } else if (in_si) {
      rich.start(name);
    }
  };
  h.end = [&](std::string_view name) {
    if (name == "si") {
      in_si = false;
      if (out.size() >= k_max_sheet_cells) {
        stop = Error{part, 0, 0, fmt::format("more than {} shared strings", k_max_sheet_cells)};
        return;
      }
      out.push_back(std::move(rich.text));
    } else if (in_si) {
      rich.end(name);
    }
  };
  h.text = [&](std::string_view s) {
    if (in_si) rich.add(s);
  };
  if (auto r = parse_xml(*xml, part, h, stop); !r) return r.error();
  return out;
}

Result<Sheet> read_xlsx_sheet(ZipArchive& zip, const std::string& part, const std::string& name,
                              const std::vector<std::string>& strings, const Limits& limits,
                              std::uint64_t& cells, std::uint64_t& bytes) {
  auto xml = zip.read(part);
  if (!xml) return xml.error();
  SheetBuilder builder(name, part, limits, cells, bytes);
  std::vector<bool> hidden_bits(static_cast<std::size_t>(limits.max_columns) + 1, false);
  std::vector<std::array<std::uint32_t, 4>> merges;
  XmlHandler h;
  std::optional<Error> stop;
  std::uint64_t row = 0;
  std::uint64_t column = 0;
  bool row_hidden = false;
  bool in_cell = false;
  std::string type;
  std::string value;
  int in_v = 0;
  int in_inline = 0;
  RichText rich;
  h.start = [&](std::string_view n, const XmlHandler::Attributes& a) {
    if (n == "col") {
      if (truthy(attribute(a, "hidden"))) {
        // Only columns a filled cell may be in (past max-columns a cell is refused).
        const auto lo = to_number(attribute(a, "min"), 0);
        const auto hi =
            std::min<std::uint64_t>(to_number(attribute(a, "max"), lo), limits.max_columns);
        for (std::uint64_t c = std::max<std::uint64_t>(lo, 1); c <= hi; ++c) hidden_bits[c] = true;
      }
    } else if (n == "row") {
      row = to_number(attribute(a, "r"), row + 1);
      row_hidden = truthy(attribute(a, "hidden"));
      column = 0;
    } else if (n == "c") {
      in_cell = true;
      const auto [c, r] = parse_reference(attribute(a, "r"));
      column = c > 0 ? c : column + 1;
      if (r > 0 && r != row) row = r;
      type = std::string(attribute(a, "t"));
      value.clear();
      rich = RichText{};
    } else if (in_cell && n == "v") {
      ++in_v;
    } else if (in_cell && n == "is") {
      ++in_inline;
    } else if (in_inline > 0) {
      rich.start(n);
    } else if (n == "mergeCell") {
      const std::string_view ref = attribute(a, "ref");
      const auto colon = ref.find(':');
      if (colon == std::string_view::npos) return;
      const auto [c1, r1] = parse_reference(ref.substr(0, colon));
      const auto [c2, r2] = parse_reference(ref.substr(colon + 1));
      if (c1 == 0 || r1 == 0 || c2 < c1 || r2 < r1) return;
      merges.push_back({static_cast<std::uint32_t>(std::min<std::uint64_t>(r1, UINT32_MAX)),
                        static_cast<std::uint32_t>(std::min<std::uint64_t>(c1, UINT32_MAX)),
                        static_cast<std::uint32_t>(std::min<std::uint64_t>(r2, UINT32_MAX)),
                        static_cast<std::uint32_t>(std::min<std::uint64_t>(c2, UINT32_MAX))});
    }
  };
  h.end = [&](std::string_view n) {
    if (n == "v" && in_v > 0) {
      --in_v;
    } else if (n == "is" && in_inline > 0) {
      --in_inline;
    } else if (in_inline > 0) {
      rich.end(n);
    } else if (n == "c" && in_cell) {
      in_cell = false;
      if (row_hidden) return;
      std::string text;
      if (type == "s" && text::trim(value).empty()) {
        return;  // a shared-string cell without its value: an empty cell
      } else if (type == "s") {
        const auto index = to_number(text::trim(value), UINT64_MAX);
        if (index >= strings.size()) {
          stop = Error{part, 0, 0,
                       fmt::format("cell {}{} names shared string {}, of {}",
                                   column_letters(static_cast<std::uint32_t>(
                                       std::min<std::uint64_t>(column, 16384))),
                                   row, text::trim(value), strings.size())};
          return;
        }
        text = strings[index];
      } else if (type == "inlineStr") {
        text = std::move(rich.text);
      } else if (type == "b") {
        text = text::trim(value) == "1" ? "TRUE" : "FALSE";
      } else if (type == "str" || type == "e" || type == "d") {
        text = value;
      } else {
        text = show_number(text::trim(value));
      }
      if (auto e = builder.add(row, column, std::move(text))) stop = std::move(*e);
    }
  };
  h.text = [&](std::string_view s) {
    if (in_v > 0 && value.size() < k_max_cell_bytes * 2) value += s;
    if (in_inline > 0) rich.add(s);
  };
  if (auto r = parse_xml(*xml, part, h, stop); !r) return r.error();
  if (merges.size() > k_max_merges)
    return Error{part, 0, 0, fmt::format("more than {} merged ranges", k_max_merges)};
  std::set<std::uint32_t> hidden_columns;
  for (std::uint32_t c = 1; c < hidden_bits.size(); ++c)
    if (hidden_bits[c]) hidden_columns.insert(c);
  Sheet out = builder.finish(merges, hidden_columns);
  if (builder.m_over)
    return Error{part, 0, 0, "its merged ranges cover too many filled rows to be read"};
  return out;
}

Result<Workbook> read_xlsx(ZipArchive& zip, const std::string& path, const Limits& limits) {
  std::string workbook_part = "xl/workbook.xml";
  auto root = read_relationships(zip, "_rels/.rels", "");
  if (!root) return root.error();
  for (const auto& [id, rel] : *root)
    if (type_is(rel.type, "/officeDocument")) workbook_part = rel.target;
  if (!zip.has(workbook_part)) {
    return Error{path, 0, 0,
                 fmt::format("not an Office Open XML workbook: the archive has no {} (an "
                             "OpenDocument spreadsheet is read from .ods)",
                             workbook_part)};
  }
  const std::string base = directory_of(workbook_part);
  const std::string rels_part = base + "_rels/" + workbook_part.substr(base.size()) + ".rels";
  auto rels = read_relationships(zip, rels_part, base);
  if (!rels) return rels.error();
  std::string strings_part;
  for (const auto& [id, rel] : *rels)
    if (type_is(rel.type, "/sharedStrings")) strings_part = rel.target;
  auto strings = read_shared_strings(zip, strings_part);
  if (!strings) return strings.error();

  struct SheetRef {
    std::string name;
    std::string part;
  };
  std::vector<SheetRef> refs;
  auto xml = zip.read(workbook_part);
  if (!xml) return xml.error();
  XmlHandler h;
  std::optional<Error> stop;
  h.start = [&](std::string_view n, const XmlHandler::Attributes& a) {
    if (n != "sheet") return;
    const std::string_view state = attribute(a, "state");
    if (state == "hidden" || state == "veryHidden") return;
    const auto it = rels->find(std::string(attribute(a, "id")));
    if (it == rels->end() || !type_is(it->second.type, "/worksheet")) return;  // a chart sheet
    if (refs.size() >= k_max_sheets) {
      stop = Error{workbook_part, 0, 0, fmt::format("more than {} sheets", k_max_sheets)};
      return;
    }
    refs.push_back({std::string(attribute(a, "name")), it->second.target});
  };
  if (auto r = parse_xml(*xml, workbook_part, h, stop); !r) return r.error();
  // racine's own workbook (export --format xlsx, which names itself in a custom property)
  // holds the matrix in its first sheet; the others are views of it.
  if (zip.has("docProps/custom.xml") && refs.size() > 1) {
    auto custom = zip.read("docProps/custom.xml");
    if (!custom) return custom.error();
    bool own = false;
    XmlHandler ch;
    ch.start = [&](std::string_view n, const XmlHandler::Attributes& a) {
      own = own || (n == "property" && attribute(a, "name") == "racine");
    };
    if (auto r = parse_xml(*custom, "docProps/custom.xml", ch, stop); !r) return r.error();
    if (own) refs.resize(1);
  }
  Workbook book;
  std::uint64_t cells = 0;
  std::uint64_t bytes = 0;
  for (const auto& ref : refs) {
    auto s = read_xlsx_sheet(zip, ref.part, ref.name, *strings, limits, cells, bytes);
    if (!s) return s.error();
    book.sheets.push_back(std::move(*s));
  }
  return book;
}

// --- OpenDocument (.ods) ---------------------------------------------------------------

Result<Workbook> read_ods(ZipArchive& zip, const std::string& path, const Limits& limits) {
  if (!zip.has("content.xml")) {
    return Error{path, 0, 0,
                 "not an OpenDocument spreadsheet: the archive has no content.xml (an Office "
                 "Open XML workbook is read from .xlsx)"};
  }
  if (zip.has("mimetype")) {
    auto mime = zip.read("mimetype");
    if (!mime) return mime.error();
    if (text::trim(*mime) != "application/vnd.oasis.opendocument.spreadsheet") {
      return Error{path, 0, 0,
                   fmt::format("an OpenDocument file of type {}, not a spreadsheet",
                               text::escape_controls(text::trim(*mime).substr(0, 80)))};
    }
  }
  auto xml = zip.read("content.xml");
  if (!xml) return xml.error();
  const std::string part = "content.xml";
  Workbook book;
  std::uint64_t cells = 0;
  std::uint64_t bytes = 0;
  std::size_t sheets = 0;
  std::set<std::string> hidden_table_styles;
  std::string style_name;
  bool style_is_table = false;

  std::optional<SheetBuilder> builder;
  bool table_hidden = false;
  int table_depth = 0;  // tables inside cells are not read
  std::vector<bool> column_hidden;
  std::set<std::uint32_t> hidden_columns;
  std::uint64_t row = 0;  // the current row's number
  std::uint64_t row_repeat = 1;
  bool row_hidden = false;
  std::uint64_t column = 0;  // columns before the current cell
  std::uint64_t cell_repeat = 1;
  bool in_cell = false;
  bool covered = false;
  int in_annotation = 0;
  int paragraphs = 0;
  std::string text;
  struct PendingCell {
    std::uint64_t column;
    std::uint64_t repeat;
    std::string text;
  };
  std::vector<PendingCell> row_cells;

  XmlHandler h;
  std::optional<Error> stop;
  auto fail = [&](Error e) { stop = std::move(e); };
  h.start = [&](std::string_view n, const XmlHandler::Attributes& a) {
    if (n == "style") {
      style_name = std::string(attribute(a, "name"));
      style_is_table = attribute(a, "family") == "table";
    } else if (n == "table-properties") {
      if (style_is_table && attribute(a, "display") == "false")
        hidden_table_styles.insert(style_name);
    } else if (n == "table") {
      if (++table_depth > 1) return;
      table_hidden = hidden_table_styles.contains(std::string(attribute(a, "style-name")));
      if (++sheets > k_max_sheets) {
        fail(Error{part, 0, 0, fmt::format("more than {} sheets", k_max_sheets)});
        return;
      }
      builder.emplace(std::string(attribute(a, "name")), part, limits, cells, bytes);
      column_hidden.clear();
      hidden_columns.clear();
      row = 0;
    } else if (table_depth != 1) {
      return;
    } else if (n == "table-column") {
      const auto repeat =
          std::min<std::uint64_t>(to_number(attribute(a, "number-columns-repeated"), 1), 16384);
      const bool hidden = attribute(a, "visibility") == "collapse";
      for (std::uint64_t i = 0; i < repeat && column_hidden.size() < limits.max_columns; ++i) {
        column_hidden.push_back(hidden);
        if (hidden) hidden_columns.insert(static_cast<std::uint32_t>(column_hidden.size()));
      }
    } else if (n == "table-row") {
      row_repeat = std::max<std::uint64_t>(to_number(attribute(a, "number-rows-repeated"), 1), 1);
      const std::string_view visibility = attribute(a, "visibility");
      row_hidden = visibility == "collapse" || visibility == "filter";
      column = 0;
      row_cells.clear();
    } else if (n == "table-cell" || n == "covered-table-cell") {
      in_cell = true;
      covered = n == "covered-table-cell";
      cell_repeat =
          std::max<std::uint64_t>(to_number(attribute(a, "number-columns-repeated"), 1), 1);
      text.clear();
      paragraphs = 0;
    } else if (in_cell && n == "annotation") {
      ++in_annotation;
    } else if (in_cell && in_annotation == 0 && text.size() < k_max_cell_bytes * 2) {
      if (n == "p" || n == "h") {
        if (paragraphs++ > 0) text += '\n';
      } else if (n == "s") {
        const auto count = std::min<std::uint64_t>(to_number(attribute(a, "c"), 1), 1000);
        text.append(static_cast<std::size_t>(count), ' ');
      } else if (n == "tab") {
        text += '\t';
      } else if (n == "line-break") {
        text += '\n';
      }
    }
  };
  h.end = [&](std::string_view n) {
    if (n == "table") {
      if (table_depth-- > 1) return;
      if (!table_hidden && builder) book.sheets.push_back(builder->finish({}, hidden_columns));
      builder.reset();
    } else if (table_depth != 1) {
      return;
    } else if (in_cell && n == "annotation") {
      if (in_annotation > 0) --in_annotation;
    } else if (n == "table-cell" || n == "covered-table-cell") {
      in_cell = false;
      if (!covered && !text.empty() && !row_hidden)
        row_cells.push_back({column + 1, cell_repeat, std::move(text)});
      column = std::min<std::uint64_t>(column + cell_repeat, 1ULL << 32);
      text.clear();
    } else if (n == "table-row") {
      for (std::uint64_t i = 0; i < row_repeat && !row_cells.empty(); ++i) {
        for (const auto& c : row_cells) {
          for (std::uint64_t k = 0; k < c.repeat; ++k) {
            if (auto e = builder->add(row + 1 + i, c.column + k, c.text)) {
              fail(std::move(*e));
              return;
            }
          }
        }
      }
      row = std::min<std::uint64_t>(row + row_repeat, 1ULL << 32);
    }
  };
  h.text = [&](std::string_view s) {
    if (in_cell && in_annotation == 0 && table_depth == 1 && paragraphs > 0 &&
        text.size() < k_max_cell_bytes * 2)
      text += s;
  };
  if (auto r = parse_xml(*xml, part, h, stop); !r) return r.error();
  return book;
}

// --- The grid as Markdown ----------------------------------------------------------------

// A cell's text as Markdown that renders to exactly that text: one line, every ASCII
// punctuation character escaped (CommonMark lets any be escaped), controls dropped.
void append_escaped(std::string& out, std::string_view text) {
  bool space = false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (u < 0x20 || u == 0x7F) continue;
    if (space && !out.empty() && out.back() != ' ' && out.back() != '|') out += ' ';
    space = false;
    if (std::ispunct(u)) out += '\\';
    out += c;
  }
}

bool is_blank(std::string_view s) {
  return text::trim(s).empty();
}

}  // namespace

namespace {

// A cell that holds roles and nothing else ("RA", "A/R", "C"): what body rows of a RACI
// table have in their party columns. A role with a remark ("R - Responsible", a legend
// written in a party column) is not enough to tell where a table starts or goes on.
bool is_role_cell(std::string_view text) {
  const RoleCell r = parse_role_cell(text::trim(text));
  return !r.roles.empty() && r.unknown.empty() && r.remark.empty();
}

// Headers of a first column that groups rows ("Section", "Phase"): its values become
// group rows, as a person writing Markdown would write them.
bool is_grouping_header(std::string_view text) {
  static const std::set<std::string> k_words = {
      "section",  "sections", "phase",   "phases",    "category",  "categorie", "group",
      "groupe",   "stage",    "etape",   "domain",    "domaine",   "area",      "chapter",
      "chapitre", "theme",    "bereich", "kategorie", "categoria", "fase",      "fase/etapa"};
  return k_words.contains(text::fold(text::trim(text)));
}

class Renderer {
 public:
  Renderer(Rendered& out, std::uint64_t max_bytes)
      : m_out(out), m_md(out.markdown), m_max_bytes(max_bytes) {}

  // The Markdown grew past max-bytes (empty cells padded across a wide, long table):
  // rendering stopped there.
  [[nodiscard]] bool over() const { return m_md.size() > m_max_bytes; }

  void mark(std::uint32_t row, std::uint32_t column) {
    m_out.cells.entries.push_back({static_cast<std::uint32_t>(m_md.size()), m_sheet, row, column});
  }

  void paragraph(const Row& r, bool title) {
    bool first = true;
    for (const auto& c : r.cells) {
      if (is_blank(c.text)) continue;
      if (first) {
        mark(r.number, c.column);
        if (title) m_md += "# ";
      } else {
        m_md += ' ';
        mark(r.number, c.column);
      }
      first = false;
      append_escaped(m_md, text::trim(c.text));
    }
    m_md += "\n\n";
  }

  // One sheet: segments separated by empty rows; each is a title block and a table.
  void sheet(std::uint32_t index, const Sheet& sheet, const std::vector<const Row*>& rows,
             std::size_t header, bool heading, bool& titled) {
    m_sheet = index;
    m_hidden = &sheet.hidden_columns;
    // The document's title: the first row of the first title block (a level-1 heading);
    // then the sheet's name, when sheets are sections, then its other title rows.
    std::size_t i = 0;
    if (!titled && header > 0) {
      paragraph(*rows[0], true);
      titled = true;
      i = 1;
    }
    if (heading && header < rows.size()) {
      mark(rows[header]->number, 1);
      m_md += "## ";
      append_escaped(m_md, sheet.name);
      m_md += "\n\n";
    }
    for (; i < header; ++i) paragraph(*rows[i], false);
    if (header == rows.size()) return;
    // For each row, the first row from it on with roles outside its first cell.
    m_next_roles.assign(rows.size() + 1, rows.size());
    for (std::size_t k = rows.size(); k-- > 0;) {
      bool roles = false;
      for (std::size_t c = 1; c < rows[k]->cells.size() && !roles; ++c)
        roles = is_role_cell(rows[k]->cells[c].text);
      m_next_roles[k] = roles ? k : m_next_roles[k + 1];
    }
    std::size_t at = header;
    std::size_t segments = 0;
    while (at < rows.size() && !over()) {
      // Past k_max_segments tables in a sheet, the rest is text (each table looks ahead
      // for roles: many small ones would cost the square of the rows).
      if (++segments > k_max_segments) {
        for (; at < rows.size() && !over(); ++at) paragraph(*rows[at], false);
        break;
      }
      at = segment(rows, at, segments == 1);
    }
  }

 private:
  bool hidden(std::uint32_t c) const {
    return std::binary_search(m_hidden->begin(), m_hidden->end(), c);
  }

  // The table whose header is rows[start], up to an empty row followed by rows without
  // roles (a legend, notes); those and any later table are read again from there.
  // Returns where the next segment starts.
  std::size_t segment(const std::vector<const Row*>& rows, std::size_t start, bool first) {
    // Rows before the next header are a title block (only after the first table).
    std::size_t header = start;
    if (!first) {
      while (header < rows.size() && filled(*rows[header]) < 2) ++header;
      // A block without roles below its header (outside a row's first cell) is text, not
      // a table.
      const bool roles = header + 1 < rows.size() && m_next_roles[header + 1] < rows.size();
      if (header >= rows.size() || !roles) {
        for (std::size_t i = start; i < rows.size(); ++i) paragraph(*rows[i], false);
        return rows.size();
      }
      for (std::size_t i = start; i < header; ++i) paragraph(*rows[i], false);
    }
    // The table's rows: up to an empty row after which no row holds roles in a column of
    // the table (past its first one) before the next empty row.
    std::size_t end = header + 1;
    while (end < rows.size()) {
      if (rows[end]->number > rows[end - 1]->number + 1) {
        bool roles = false;
        for (std::size_t i = end; i < rows.size() && !roles; ++i) {
          if (i > end && rows[i]->number > rows[i - 1]->number + 1) break;
          for (const auto& c : rows[i]->cells) {
            if (c.column == rows[header]->cells.front().column) continue;
            roles = roles || is_role_cell(c.text);
          }
        }
        if (!roles) break;
      }
      ++end;
    }
    std::uint32_t lo = UINT32_MAX;
    std::uint32_t hi = 0;
    for (std::size_t i = header; i < end; ++i) {
      for (const auto& c : rows[i]->cells) {
        if (is_blank(c.text) || hidden(c.column)) continue;
        lo = std::min(lo, c.column);
        hi = std::max(hi, c.column);
      }
    }
    // A first column that groups rows becomes group rows.
    const Cell* head = cell(*rows[header], lo);
    const bool grouping = hi >= lo + 2 && head != nullptr && is_grouping_header(head->text);
    const std::uint32_t from = grouping ? lo + 1 : lo;
    write_row(*rows[header], from, hi);
    mark(rows[header]->number, from);
    m_md += "|";
    for (std::uint32_t c = from; c <= hi; ++c) m_md += hidden(c) ? "" : " --- |";
    m_md += "\n";
    std::string group;
    for (std::size_t i = header + 1; i < end; ++i) {
      if (grouping) {
        const Cell* g = cell(*rows[i], lo);
        if (g != nullptr && !is_blank(g->text) && text::trim(g->text) != group) {
          group = std::string(text::trim(g->text));
          mark(rows[i]->number, lo);
          m_md += "| ";
          append_escaped(m_md, group);
          m_md += " |";
          for (std::uint32_t c = from + 1; c <= hi; ++c) m_md += hidden(c) ? "" : "  |";
          m_md += "\n";
        }
      }
      write_row(*rows[i], from, hi);
    }
    if (end < rows.size()) m_md += "\n";
    return end;
  }

  static std::size_t filled(const Row& r) {
    std::size_t n = 0;
    for (const auto& c : r.cells) n += is_blank(c.text) ? 0U : 1U;
    return n;
  }

  static const Cell* cell(const Row& r, std::uint32_t column) {
    for (const auto& c : r.cells)
      if (c.column == column) return &c;
    return nullptr;
  }

  void write_row(const Row& r, std::uint32_t first, std::uint32_t last) {
    if (over()) return;
    mark(r.number, first);
    m_md += "|";
    auto it = r.cells.begin();
    for (std::uint32_t c = first; c <= last; ++c) {
      if (hidden(c)) continue;
      while (it != r.cells.end() && it->column < c) ++it;
      m_md += ' ';
      mark(r.number, c);
      if (it != r.cells.end() && it->column == c) append_escaped(m_md, text::trim(it->text));
      m_md += " |";
    }
    m_md += "\n";
  }

  Rendered& m_out;
  std::string& m_md;
  std::uint64_t m_max_bytes;
  std::vector<std::size_t> m_next_roles;
  std::uint32_t m_sheet = 0;
  const std::vector<std::uint32_t>* m_hidden = nullptr;
};

}  // namespace

Rendered render(const Workbook& book, std::uint64_t max_bytes) {
  Rendered out;
  // Each sheet's filled rows, and its header: the first row with two or more filled cells.
  struct Layout {
    std::vector<const Row*> rows;
    std::size_t header = 0;
  };
  std::vector<Layout> layouts(book.sheets.size());
  std::size_t with_table = 0;
  for (std::size_t s = 0; s < book.sheets.size(); ++s) {
    Layout& l = layouts[s];
    for (const auto& r : book.sheets[s].rows) {
      bool any = false;
      for (const auto& c : r.cells) any = any || !is_blank(c.text);
      if (any) l.rows.push_back(&r);
    }
    // The header: the last row of two or more filled cells above the first row with
    // roles (a title block, a project form or a small table above the matrix are text);
    // without roles anywhere, the first row of two or more filled cells.
    auto filled = [](const Row& r) {
      std::size_t n = 0;
      for (const auto& c : r.cells) n += is_blank(c.text) ? 0U : 1U;
      return n;
    };
    auto has_roles = [](const Row& r) {
      for (std::size_t k = 1; k < r.cells.size(); ++k)
        if (is_role_cell(r.cells[k].text)) return true;
      return false;
    };
    l.header = l.rows.size();
    std::size_t first_roles = l.rows.size();
    // (Roles in two rows running, a group row between them allowed: a single letter in a
    // project form is no matrix.)
    const std::size_t n = l.rows.size();
    for (std::size_t i = 0; i + 1 < n && first_roles == n; ++i) {
      if (!has_roles(*l.rows[i])) continue;
      if (has_roles(*l.rows[i + 1]) ||
          (filled(*l.rows[i + 1]) == 1 && i + 2 < n && has_roles(*l.rows[i + 2])))
        first_roles = i;
    }
    for (std::size_t i = first_roles < n ? first_roles : 0; i-- > 0 && l.header == n;)
      if (filled(*l.rows[i]) >= 2) l.header = i;
    for (std::size_t i = 0; i < l.rows.size() && l.header == l.rows.size(); ++i)
      if (filled(*l.rows[i]) >= 2) l.header = i;
    if (l.header < l.rows.size()) ++with_table;
  }
  Renderer r(out, max_bytes);
  bool titled = false;
  for (std::uint32_t s = 0; s < static_cast<std::uint32_t>(book.sheets.size()); ++s) {
    out.cells.sheets.push_back(book.sheets[s].name);
    if (layouts[s].rows.empty()) continue;
    if (!out.markdown.empty()) out.markdown += "\n";
    // Sheets are sections when there are several tables: "## Sheet name".
    r.sheet(s, book.sheets[s], layouts[s].rows, layouts[s].header, with_table > 1, titled);
    if (r.over()) {
      out.too_big = true;
      break;
    }
  }
  return out;
}

std::optional<Kind> kind_of(std::string_view name, bool is_format_name) {
  std::string ext;
  if (is_format_name) {
    ext = text::fold(name);
  } else {
    ext = std::filesystem::path(name).extension().string();
    if (!ext.empty()) ext.erase(0, 1);
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (ext == "xlsx" || ext == "xlsm") return Kind::xlsx;
  if (ext == "ods") return Kind::ods;
  return std::nullopt;
}

Result<Workbook> csv_grid(const std::vector<CsvRow>& rows, const SourcePtr& source) {
  Workbook book;
  Sheet sheet;
  sheet.name = std::filesystem::path(source->path()).stem().string();
  for (const auto& r : rows) {
    Row row{static_cast<std::uint32_t>(&r - rows.data() + 1), {}};
    for (std::size_t c = 0; c < r.fields.size(); ++c) {
      const auto& f = r.fields[c];
      std::string text = f.quoted ? f.value : std::string(text::trim(f.value));
      if (!text.empty())
        row.cells.push_back(Cell{static_cast<std::uint32_t>(c + 1), std::move(text)});
    }
    if (!row.cells.empty()) sheet.rows.push_back(std::move(row));
  }
  book.sheets.push_back(std::move(sheet));
  return book;
}

Result<Workbook> read_workbook(std::string_view bytes, Kind kind, const std::string& path,
                               const Limits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return Error{path, 0, 0,
                 fmt::format("input is {} bytes, above the limit of {} (raise limits.max-bytes "
                             "in .racine.yaml to read it)",
                             bytes.size(), limits.max_bytes)};
  }
  auto zip = ZipArchive::open(bytes, path, limits.max_bytes);
  if (!zip) return zip.error();
  auto book = kind == Kind::xlsx ? read_xlsx(**zip, path, limits) : read_ods(**zip, path, limits);
  if (!book) {
    Error e = book.error();
    // Errors in a part name the file and the part: "matrix.xlsx: xl/worksheets/sheet1.xml:3".
    if (e.path != path) {
      e.message =
          fmt::format("{}{}: {}", e.path, e.line > 0 ? fmt::format(":{}", e.line) : "", e.message);
      e.path = path;
      e.line = 0;
      e.column = 0;
    }
    return e;
  }
  return book;
}

Result<Matrix> read_grid(const Workbook& book, const std::string& path,
                         const ReadOptions& options) {
  Rendered r = render(book, options.limits.max_bytes);
  if (r.too_big) {
    return Error{path, 0, 0,
                 fmt::format("its tables, written out with their empty cells, pass {} bytes "
                             "(limits.max-bytes in .racine.yaml): far wider and longer than a "
                             "matrix",
                             options.limits.max_bytes)};
  }
  if (r.cells.entries.empty()) {
    return Error{path, 0, 0,
                 book.sheets.empty() ? "the workbook has no visible sheet"
                                     : "the workbook's visible sheets have no filled cell"};
  }
  auto cells = std::make_shared<CellMap>(std::move(r.cells));
  auto source = std::make_shared<SourceFile>(path, std::move(r.markdown));
  source->set_cells(cells);
  auto m = read_markdown(source, options);
  if (!m) {
    Error e = m.error();
    // "skipped: line 11: ..." names a line of the Markdown: say the cell instead. Only the
    // reader's own places are changed (at the start, after "skipped: " or "; "), never
    // a cell's text quoted in the message.
    std::string message;
    auto reader_place = [&](std::size_t hit) {
      const std::string_view before = std::string_view(e.message).substr(0, hit);
      return hit == 0 || before.ends_with("skipped: ") || before.ends_with("; ");
    };
    for (std::size_t at = 0; at < e.message.size();) {
      auto hit = e.message.find("line ", at);
      while (hit != std::string::npos && !reader_place(hit)) hit = e.message.find("line ", hit + 5);
      std::size_t digits = hit == std::string::npos ? 0 : hit + 5;
      while (digits < e.message.size() && hit != std::string::npos &&
             std::isdigit(static_cast<unsigned char>(e.message[digits])))
        ++digits;
      if (hit == std::string::npos || digits == hit + 5) {
        message +=
            e.message.substr(at, hit == std::string::npos ? std::string::npos : hit + 5 - at);
        at = hit == std::string::npos ? e.message.size() : hit + 5;
        continue;
      }
      const auto line = static_cast<std::uint32_t>(std::min<std::size_t>(
          to_number(e.message.substr(hit + 5, digits - hit - 5), 0), UINT32_MAX));
      const std::string cell = source->cell(source->line_start(line));
      message += e.message.substr(at, hit - at);
      message += cell.empty() ? e.message.substr(hit, digits - hit) : "cell " + cell;
      at = digits;
    }
    e.message = std::move(message);
    if (e.line > 0) {
      const std::string cell = source->cell(source->line_start(e.line));
      if (!cell.empty()) e.path = fmt::format("{}:{}", e.path, cell);
      e.line = 0;
      e.column = 0;
    }
    return e;
  }
  return m;
}

Result<Matrix> read_spreadsheet(std::string_view bytes, Kind kind, const std::string& path,
                                const ReadOptions& options) {
  auto book = read_workbook(bytes, kind, path, options.limits);
  if (!book) return book.error();
  return read_grid(*book, path, options);
}

Result<Matrix> read_spreadsheet_file(const std::string& path, Kind kind,
                                     const ReadOptions& options) {
  std::string bytes;
  const std::uint64_t cap = options.limits.max_bytes + 1;
  auto slurp = [&](std::istream& in) {
    char buffer[1 << 16];
    while (bytes.size() < cap && (in.read(buffer, sizeof buffer) || in.gcount() > 0))
      bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
  };
  if (path == "-") {
    slurp(std::cin);
  } else {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return Error{path, 0, 0, "no such file"};
    if (std::filesystem::is_directory(path, ec))
      return Error{path, 0, 0, "is a directory, not a file"};
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{path, 0, 0, "cannot be opened for reading"};
    slurp(in);
  }
  return read_spreadsheet(bytes, kind, path == "-" ? "<stdin>" : path, options);
}

}  // namespace racine::sheet
