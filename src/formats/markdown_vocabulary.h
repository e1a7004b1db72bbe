#pragma once
// Markdown reader, vocabulary stage: which role letters the document uses, found before
// its tables are read (a pass over its lines, no parse).

#include <string>

#include "core/matrix.h"
#include "core/source.h"

namespace racine::markdown {

// The role letters of a document: RACI, or RASCI or DACI when its title (`title`, from
// the front matter) or a heading names them, plus the letters of a legend table (at
// least two rows whose first cell is "(X) word"). A document that names DACI but whose
// cells use R and never D is RACI: the letters people wrote decide over a word in a
// heading ("RACI & DACI", a title such as "2) daci" written by another tool).
RoleVocabulary detect_roles(const SourceFile& src, const std::string& title);

}  // namespace racine::markdown
