#include "store/blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"

namespace anju::store {

namespace {

Status writeSynced(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return {Code::kUnavailable, "无法写入快照 (cannot write snapshot)"};
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      return {Code::kUnavailable, "无法写入快照 (cannot write snapshot: disk full?)"};
    }
    done += static_cast<std::size_t>(n);
  }
  bool ok = ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok) return {Code::kUnavailable, "无法写入快照 (cannot sync snapshot)"};
  return {};
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
  if (std::filesystem::exists(path, ec)) return hash;
  const std::string folder = dir_ + "/" + hash.substr(0, 2);
  std::filesystem::create_directories(folder, ec);
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

}  // namespace anju::store
