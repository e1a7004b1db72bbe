#pragma once
// Builds a ZIP archive in memory (libzip), for the spreadsheet reader's tests and fuzz
// harness: parts written as text in the test, so that every fixture reads as XML.

#include <zip.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace racine::ziptest {

struct ZipPart {
  std::string name;
  std::string bytes;
  bool store = false;  // stored, not deflated
};

// The archive's bytes. Throws on a libzip failure (a test defect, not an input's).
inline std::string make_zip(const std::vector<ZipPart>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (out == nullptr) throw std::runtime_error("zip_source_buffer_create");
  zip_t* za = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  if (za == nullptr) throw std::runtime_error("zip_open_from_source");
  zip_source_keep(out);
  for (const auto& p : parts) {
    zip_source_t* s = zip_source_buffer(za, p.bytes.data(), p.bytes.size(), 0);
    const zip_int64_t index =
        zip_file_add(za, p.name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) throw std::runtime_error("zip_file_add: " + p.name);
    zip_set_file_compression(za, static_cast<zip_uint64_t>(index),
                             p.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 1);
  }
  if (zip_close(za) != 0) throw std::runtime_error("zip_close");
  std::string bytes;
  if (zip_source_open(out) != 0) throw std::runtime_error("zip_source_open");
  char buffer[1 << 16];
  zip_int64_t n = 0;
  while ((n = zip_source_read(out, buffer, sizeof buffer)) > 0)
    bytes.append(buffer, static_cast<std::size_t>(n));
  zip_source_close(out);
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

// The parts of a minimal workbook: one sheet per (name, sheet XML) pair, the shared
// strings given (none: no sharedStrings part), hidden sheets by name.
inline std::vector<ZipPart> xlsx_parts(
    const std::vector<std::pair<std::string, std::string>>& sheets,
    const std::vector<std::string>& shared = {}, const std::vector<std::string>& hidden = {}) {
  const std::string ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  std::string workbook =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workbook "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"" +
      ns + "\"><sheets>";
  std::string rels =
      "<?xml version=\"1.0\"?>\n<Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  std::vector<ZipPart> parts;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    bool is_hidden = false;
    for (const auto& h : hidden) is_hidden = is_hidden || h == sheets[i].first;
    workbook += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n +
                "\"" + (is_hidden ? " state=\"hidden\"" : "") + "/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + ns +
            "/worksheet\" Target=\"worksheets/sheet" + n + ".xml\"/>";
    parts.push_back({"xl/worksheets/sheet" + n + ".xml",
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet "
                     "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" +
                         sheets[i].second + "</worksheet>"});
  }
  workbook += "</sheets></workbook>";
  if (!shared.empty()) {
    rels += "<Relationship Id=\"rIdS\" Type=\"" + ns +
            "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
    std::string sst =
        "<?xml version=\"1.0\"?>\n<sst "
        "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
    for (const auto& s : shared)
      sst += s.rfind("<", 0) == 0 ? "<si>" + s + "</si>" : "<si><t>" + s + "</t></si>";
    sst += "</sst>";
    parts.push_back({"xl/sharedStrings.xml", sst});
  }
  rels += "</Relationships>";
  parts.push_back({"xl/workbook.xml", workbook});
  parts.push_back({"xl/_rels/workbook.xml.rels", rels});
  parts.push_back({"_rels/.rels",
                   "<?xml version=\"1.0\"?>\n<Relationships "
                   "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                   "<Relationship Id=\"rId1\" Type=\"" +
                       ns + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"});
  parts.push_back({"[Content_Types].xml",
                   "<?xml version=\"1.0\"?>\n<Types "
                   "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"});
  return parts;
}

// The parts of a minimal OpenDocument spreadsheet whose body is `tables` (table:table
// elements), with `styles` as its automatic styles.
inline std::vector<ZipPart> ods_parts(const std::string& tables, const std::string& styles = "") {
  return {
      {"mimetype", "application/vnd.oasis.opendocument.spreadsheet", true},
      {"content.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content "
       "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
       "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
       "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
       "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:automatic-styles>" +
           styles + "</office:automatic-styles><office:body><office:spreadsheet>" + tables +
           "</office:spreadsheet></office:body></office:document-content>"}};
}

}  // namespace racine::ziptest
