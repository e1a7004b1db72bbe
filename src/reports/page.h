#pragma once
// Everything the HTML page shows besides the matrix, gathered in one place so that every
// front end renders the same page: `racine export/convert/resolve --format html` and the
// server's `?format=html` call gather_page (or html_page) with what they have.

#include <string>
#include <vector>

#include "core/matrix.h"
#include "lint/config.h"
#include "reports/html_writer.h"

namespace racine::reports {

// The page's extras for `m`: the lint findings of `m` under `config`, on the row they
// point at; the cells an option of `m` makes delegable, with the option's note; and,
// when `with` is not empty and `original` is given, the cells the options `with` changed
// from `original` (the matrix before them) and the list of options applied.
HtmlExtras gather_page(const Matrix& m, const lint::Config& config,
                       const Matrix* original = nullptr, const std::vector<std::string>& with = {});

// The whole page: write_html(m, gather_page(m, config, original, with)).
std::string html_page(const Matrix& m, const lint::Config& config, const Matrix* original = nullptr,
                      const std::vector<std::string>& with = {});

}  // namespace racine::reports
