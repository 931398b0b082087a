// multipart/form-data: parts by name, binary content kept byte for byte, malformed bodies refused.
#include "ingest/multipart.h"

#include <gtest/gtest.h>

namespace anju::ingest {
namespace {

TEST(MultipartTest, FindsTheBoundaryOnlyInMultipartFormData) {
  EXPECT_EQ(multipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipartBoundary("Multipart/Form-Data; boundary=\"a b\"; charset=x"), "a b");
  EXPECT_EQ(multipartBoundary("application/json"), "");
}

TEST(MultipartTest, SplitsPartsByNameKeepingBinaryContent) {
  const std::string image("\r\n\0--b\xff", 7);
  const std::string body =
      "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"events\"\r\n\r\n[1]\r\n"
      "--b\r\nContent-Disposition: form-data; filename=\"x.jpg\"; name=\"img\"\r\n\r\n" +
      image + "\r\n--b--\r\n";
  auto parts = parseMultipart(body, "b");
  ASSERT_TRUE(parts) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ(parts->at("events"), "[1]");
  EXPECT_EQ(parts->at("img"), image);
}

TEST(MultipartTest, RefusesMalformedBodies) {
  EXPECT_FALSE(parseMultipart("no boundary at all", "b"));
  EXPECT_FALSE(parseMultipart("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--", "b"));
  EXPECT_FALSE(parseMultipart("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", "b"));
  EXPECT_FALSE(
      parseMultipart("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b\r\n"
                     "Content-Disposition: form-data; name=\"a\"\r\n\r\ny\r\n--b--",
                     "b"));
  EXPECT_EQ(parseMultipart("x", "b").status().field(), "body");
}

}  // namespace
}  // namespace anju::ingest
