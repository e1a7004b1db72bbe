#include "cli/output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "cli/messages.h"
#include "core/escape.h"
#include "formats/document.h"
#include "reports/compliance.h"
#include "reports/page.h"

namespace racine::cli {

namespace {

// The canonical name of a format name or alias; nullopt for an unknown one.
std::optional<std::string> canonical(const std::string& name) {
  if (const auto f = parse_format(name)) return std::string(format_name(*f));
  for (const char* n : {"html", "xlsx", "oscal", "ccm", "ccm-csv", "alertmanager", "oscal-ssp",
                        "oscal-ssp-customer", "crm-xlsx", "backstage"}) {
    if (name == n) return name;
  }
  return std::nullopt;
}

// The formats an extension stands for (the first is the one it means alone); empty for
// an extension no format has.
std::vector<std::string> formats_of_extension(const std::string& output) {
  std::string ext = std::filesystem::path(output).extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  for (auto& c : ext) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (ext == "md" || ext == "markdown") return {"md"};
  if (ext == "yaml" || ext == "yml") return {"yaml", "backstage"};
  if (ext == "json") return {"json", "oscal", "ccm", "oscal-ssp", "oscal-ssp-customer"};
  if (ext == "csv") return {"csv", "ccm-csv"};
  if (ext == "html" || ext == "htm") return {"html"};
  if (ext == "xlsx") return {"xlsx", "crm-xlsx"};
  return {};
}

}  // namespace

const std::vector<std::string>& output_formats() {
  static const std::vector<std::string> k_names = [] {
    std::vector<std::string> v = format_names();
    v.insert(v.end(), {"html", "xlsx", "oscal", "ccm", "ccm-csv"});
    return v;
  }();
  return k_names;
}

const std::vector<std::string>& export_formats() {
  static const std::vector<std::string> k_names = [] {
    std::vector<std::string> v = output_formats();
    v.insert(v.end(), {"alertmanager", "oscal-ssp", "oscal-ssp-customer", "crm-xlsx", "backstage"});
    return v;
  }();
  return k_names;
}

std::string output_format_list() {
  return "md, yaml, json, csv, html, xlsx, oscal, ccm, ccm-csv";
}

Result<std::string> choose_output_format(const std::string& command,
                                         const std::optional<std::string>& flag,
                                         const std::string& output,
                                         const std::optional<std::string>& fallback) {
  const bool to_file = !output.empty() && output != "-";
  const std::vector<std::string> by_ext =
      to_file ? formats_of_extension(output) : std::vector<std::string>{};
  if (flag) {
    const auto f = canonical(*flag);
    if (!f)
      return Error{
          "", 0, 0,
          trf("{}: unknown format '{}' (formats: {})", command, *flag, output_format_list())};
    // An Alertmanager configuration is YAML: alertmanager.yml.
    const bool yaml_document = *f == "alertmanager" && !by_ext.empty() && by_ext.front() == "yaml";
    if (!by_ext.empty() && !yaml_document &&
        std::find(by_ext.begin(), by_ext.end(), *f) == by_ext.end()) {
      std::string fits;
      for (const auto& e : by_ext) fits += (fits.empty() ? "" : ", ") + e;
      return Error{
          "", 0, 0,
          trf("{}: {} would write {} under the extension of another format ({}): change the "
              "extension or the format",
              command, output, *f, fits)};
    }
    return *f;
  }
  if (!by_ext.empty()) return by_ext.front();
  if (fallback) return *fallback;
  return Error{"", 0, 0,
               trf("{}: the extension of {} names no format: give --to ({})", command, output,
                   output_format_list())};
}

void add_report_lang(CLI::App* app, std::string& lang) {
  app->add_option("--lang", lang,
                  tr("Language of the html and xlsx reports' labels: fr or en (de, es and it "
                     "give en; default: the matrix's language, else en)"))
      ->check(CLI::IsMember({"fr", "en", "de", "es", "it"}))
      ->option_text("LANG");
}

int write_matrix(const Matrix& m, const std::string& format, const std::string& output,
                 const PageContext& page) {
  if (format == "xlsx") {
    if (output.empty() || output == "-") {
      print_usage_error(
          page.command == "convert"
              ? std::string(tr("convert --to xlsx writes a file: give OUT.xlsx"))
              : trf("{} --format xlsx writes a file: give -o FILE.xlsx", page.command));
      return k_exit_error;
    }
    auto config = config_for(page.file, page.input);
    auto bytes = reports::xlsx_report(m, config ? *config : config::Config{}, page.lang);
    if (!bytes) {
      print_error(bytes.error());
      return k_exit_error;
    }
    return write_output(*bytes, output);
  }
  if (format == "html") {
    auto config = config_for(page.file, page.input);
    return write_output(reports::html_page(m, config ? *config : config::Config{}, page.original,
                                           page.with, page.lang),
                        output);
  }
  if (format == "oscal") {
    auto now = timestamp();
    if (!now) {
      print_error(now.error());
      return k_exit_error;
    }
    return write_output(reports::write_oscal(m, *now), output);
  }
  if (format == "ccm") return write_output(reports::write_ccm_json(m), output);
  if (format == "ccm-csv") return write_output(reports::write_ccm_csv(m), output);
  const auto f = parse_format(format);
  if (!f) {
    print_usage_error(trf("unknown format '{}' (formats: {})", format, output_format_list()));
    return k_exit_error;
  }
  return write_output(write_document(m, *f), output);
}

Result<std::string> timestamp() {
  constexpr long long k_max =
      253402300799LL;  // 9999-12-31T23:59:59Z: RFC 3339 has four-digit years
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    const std::string_view v(epoch);
    long long n = -1;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < 0 || n > k_max) {
      return Error{
          "SOURCE_DATE_EPOCH", 0, 0,
          fmt::format("'{}' is not a time: give whole seconds since 1970-01-01 UTC, from 0 to {}",
                      text::escape_controls(v), k_max)};
    }
    t = static_cast<std::time_t>(n);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf);
}

}  // namespace racine::cli
