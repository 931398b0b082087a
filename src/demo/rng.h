// The demo generator's only source of randomness. std::mt19937_64 is specified bit for bit by the
// standard, but std::uniform_int_distribution and friends are not, so a seed would give different
// districts on libstdc++ and libc++. Everything here is built from the raw engine with integer
// arithmetic (and IEEE-exact double operations), so a seed names one district everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace anju::demo {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t next() { return engine_(); }

  // Uniform over [lo, hi]. Rejection keeps every value equally likely (plain modulo would favour
  // the low end of the range).
  int64_t uniform(int64_t lo, int64_t hi) {
    const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    if (range == 0) return static_cast<int64_t>(next());
    const uint64_t threshold = (0 - range) % range;
    uint64_t r = next();
    while (r < threshold) r = next();
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + r % range);
  }

  int uniformInt(int lo, int hi) { return static_cast<int>(uniform(lo, hi)); }

  // Uniform over [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // True with probability permille / 1000; integers keep the decision exact.
  bool permille(int permille) { return uniform(0, 999) < permille; }

  // Approximately standard normal: the Irwin-Hall sum of twelve uniforms. It uses only additions,
  // so, unlike Box-Muller's log and cos, it cannot differ between maths libraries.
  double normal() {
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += unit();
    return sum - 6.0;
  }

  // An index into `weights`, chosen with probability proportional to its weight.
  std::size_t weighted(std::span<const int> weights) {
    int64_t total = 0;
    for (int w : weights) total += w;
    int64_t r = uniform(0, total - 1);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }
  std::size_t weighted(std::initializer_list<int> weights) {
    return weighted(std::span<const int>(weights.begin(), weights.size()));
  }

  template <typename T>
  const T& pick(std::span<const T> items) {
    return items[static_cast<std::size_t>(uniform(0, static_cast<int64_t>(items.size()) - 1))];
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return pick(std::span<const T>(items));
  }

  // Fisher-Yates with this generator's own uniform().
  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(uniform(0, static_cast<int64_t>(i) - 1));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace anju::demo
