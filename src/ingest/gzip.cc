#include "ingest/gzip.h"

#include <zlib.h>

namespace anju::ingest {

Result<std::string> gunzip(std::string_view compressed, std::size_t max_bytes) {
  z_stream z{};
  // 16 + MAX_WBITS: a gzip header and trailer, not a raw zlib stream.
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return Status::internal("zlib init failed");
  std::string out;
  char buf[64 * 1024];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return Status::invalid("body", "gzip 数据无效 (the body is not valid gzip)");
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&z);
      return Status{Code::kTooLarge, "解压后超出大小上限 (the body inflates past the size limit)",
                    "body"};
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      return Status::invalid("body", "gzip 数据不完整 (the gzip body is truncated)");
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace anju::ingest
