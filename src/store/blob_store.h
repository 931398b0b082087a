// Snapshot images, stored once by their SHA-256 in a folder (DATA/blobs/ab/abcdef...). A blob is
// on disk and synced before put() returns, so an event that names it never names nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace anju::store {

struct BlobInfo {
  std::string hash;
  int64_t modified_ms = 0;  // when it was last stored (put again refreshes it)
  uint64_t bytes = 0;
};

class BlobStore {
 public:
  explicit BlobStore(std::string dir);

  // Returns the content hash (64 lowercase hex characters). Storing bytes already kept marks the
  // blob as stored now, so retention counts its age from the newest event that names it.
  Result<std::string> put(std::string_view bytes);
  // kNotFound for a hash that is not stored; kInvalid for one that is not a hash.
  Result<std::string> get(const std::string& hash) const;

  static bool isHash(std::string_view text);

  // Retention: the blobs last stored before `before_ms`, and their removal.
  Result<std::vector<BlobInfo>> storedBefore(int64_t before_ms) const;
  // Removes the blob unless it was stored again since `before_ms` (an event naming it just came
  // in). Returns whether it was removed.
  Result<bool> removeIfStoredBefore(const std::string& hash, int64_t before_ms);

 private:
  std::string pathOf(const std::string& hash) const;
  std::string dir_;
};

}  // namespace anju::store
