#pragma once
// The model of a responsibility matrix, whatever format it was read from: parties,
// sections of activities with one cell per party, notes bound to markers, options,
// and what the reader saw but did not take (skipped tables, suppression comments).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/boxed.h"
#include "core/roles.h"
#include "core/source.h"

namespace racine {

// One way a party was written in a header, e.g. "Rolle Kunde" in the table at `span`.
struct Spelling {
  std::string text;  // header text with inline markup removed
  Span span;         // the header cell
};

// A column of the matrix: who can hold roles.
struct Party {
  std::string id;                   // stable slug: "cloud-temple"
  std::string name;                 // display name: "Cloud Temple"
  std::vector<Spelling> spellings;  // every header that named it, in document order
};

// What few cells carry besides their roles.
struct CellExtras {
  std::vector<std::string> markers;  // footnote markers on the cell
  std::string unknown;               // characters that are no role (RAC101)
  std::string remark;                // parenthesised comment: "R (veto)" -> "veto"
};

// What one party holds on one activity. A matrix holds one cell per party and activity
// (four million in the 50 MB benchmark), and nearly all of them are role letters only:
// what few cells carry besides is kept out of line, so that a cell is 56 bytes, not 136
// (docs/performance.md, "Third round: the model made smaller").
struct Cell {
  bool present = false;  // the activity's table has a column for this party
  RoleSet roles;
  std::string text;  // the cell as rendered, for quoting
  Span span;

  [[nodiscard]] const std::vector<std::string>& markers() const;
  [[nodiscard]] const std::string& unknown() const;
  [[nodiscard]] const std::string& remark() const;
  // Whether the cell holds extras (a cell of role letters only holds none).
  [[nodiscard]] bool has_extras() const { return m_extras.get() != nullptr; }
  // The extras to change, made on first use.
  CellExtras& edit();
  void set_extras(CellExtras extras);

 private:
  Boxed<CellExtras> m_extras;
};

// An extra column kept with an activity (ID, domain, SLA, comments).
struct Field {
  std::string name;
  std::string value;
};

// A row of a RACI table.
struct Activity {
  std::string id;            // unique slug within the matrix
  bool explicit_id = false;  // written in the source (canonical formats, CSV), not derived
  std::string title;         // inline markup removed
  Span span;                 // the whole source line
  std::vector<Cell> cells;   // indexed like Matrix::parties
  std::vector<std::string> title_markers;  // markers inside the title ("opérateurs*")
  std::vector<Field> fields;
  std::uint32_t table = 0;         // index into Matrix::tables
  std::uint32_t source_cells = 0;  // cells written on the source line
  // The title in several languages (canonical formats: `title: {fr: ..., en: ...}`),
  // in the order written; `title` is the one in the matrix's language, else the first.
  std::vector<std::pair<std::string, std::string>> titles;
};

// A heading (or a section row inside a table) and the activities under it.
struct Section {
  std::string title;
  int level = 0;  // heading level; 0 for a section row or a document without headings
  Span span;
  std::vector<Activity> activities;
};

// A RACI table as written: where its header is and how wide it is.
struct Table {
  Span span;                         // the header line
  std::uint32_t header_cells = 0;    // cells in the header row
  bool transposed = false;           // roles as columns, party names in cells
  std::vector<std::size_t> parties;  // of a transposed table: every party its cells name
};

// A paragraph that explains a marker ("*Ces responsabilités peuvent être déléguées...").
struct Note {
  std::string marker;  // "*", "(1)"
  std::string text;    // rendered, marker removed
  Span span;
  bool in_table_row = false;  // written under a table without a blank line (RAC303)
  int after_section = -1;     // the section whose table it follows; -1: before them all
};

// Where a marker is used: on a party's cell, or in the title of an activity.
struct MarkerUse {
  std::string marker;
  Span span;
  std::uint32_t section = 0;
  std::uint32_t activity = 0;
  int party = -1;  // -1: in the title
  int note = -1;   // index into Matrix::notes of the note it binds to; -1 when none
};

// What an option does to one activity: the roles some parties hold under it.
struct OptionEffect {
  struct Assignment {
    std::size_t party = 0;  // index into Matrix::parties
    RoleSet roles;
  };
  std::uint32_t section = 0;
  std::uint32_t activity = 0;
  std::vector<Assignment> roles;  // parties not listed keep their roles
};

// A contract option: a note saying cells can be handed to another party under an extra
// contract. Markdown gives the note and its marker; the effect on each delegable row is
// then derived (src/resolve). A canonical document may state the effects instead.
struct Option {
  std::string id;
  std::string marker;
  std::string text;
  int note = -1;                  // index into Matrix::notes
  int delegate = -1;              // the party the note names; -1 when it names none
  bool explicit_effects = false;  // `effects` is stated, not derived
  std::vector<OptionEffect> effects;
};

// What the matrix says it does not cover ("Zone grise : adaptations et extensions...").
struct GrayZone {
  std::string text;
  Span span;
};

// A concept of the matrix's own glossary for lookups (canonical `glossary:` key): the
// words its people use for it ("PRA" for disaster recovery). An id the built-in glossary
// has adds words to that concept; another id is a new concept (docs/query.md).
struct GlossaryEntry {
  std::string concept_id;
  std::vector<std::string> words;
  Span span;
};

// Something the reader saw and did not take, and why.
struct Skipped {
  Span span;
  std::string reason;
  bool broken_table = false;  // a table that formatting broke (reported as RAC102)
};

// An inline suppression: `<!-- racine-disable-next-line RAC202 -->` and its kin.
struct Suppression {
  enum class Kind : std::uint8_t { next_line, line, range_start, range_end };
  Kind kind = Kind::next_line;
  std::vector<std::string> codes;  // empty: every code
  Span span;                       // the comment
  std::uint32_t line = 0;          // line of the comment
};

// A whole matrix, as read from one document.
struct Matrix {
  std::string id;
  std::string title;
  std::string language;  // "fr", "en", "de", "es", "it", or "" when unknown
  RoleVocabulary roles;  // the role letters cells may hold (RACI unless the document says)
  SourcePtr source;
  std::vector<Party> parties;
  std::vector<Section> sections;
  std::vector<Table> tables;
  std::vector<Note> notes;
  std::vector<MarkerUse> marker_uses;
  std::vector<Option> options;
  std::optional<GrayZone> gray_zone;
  std::vector<GlossaryEntry> glossary;
  std::vector<Skipped> skipped;
  std::vector<Suppression> suppressions;

  // Number of activities in all sections.
  [[nodiscard]] std::size_t activity_count() const;
  // Display names of the parties, in column order.
  [[nodiscard]] std::vector<std::string> party_names() const;
};

}  // namespace racine
