#include "store/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"

namespace anju::store {

namespace {

bool diskFull(int error) {
  return error == ENOSPC || error == EDQUOT;
}

Status storageFull() {
  return {Code::kStorageFull,
          "存储空间已满，无法保存快照；请释放磁盘空间 (storage is full: cannot store the snapshot "
          "until space is freed)"};
}

// On failure the file is removed: a half-written one would only hold space a full disk lacks.
Status writeSynced(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    return diskFull(errno) ? storageFull()
                           : Status{Code::kUnavailable, "无法写入快照 (cannot write snapshot)"};
  }
  int error = 0;
  std::size_t done = 0;
  while (done < bytes.size() && error == 0) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? errno : ENOSPC;  // a write of nothing means no room
    } else {
      done += static_cast<std::size_t>(n);
    }
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0) return {};
  std::remove(path.c_str());
  if (diskFull(error)) return storageFull();
  return {Code::kUnavailable, "无法写入快照 (cannot write snapshot)"};
}

// A file's modification time in ms since the epoch; -1 when it is not there.
int64_t modifiedMs(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return int64_t{st.st_mtim.tv_sec} * 1000 + int64_t{st.st_mtim.tv_nsec} / 1'000'000;
}

void syncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

BlobStore::BlobStore(std::string dir) : dir_(std::move(dir)) {}

bool BlobStore::isHash(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string BlobStore::pathOf(const std::string& hash) const {
  return dir_ + "/" + hash.substr(0, 2) + "/" + hash;
}

Result<std::string> BlobStore::put(std::string_view bytes) {
  const std::string hash = crypto::sha256Hex(bytes);
  const std::string path = pathOf(hash);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
    return hash;
  }
  const std::string folder = dir_ + "/" + hash.substr(0, 2);
  std::filesystem::create_directories(folder, ec);
  if (ec == std::errc::no_space_on_device) return storageFull();
  if (ec) return Status{Code::kUnavailable, "无法创建快照目录 (cannot create " + folder + ")"};
  // Written under a temporary name and renamed, so a crash never leaves a half image.
  const std::string temp = path + ".tmp" + crypto::randomHex(4);
  ANJU_RETURN_IF_ERROR(writeSynced(temp, bytes));
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return Status{Code::kUnavailable, "无法保存快照 (cannot store snapshot)"};
  }
  syncDirectory(folder);
  return hash;
}

Result<std::string> BlobStore::get(const std::string& hash) const {
  if (!isHash(hash)) return Status::invalid("hash", "快照编号无效 (not a snapshot hash)");
  std::ifstream in(pathOf(hash), std::ios::binary);
  if (!in) return Status::notFound("没有这个快照 (no such snapshot)", "hash");
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

Result<std::vector<BlobInfo>> BlobStore::storedBefore(int64_t before_ms) const {
  std::vector<BlobInfo> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir_, ec)) return out;
  for (auto it = std::filesystem::recursive_directory_iterator(dir_, ec);
       !ec && it != std::filesystem::end(it); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!isHash(name)) continue;
    const int64_t modified = modifiedMs(it->path().string());
    if (modified < 0 || modified >= before_ms) continue;
    std::error_code size_ec;
    const uintmax_t bytes = std::filesystem::file_size(it->path(), size_ec);
    out.push_back({name, modified, size_ec ? 0 : static_cast<uint64_t>(bytes)});
  }
  if (ec) return Status{Code::kUnavailable, "无法读取快照目录 (cannot list " + dir_ + ")"};
  return out;
}

Result<bool> BlobStore::removeIfStoredBefore(const std::string& hash, int64_t before_ms) {
  if (!isHash(hash)) return Status::invalid("hash", "快照编号无效 (not a snapshot hash)");
  const std::string path = pathOf(hash);
  const int64_t modified = modifiedMs(path);
  if (modified < 0 || modified >= before_ms) return false;
  std::error_code ec;
  bool removed = std::filesystem::remove(path, ec);
  if (ec) return Status{Code::kUnavailable, "无法删除快照 (cannot remove " + hash + ")"};
  return removed;
}

}  // namespace anju::store
