// Markers bound to their notes, one implementation for every reader (core/markers.h).

#include <gtest/gtest.h>

#include "core/markers.h"

namespace racine {
namespace {

// Two sections of one activity each, both marked '*' on the title and on party 0's cell.
// Notes '*': one written between the two sections' rows (after section 0), one at the end.
Matrix two_sections() {
  Matrix m;
  m.parties = {{"Client", {}, {}}};
  for (std::uint32_t s = 0; s < 2; ++s) {
    Section sec;
    Activity a;
    a.title = "Task*";
    a.title_markers = {"*"};
    a.span = {100 * (s + 1), 100 * (s + 1) + 10};
    a.cells.resize(1);
    a.cells[0].edit().markers = {"*"};
    a.cells[0].span = {100 * (s + 1) + 5, 100 * (s + 1) + 6};
    sec.activities.push_back(a);
    m.sections.push_back(sec);
  }
  Note early;
  early.marker = "*";
  early.text = "first";
  early.span = {150, 160};
  early.after_section = 0;
  Note late;
  late.marker = "*";
  late.text = "second";
  late.span = {300, 310};
  late.after_section = 1;
  m.notes = {early, late};
  return m;
}

TEST(Markers, ByPositionBindsTheNearestFollowingNote) {
  Matrix m = two_sections();
  bind_markers(m, MarkerBinding::by_position);
  ASSERT_EQ(m.marker_uses.size(), 4U);
  // Document order: section 0's title then cell, then section 1's.
  EXPECT_EQ(m.marker_uses[0].party, -1);
  EXPECT_EQ(m.marker_uses[1].party, 0);
  EXPECT_EQ(m.marker_uses[0].note, 0);
  EXPECT_EQ(m.marker_uses[1].note, 0);
  EXPECT_EQ(m.marker_uses[2].section, 1U);
  EXPECT_EQ(m.marker_uses[2].note, 1);
  EXPECT_EQ(m.marker_uses[3].note, 1);
}

TEST(Markers, BySectionBindsTheFirstNoteAfterTheUsesSection) {
  Matrix m = two_sections();
  // Canonical notes have no meaningful order of positions: only after_section counts.
  m.notes[0].span = {900, 910};
  m.notes[1].span = {10, 20};
  bind_markers(m, MarkerBinding::by_section);
  ASSERT_EQ(m.marker_uses.size(), 4U);
  EXPECT_EQ(m.marker_uses[0].note, 0);
  EXPECT_EQ(m.marker_uses[2].note, 1);
  // By position, the same spans would bind section 0's uses to the note at 900 and
  // section 1's to it as well: the two policies differ.
  Matrix p = two_sections();
  p.notes[0].span = {900, 910};
  p.notes[1].span = {10, 20};
  bind_markers(p, MarkerBinding::by_position);
  EXPECT_EQ(p.marker_uses[2].note, 0);
}

TEST(Markers, NoneListsUsesUnbound) {
  Matrix m = two_sections();
  bind_markers(m, MarkerBinding::none);
  ASSERT_EQ(m.marker_uses.size(), 4U);
  for (const auto& use : m.marker_uses) EXPECT_EQ(use.note, -1);
}

TEST(Markers, AMarkerWithoutItsNoteStaysUnbound) {
  Matrix m = two_sections();
  m.notes[0].marker = "(1)";
  m.notes[1].marker = "(1)";
  bind_markers(m, MarkerBinding::by_position);
  for (const auto& use : m.marker_uses) EXPECT_EQ(use.note, -1);
}

}  // namespace
}  // namespace racine
