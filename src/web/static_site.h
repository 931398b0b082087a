// The operations console (`/`) and the resident portal (`/m`): the files that the front end's
// build leaves in one folder, served as they are. Paths the console routes itself (`/cases/12`)
// answer with its index.html; the portal's with the portal's.
#pragma once

#include <filesystem>

#include "http/message.h"

namespace anju::web {

class StaticSite {
 public:
  // `root` holds index.html, m/index.html and assets/; it may not exist yet (not built).
  explicit StaticSite(std::filesystem::path root);

  // Whether the request is one for the site: GET or HEAD, outside `/api`.
  static bool wants(const http::Request& request);

  http::Response handle(const http::Request& request) const;

 private:
  std::filesystem::path root_;  // canonical when it exists
};

}  // namespace anju::web
