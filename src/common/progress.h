// A progress bar for long jobs on a terminal (imports, index rebuilds). Quiet when stderr is not a
// terminal, so that logs and CI output are not filled with carriage returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace anju {

class ProgressBar {
 public:
  ProgressBar(std::string label, uint64_t total);
  ~ProgressBar();
  void update(uint64_t done);
  void finish();

 private:
  std::string label_;
  uint64_t total_;
  uint64_t done_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
  std::chrono::steady_clock::time_point started_;
  void draw();
};

}  // namespace anju
