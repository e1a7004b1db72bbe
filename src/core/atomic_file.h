#pragma once
// Writing a file the safe way, for every command that writes one (`fmt` in place,
// `-o FILE`, the XLSX workbook): readers of the file see its old bytes or its new ones,
// never half of them, and nothing but the file named is touched. The library writes a
// file only when asked to, and never prints: failures come back as an Error.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace racine {

// Writes `bytes` to `path`:
// - a symbolic link is resolved to the file it names, and that file is written (the
//   link stays a link);
// - a regular file (or a new one) is replaced atomically: a temporary file is created
//   with O_EXCL beside the target (in the target's folder), written, fsync'ed, given the
//   target's permission bits (new files: 0666 less the umask), then renamed over the
//   target; the folder is fsync'ed after;
// - anything else that exists and is not a folder (a device such as /dev/null or
//   /dev/full, a FIFO) is written in place, as a stream.
// On failure the target is as it was, the temporary file is removed, and the Error says
// `path: cannot be written: <the system's message>`.
std::optional<Error> write_file_atomic(const std::string& path, std::string_view bytes);

}  // namespace racine
