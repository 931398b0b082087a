#include "faces/photo.h"

#include <algorithm>
#include <cstdint>

namespace anju::faces {

namespace {

uint32_t bigEndian(std::string_view b, std::size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | static_cast<uint8_t>(b[at + i]);
  return v;
}

Status notAPhoto() {
  return Status::invalid("photo",
                         "照片应为 JPEG 或 PNG 图片 (photo must be a JPEG or PNG image, base64)");
}

// PNG: the signature, then the IHDR chunk whose first fields are width and height.
Result<PhotoInfo> png(std::string_view b) {
  if (b.size() < 24 || b.substr(12, 4) != "IHDR") return notAPhoto();
  return PhotoInfo{"png", static_cast<int>(std::min<uint32_t>(bigEndian(b, 16, 4), INT32_MAX)),
                   static_cast<int>(std::min<uint32_t>(bigEndian(b, 20, 4), INT32_MAX))};
}

// JPEG: segments after the SOI marker until a start-of-frame (SOF0-SOF15 but DHT, JPG and DAC),
// which holds height then width.
Result<PhotoInfo> jpeg(std::string_view b) {
  std::size_t at = 2;
  while (at + 4 <= b.size()) {
    if (static_cast<uint8_t>(b[at]) != 0xFF) return notAPhoto();
    const uint8_t marker = static_cast<uint8_t>(b[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // markers without a length
      at += 2;
      continue;
    }
    const uint32_t length = bigEndian(b, at + 2, 2);
    if (length < 2) return notAPhoto();
    const bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (length < 7 || at + 9 > b.size()) return notAPhoto();
      // A JPEG cut short still decodes, its missing part grey: it must end with its EOI marker
      // (padding after it aside).
      const std::size_t last = b.find_last_not_of(std::string_view("\0\r\n", 3));
      if (last == std::string_view::npos || last < 1 || static_cast<uint8_t>(b[last]) != 0xD9 ||
          static_cast<uint8_t>(b[last - 1]) != 0xFF) {
        return Status::invalid("photo", "照片不完整 (the photo is cut short: send the whole file)");
      }
      return PhotoInfo{"jpeg", static_cast<int>(bigEndian(b, at + 7, 2)),
                       static_cast<int>(bigEndian(b, at + 5, 2))};
    }
    if (marker == 0xDA || marker == 0xD9) return notAPhoto();  // scan data before any frame
    at += 2 + length;
  }
  return notAPhoto();
}

}  // namespace

Result<PhotoInfo> inspectPhoto(std::string_view bytes) {
  Result<PhotoInfo> info = notAPhoto();
  if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
    info = png(bytes);
  } else if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xFF\xD8\xFF") {
    info = jpeg(bytes);
  }
  if (!info) return info;
  if (info->width < 1 || info->height < 1 || info->width > kMaxPhotoSide ||
      info->height > kMaxPhotoSide) {
    return Status::invalid("photo", "照片尺寸应在 1 到 4096 像素之间 (photo sides must be 1 to " +
                                        std::to_string(kMaxPhotoSide) + " pixels; it is " +
                                        std::to_string(info->width) + "×" +
                                        std::to_string(info->height) + ")");
  }
  return info;
}

}  // namespace anju::faces
