// What a photo given to search by face is, read from its header before anything decodes it: a
// small file can declare an enormous image, and decoding it would take gigabytes.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace anju::faces {

struct PhotoInfo {
  std::string format;  // "jpeg" or "png"
  int width = 0;
  int height = 0;
};

// The largest side a photo may have; a face crop is a few hundred pixels.
inline constexpr int kMaxPhotoSide = 4096;

// JPEG or PNG with both sides from 1 to kMaxPhotoSide; anything else: kInvalid naming `photo`.
Result<PhotoInfo> inspectPhoto(std::string_view bytes);

}  // namespace anju::faces
