#include "common/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <utility>

namespace anju {

namespace {

using Clock = std::chrono::steady_clock;

// Redrawing on every update would make a fast import spend its time writing to the terminal.
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr std::size_t kMaxBarWidth = 30;
constexpr std::size_t kMinBarWidth = 10;

std::size_t terminalColumns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// Labels are often Chinese, and CJK characters take two columns; counting bytes would make the
// line wrap, and a wrapped line cannot be redrawn in place with \r.
std::size_t displayWidth(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    if (lead >= 0xF0) {
      length = 4;
    } else if (lead >= 0xE0) {
      length = 3;
    } else if (lead >= 0xC0) {
      length = 2;
    }
    width += length >= 3 ? 2 : 1;
    i += length;
  }
  return width;
}

std::string formatDuration(double seconds) {
  const auto total = static_cast<uint64_t>(std::llround(seconds));
  char text[32];
  if (total < 60) {
    std::snprintf(text, sizeof text, "%llus", static_cast<unsigned long long>(total));
  } else if (total < 3600) {
    std::snprintf(text, sizeof text, "%llum%02llus", static_cast<unsigned long long>(total / 60),
                  static_cast<unsigned long long>(total % 60));
  } else {
    std::snprintf(text, sizeof text, "%lluh%02llum", static_cast<unsigned long long>(total / 3600),
                  static_cast<unsigned long long>(total / 60 % 60));
  }
  return text;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(::isatty(STDERR_FILENO) == 1),
      started_(Clock::now()) {}

ProgressBar::~ProgressBar() {
  if (enabled_ && !finished_) finish();
}

void ProgressBar::update(uint64_t done) {
  done_ = done;
  if (!enabled_ || finished_) return;
  const auto now = Clock::now();
  if (now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  draw();
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) {
    finished_ = true;
    return;
  }
  finished_ = true;
  draw();
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

void ProgressBar::draw() {
  // A progress bar is decoration: running out of memory while formatting it must not abort the
  // job it reports on.
  try {
    const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
    // In floating point, because done * 100 could overflow for byte counts of huge files.
    const double fraction =
        total_ > 0 ? static_cast<double>(std::min(done_, total_)) / static_cast<double>(total_) : 0;
    char numbers[128];
    if (total_ > 0) {
      std::snprintf(numbers, sizeof numbers, "%3llu%% %llu/%llu %.0f/s",
                    static_cast<unsigned long long>(fraction * 100),
                    static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                    rate);
    } else {
      std::snprintf(numbers, sizeof numbers, "%llu %.0f/s", static_cast<unsigned long long>(done_),
                    rate);
    }
    std::string tail = numbers;
    if (finished_) {
      tail += " in " + formatDuration(elapsed);
    } else if (total_ > done_ && rate > 0) {
      tail += " ETA " + formatDuration(static_cast<double>(total_ - done_) / rate);
    }

    std::string line = label_;
    const std::size_t columns = terminalColumns();
    // One column is left free: writing into the last column makes some terminals wrap early.
    const std::size_t used = displayWidth(label_) + 1 + tail.size() + 1;
    const std::size_t room = columns > used + 3 ? columns - used - 3 : 0;
    const std::size_t bar_width = std::min(kMaxBarWidth, room);
    if (total_ > 0 && bar_width >= kMinBarWidth) {
      const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(bar_width));
      line += " [";
      line.append(filled, '#');
      line.append(bar_width - filled, '.');
      line += ']';
    }
    line += ' ';
    line += tail;
    // \x1b[K clears what is left of a longer previous line; stderr is known to be a terminal.
    const std::string frame = "\r" + line + "\x1b[K";
    std::fwrite(frame.data(), 1, frame.size(), stderr);
    std::fflush(stderr);
  } catch (...) {
    enabled_ = false;
  }
}

}  // namespace anju
