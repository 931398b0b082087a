// Gzip bodies are inflated with a bound, so a small hostile body cannot expand without limit.
#include "ingest/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace anju::ingest {
namespace {

std::string gzip(const std::string& text) {
  std::string out(compressBound(text.size()) + 64, '\0');
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(GzipTest, InflatesWhatWasCompressed) {
  const std::string text(100000, 'x');
  auto inflated = gunzip(gzip(text), 1 << 20);
  ASSERT_TRUE(inflated);
  EXPECT_EQ(*inflated, text);
}

TEST(GzipTest, StopsAtTheLimitAndRefusesWhatIsNotGzip) {
  const std::string bomb = gzip(std::string(10 << 20, '\0'));
  EXPECT_LT(bomb.size(), 64u * 1024);
  EXPECT_EQ(gunzip(bomb, 1 << 20).status().code(), Code::kTooLarge);
  EXPECT_EQ(gunzip("plain text", 1 << 20).status().code(), Code::kInvalid);
  const std::string whole = gzip("some events");
  EXPECT_EQ(gunzip(whole.substr(0, whole.size() / 2), 1 << 20).status().code(), Code::kInvalid);
}

}  // namespace
}  // namespace anju::ingest
