#include "formats/spreadsheet_zip.h"

#include <fmt/format.h>
#include <zip.h>

#include "formats/spreadsheet.h"

namespace racine::sheet {

Result<std::unique_ptr<ZipArchive>> ZipArchive::open(std::string_view bytes,
                                                     const std::string& path,
                                                     std::uint64_t budget) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Error{path, 0, 0, "cannot be read as a ZIP archive: " + message};
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (archive == nullptr) {
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(source);
    return Error{
        path, 0, 0,
        fmt::format("not a spreadsheet: it cannot be opened as a ZIP archive ({})", message)};
  }
  zip_error_fini(&error);
  const zip_int64_t entries = zip_get_num_entries(archive, 0);
  if (entries < 0 || static_cast<std::uint64_t>(entries) > k_max_zip_entries) {
    zip_discard(archive);
    return Error{path, 0, 0,
                 fmt::format("the archive has {} entries, above the {} a spreadsheet may have",
                             entries, k_max_zip_entries)};
  }
  return std::unique_ptr<ZipArchive>(new ZipArchive(archive, path, budget));
}

ZipArchive::~ZipArchive() {
  zip_discard(m_zip);
}

bool ZipArchive::has(const std::string& name) const {
  return zip_name_locate(m_zip, name.c_str(), 0) >= 0;
}

Result<std::string> ZipArchive::read(const std::string& name) {
  const zip_int64_t index = zip_name_locate(m_zip, name.c_str(), 0);
  if (index < 0) return Error{m_path, 0, 0, fmt::format("the archive has no part {}", name)};
  zip_file_t* file = zip_fopen_index(m_zip, static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) {
    const int code = zip_error_code_zip(zip_get_error(m_zip));
    const bool locked =
        code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP;
    return Error{m_path, 0, 0,
                 fmt::format("the part {} cannot be read ({}){}", name, zip_strerror(m_zip),
                             locked ? ": an encrypted or password-protected workbook is not read"
                             : code == ZIP_ER_COMPNOTSUPP
                                 ? ": save the workbook again with ordinary (deflate) compression"
                                 : "")};
  }
  std::string out;
  char buffer[1 << 16];
  while (true) {
    const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
    if (n < 0) {
      std::string message = zip_file_strerror(file);
      zip_fclose(file);
      return Error{m_path, 0, 0, fmt::format("the part {} is damaged ({})", name, message)};
    }
    if (n == 0) break;
    if (static_cast<std::uint64_t>(n) > m_budget) {
      zip_fclose(file);
      return Error{m_path, 0, 0,
                   fmt::format("the part {} unpacks past the limit of what a spreadsheet may "
                               "unpack to (limits.max-bytes in .racine.yaml): a ZIP bomb, or "
                               "a workbook far larger than a matrix",
                               name)};
    }
    m_budget -= static_cast<std::uint64_t>(n);
    out.append(buffer, static_cast<std::size_t>(n));
  }
  zip_fclose(file);
  return out;
}

namespace {

struct ParseState {
  XmlHandler* handler = nullptr;
  std::optional<Error>* stop = nullptr;
  XML_Parser parser = nullptr;
  std::string part;
  XmlHandler::Attributes attributes;
};

std::string_view local_name(const XML_Char* name) {
  std::string_view n(name);
  const auto bar = n.rfind('|');
  return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

void on_start(void* data, const XML_Char* name, const XML_Char** atts) {
  auto* s = static_cast<ParseState*>(data);
  if (s->stop->has_value() || !s->handler->start) return;
  s->attributes.clear();
  for (std::size_t i = 0; atts[i] != nullptr; i += 2)
    s->attributes.emplace_back(local_name(atts[i]), std::string_view(atts[i + 1]));
  s->handler->start(local_name(name), s->attributes);
  if (s->stop->has_value()) XML_StopParser(s->parser, XML_FALSE);
}

void on_end(void* data, const XML_Char* name) {
  auto* s = static_cast<ParseState*>(data);
  if (s->stop->has_value() || !s->handler->end) return;
  s->handler->end(local_name(name));
  if (s->stop->has_value()) XML_StopParser(s->parser, XML_FALSE);
}

void on_text(void* data, const XML_Char* text, int len) {
  auto* s = static_cast<ParseState*>(data);
  if (s->stop->has_value() || !s->handler->text) return;
  s->handler->text(std::string_view(text, static_cast<std::size_t>(len)));
  if (s->stop->has_value()) XML_StopParser(s->parser, XML_FALSE);
}

void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* s = static_cast<ParseState*>(data);
  *s->stop = Error{s->part, static_cast<std::uint32_t>(XML_GetCurrentLineNumber(s->parser)), 0,
                   "a document type declaration (<!DOCTYPE>), which no spreadsheet has: "
                   "refused, so that no entity is ever expanded"};
  XML_StopParser(s->parser, XML_FALSE);
}

}  // namespace

Result<bool> parse_xml(const std::string& xml, const std::string& part, XmlHandler& handler,
                       std::optional<Error>& stop) {
  XML_Parser parser = XML_ParserCreateNS(nullptr, '|');
  if (parser == nullptr) return Error{part, 0, 0, "out of memory"};
  ParseState state{&handler, &stop, parser, part, {}};
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(parser, on_start, on_end);
  XML_SetCharacterDataHandler(parser, on_text);
  XML_SetStartDoctypeDeclHandler(parser, on_doctype);
  const auto status = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE);
  std::optional<Error> error;
  if (stop) {
    error = *stop;
    if (error->path.empty()) error->path = part;
  } else if (status != XML_STATUS_OK) {
    error =
        Error{part, static_cast<std::uint32_t>(XML_GetCurrentLineNumber(parser)),
              static_cast<std::uint32_t>(XML_GetCurrentColumnNumber(parser) + 1),
              fmt::format("not well-formed XML: {}", XML_ErrorString(XML_GetErrorCode(parser)))};
  }
  XML_ParserFree(parser);
  if (error) return *error;
  return true;
}

std::string_view attribute(const XmlHandler::Attributes& attributes, std::string_view name) {
  for (const auto& [k, v] : attributes)
    if (k == name) return v;
  return {};
}

}  // namespace racine::sheet
