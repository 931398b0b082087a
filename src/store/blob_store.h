// Snapshot images, stored once by their SHA-256 in a folder (DATA/blobs/ab/abcdef...). A blob is
// on disk and synced before put() returns, so an event that names it never names nothing.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace anju::store {

class BlobStore {
 public:
  explicit BlobStore(std::string dir);

  // Returns the content hash (64 lowercase hex characters).
  Result<std::string> put(std::string_view bytes);
  // kNotFound for a hash that is not stored; kInvalid for one that is not a hash.
  Result<std::string> get(const std::string& hash) const;

  static bool isHash(std::string_view text);

 private:
  std::string pathOf(const std::string& hash) const;
  std::string dir_;
};

}  // namespace anju::store
