#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <vector>

namespace racine {

namespace {

namespace fs = std::filesystem;

Error failure(const std::string& path, int err) {
  return Error{path, 0, 0, std::string("cannot be written: ") + std::strerror(err)};
}

// Writes all of `bytes` to `fd`; 0, else the errno of the failure.
int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

// The file a chain of symbolic links ends at (the path itself when it is no link); the
// errno of the failure otherwise (ELOOP for a cycle).
int resolve_links(fs::path& p) {
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return errno == ENOENT ? 0 : errno;
    if (!S_ISLNK(st.st_mode)) return 0;
    std::vector<char> buf(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : PATH_MAX) + 1);
    const ssize_t n = ::readlink(p.c_str(), buf.data(), buf.size());
    if (n < 0) return errno;
    const fs::path to(std::string(buf.data(), static_cast<std::size_t>(n)));
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  return ELOOP;
}

}  // namespace

std::optional<Error> write_file_atomic(const std::string& path, std::string_view bytes) {
  if (path.empty()) return failure(path, ENOENT);
  fs::path target(path);
  if (const int err = resolve_links(target)) return failure(path, err);

  struct stat st {};
  const bool exists = ::stat(target.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) return failure(path, errno);
  if (exists && S_ISDIR(st.st_mode)) return failure(path, EISDIR);
  if (exists && !S_ISREG(st.st_mode)) {
    // A device or a FIFO: there is nothing to replace, only a stream to write.
    const int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return failure(path, errno);
    int err = write_all(fd, bytes);
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) return failure(path, err);
    return std::nullopt;
  }

  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string name = ".";  // built in steps: GCC 12 warns (-Wrestrict) on "." + std::string&&
  name += target.filename().string();
  name += ".racine-XXXXXX";
  std::string tmp = (dir / name).string();
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);  // O_CREAT | O_EXCL, mode 0600
  if (fd < 0) return failure(path, errno);
  mode_t mode = 0;
  if (exists) {
    mode = st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  int err = write_all(fd, bytes);
  if (err == 0 && exists && ::fchown(fd, st.st_uid, st.st_gid) != 0) {
    // Only root may give a file away: an owner that cannot be kept is not an error.
  }
  if (err == 0 && ::fchmod(fd, mode) != 0) err = errno;
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), target.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    return failure(path, err);
  }
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);  // the rename itself made durable; best effort
    ::close(dfd);
  }
  return std::nullopt;
}

}  // namespace racine
