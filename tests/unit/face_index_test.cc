#include "faces/face_index.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <set>

#include "faces/exact_index.h"

namespace anju::faces {
namespace {

constexpr int64_t kDay0 = 20000 * kDayMs;  // a UTC midnight in 2024

class Faces {
 public:
  explicit Faces(int dim, uint64_t seed = 7) : dim_(dim), rng_(seed) {}
  std::vector<float> random() {
    std::normal_distribution<float> g;
    std::vector<float> v(dim_);
    for (auto& x : v) x = g(rng_);
    return unit(v);
  }
  // Another capture of the same face: the same direction plus noise of about `noise` its length.
  std::vector<float> near(const std::vector<float>& face, float noise) {
    std::normal_distribution<float> g(0, noise / std::sqrt(static_cast<float>(dim_)));
    std::vector<float> v = face;
    for (auto& x : v) x += g(rng_);
    return unit(v);
  }

 private:
  static std::vector<float> unit(std::vector<float> v) {
    double s = 0;
    for (float x : v) s += double{x} * x;
    for (auto& x : v) x = static_cast<float>(x / std::sqrt(s));
    return v;
  }
  int dim_;
  std::mt19937_64 rng_;
};

IndexOptions small(int dim = 128) {
  return {.dim = dim,
          .lists = 16,
          .probes = 4,
          .train_after = 800,
          .train_sample = 800,
          .scan_whole_below = 0,
          .batch = 256,
          .background = false};
}

std::set<int64_t> keysOf(const std::vector<FaceHit>& hits) {
  std::set<int64_t> out;
  for (const auto& h : hits) out.insert(h.key);
  return out;
}

class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "anju-faces-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

TEST(FaceIndex, FindsPlantedNearDuplicatesFirst) {
  Faces faces(512);
  FaceIndex index(small(512));
  std::vector<FaceEntry> entries;
  for (int i = 0; i < 3000; ++i) entries.push_back({i + 1, kDay0 + i, 1, faces.random()});
  const auto person = faces.random();
  for (int i = 0; i < 5; ++i)
    entries.push_back({100000 + i, kDay0 + i, 1, faces.near(person, 0.5f)});
  ASSERT_TRUE(index.add(std::move(entries)));
  index.flush();
  ASSERT_TRUE(index.stats().trained);

  auto hits = index.search({.embedding = faces.near(person, 0.5f), .k = 8});
  ASSERT_TRUE(hits) << hits.status().message();
  ASSERT_EQ(hits->size(), 8u);
  std::set<int64_t> best;
  for (int i = 0; i < 5; ++i) best.insert((*hits)[i].key);
  EXPECT_EQ(best, (std::set<int64_t>{100000, 100001, 100002, 100003, 100004}));
  EXPECT_GT((*hits)[4].similarity, 0.6f);
  EXPECT_LT((*hits)[5].similarity, 0.3f);
  for (std::size_t i = 1; i < hits->size(); ++i)
    EXPECT_GE((*hits)[i - 1].similarity, (*hits)[i].similarity);
}

TEST(FaceIndex, KeepsToTheEstatesAndTheWindowAsked) {
  Faces faces(128);
  FaceIndex index(small());
  const auto person = faces.random();
  // The same face on three days at two estates.
  ASSERT_TRUE(index.add({{1, kDay0 + 1000, 10, faces.near(person, 0.3f)},
                         {2, kDay0 + kDayMs + 1000, 10, faces.near(person, 0.3f)},
                         {3, kDay0 + 2 * kDayMs + 1000, 20, faces.near(person, 0.3f)},
                         {4, kDay0 + 2 * kDayMs + 2000, 10, faces.near(person, 0.3f)}}));
  index.flush();

  auto estate20 = index.search({.embedding = person, .estates = std::vector<int64_t>{20}});
  ASSERT_TRUE(estate20);
  EXPECT_EQ(keysOf(*estate20), (std::set<int64_t>{3}));
  auto second_day =
      index.search({.embedding = person, .from = kDay0 + kDayMs, .to = kDay0 + 2 * kDayMs + 1000});
  ASSERT_TRUE(second_day);
  EXPECT_EQ(keysOf(*second_day), (std::set<int64_t>{2, 3}));
  auto nowhere = index.search({.embedding = person, .estates = std::vector<int64_t>{}});
  ASSERT_TRUE(nowhere);
  EXPECT_TRUE(nowhere->empty());
  auto similar_only = index.search({.embedding = faces.random(), .min_similarity = 0.5f});
  ASSERT_TRUE(similar_only);
  EXPECT_TRUE(similar_only->empty());
}

TEST(FaceIndex, AgreesWithTheExactSearchOnASmallSet) {
  Faces faces(128);
  IndexOptions options = small();
  options.scan_whole_below = 100000;  // a small window is scanned whole
  FaceIndex index(options);
  ExactIndex exact(128);
  std::vector<FaceEntry> entries;
  for (int i = 0; i < 2000; ++i)
    entries.push_back({i + 1, kDay0 + i * 60000, i % 7, faces.random()});
  ASSERT_TRUE(index.add(entries));
  ASSERT_TRUE(exact.add(entries));
  index.flush();
  std::size_t found = 0, same_first = 0;
  for (int q = 0; q < 50; ++q) {
    FaceQuery query{.embedding = faces.random(), .estates = std::vector<int64_t>{1, 2, 3}, .k = 10};
    auto a = index.search(query);
    auto b = exact.search(query);
    ASSERT_TRUE(a && b);
    ASSERT_EQ(b->size(), 10u);
    for (int64_t key : keysOf(*a)) found += keysOf(*b).count(key);
    same_first += (*a)[0].key == (*b)[0].key;
    EXPECT_NEAR((*a)[0].similarity, (*b)[0].similarity, 0.01f);
  }
  // int8 codes move similarities by a few thousandths: among random faces, whose best matches
  // are near-ties, two may swap places (the similarity of the first stays within 0.01, above).
  EXPECT_GE(found, 490u);
  EXPECT_GE(same_first, 48u);
}

TEST(FaceIndex, ProbedListsFindTheSameFacesAsTheWholeScan) {
  Faces faces(128);
  IndexOptions probing = small();
  probing.probes = probing.lists;
  FaceIndex ivf(probing);  // sign bits pick the candidates, int8 codes re-score them
  IndexOptions whole = small();
  whole.scan_whole_below = 1000000;
  FaceIndex scan(whole);  // int8 codes throughout
  std::vector<FaceEntry> entries;
  for (int i = 0; i < 1500; ++i) entries.push_back({i + 1, kDay0 + i, 1, faces.random()});
  // Twenty people seen three times each.
  std::vector<std::vector<float>> people;
  for (int p = 0; p < 20; ++p) {
    people.push_back(faces.random());
    for (int c = 0; c < 3; ++c)
      entries.push_back({10000 + p * 10 + c, kDay0 + c, 1, faces.near(people.back(), 0.6f)});
  }
  ASSERT_TRUE(ivf.add(entries));
  ASSERT_TRUE(scan.add(entries));
  ivf.flush();
  scan.flush();
  for (int p = 0; p < 20; ++p) {
    FaceQuery query{.embedding = faces.near(people[p], 0.6f), .k = 3};
    auto a = ivf.search(query);
    auto b = scan.search(query);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(keysOf(*a), keysOf(*b));
    EXPECT_EQ(keysOf(*a), (std::set<int64_t>{10000 + p * 10, 10001 + p * 10, 10002 + p * 10}));
    EXPECT_NEAR((*a)[2].similarity, (*b)[2].similarity, 1e-5f);
  }
}

TEST(FaceIndex, RemovedFacesAreNoLongerFound) {
  Faces faces(128);
  FaceIndex index(small());
  std::vector<std::vector<float>> v;
  std::vector<FaceEntry> entries;
  for (int i = 0; i < 1000; ++i) {
    v.push_back(faces.random());
    entries.push_back({i + 1, kDay0, 1, v.back()});
  }
  ASSERT_TRUE(index.add(entries));
  index.flush();
  ASSERT_TRUE(index.add(FaceEntry{5000, kDay0, 1, faces.random()}));  // still in the buffer
  ASSERT_EQ(index.stats().buffered, 1u);

  EXPECT_TRUE(index.remove(500));
  EXPECT_TRUE(index.remove(5000));
  EXPECT_FALSE(index.remove(500));
  EXPECT_FALSE(index.remove(123456));
  EXPECT_EQ(index.stats().vectors, 999u);
  auto gone = index.search({.embedding = v[499], .k = 1});
  ASSERT_TRUE(gone);
  EXPECT_NE((*gone)[0].key, 500);
  // Every other face is still found as its own best match (rows moved into the gap included).
  for (int i = 0; i < 1000; ++i) {
    if (i == 499) continue;
    auto hit = index.search({.embedding = v[i], .k = 1});
    ASSERT_TRUE(hit);
    ASSERT_EQ((*hit)[0].key, i + 1);
  }
  // A removed key may come back.
  ASSERT_TRUE(index.add(FaceEntry{500, kDay0, 1, v[499]}));
  auto back = index.search({.embedding = v[499], .k = 1});
  ASSERT_TRUE(back);
  EXPECT_EQ((*back)[0].key, 500);
}

TEST(FaceIndex, DropBeforeRemovesWholeDays) {
  Faces faces(128);
  FaceIndex index(small());
  const auto person = faces.random();
  ASSERT_TRUE(index.add({{1, kDay0 + 5, 1, person},
                         {2, kDay0 + kDayMs - 1, 1, person},
                         {3, kDay0 + kDayMs, 1, person},
                         {4, kDay0 + 2 * kDayMs + 5, 1, person}}));
  index.flush();
  ASSERT_TRUE(index.add(FaceEntry{5, kDay0 + 10, 1, person}));  // buffered, on the first day
  ASSERT_EQ(index.stats().partitions, 3u);

  // The cut falls inside the second day: only the first day ends before it.
  EXPECT_EQ(index.dropBefore(kDay0 + kDayMs + 100), 3u);
  auto hits = index.search({.embedding = person});
  ASSERT_TRUE(hits);
  EXPECT_EQ(keysOf(*hits), (std::set<int64_t>{3, 4}));
  EXPECT_EQ(index.stats().partitions, 2u);
  EXPECT_EQ(index.stats().vectors, 2u);
}

TEST(FaceIndex, KeepsAddingAfterTheQuantiserIsTrained) {
  Faces faces(128);
  FaceIndex index(small());
  std::vector<std::vector<float>> v;
  std::vector<FaceEntry> entries;
  for (int i = 0; i < 500; ++i) {
    v.push_back(faces.random());
    entries.push_back({i + 1, kDay0 + i, 1, v.back()});
  }
  ASSERT_TRUE(index.add(entries));
  index.flush();
  EXPECT_FALSE(index.stats().trained);  // too few to train: one list, scanned whole
  entries.clear();
  for (int i = 500; i < 1500; ++i) {
    v.push_back(faces.random());
    entries.push_back({i + 1, kDay0 + i, 1, v.back()});
  }
  ASSERT_TRUE(index.add(entries));
  index.flush();
  ASSERT_TRUE(index.stats().trained);
  ASSERT_TRUE(index.add(FaceEntry{9999, kDay0, 1, faces.near(v[3], 0.1f)}));
  index.flush();
  EXPECT_EQ(index.stats().vectors, 1501u);
  EXPECT_EQ(index.stats().buffered, 0u);
  // Captures from before and after training alike are found through the lists.
  for (int i : {0, 3, 499, 500, 1499}) {
    auto hit = index.search({.embedding = v[i], .k = 1});
    ASSERT_TRUE(hit);
    EXPECT_EQ((*hit)[0].key, i + 1);
  }
  auto both = index.search({.embedding = v[3], .k = 2});
  ASSERT_TRUE(both);
  EXPECT_EQ(keysOf(*both), (std::set<int64_t>{4, 9999}));
}

TEST(FaceIndex, ARestartReusesThePersistedQuantiser) {
  TempFolder folder;
  Faces faces(128);
  IndexOptions options = small();
  options.quantizer_path = folder.file("faces-128.ivf");
  std::vector<FaceEntry> entries;
  for (int i = 0; i < 1000; ++i) entries.push_back({i + 1, kDay0 + i, 1, faces.random()});
  {
    FaceIndex first(options);
    EXPECT_FALSE(first.stats().trained);
    ASSERT_TRUE(first.add(entries));
    first.flush();
    ASSERT_TRUE(first.stats().trained);
  }
  ASSERT_TRUE(std::filesystem::exists(options.quantizer_path));
  FaceIndex second(options);
  EXPECT_TRUE(second.stats().trained);  // before any vector: nothing to train on
  ASSERT_TRUE(second.add({entries[0], entries[1]}));
  second.flush();
  auto hit = second.search({.embedding = entries[1].embedding, .k = 1});
  ASSERT_TRUE(hit);
  EXPECT_EQ((*hit)[0].key, 2);

  // A quantiser of another shape is not used.
  options.lists = 8;
  FaceIndex other(options);
  EXPECT_FALSE(other.stats().trained);
}

TEST(FaceIndex, TheNewestCaptureIsFoundBeforeItLeavesTheBuffer) {
  Faces faces(512);
  FaceIndex index(small(512));
  const auto person = faces.random();
  ASSERT_TRUE(index.add(FaceEntry{42, kDay0, 3, person}));
  EXPECT_EQ(index.stats().buffered, 1u);
  auto hit = index.search({.embedding = person, .k = 1});
  ASSERT_TRUE(hit);
  ASSERT_EQ(hit->size(), 1u);
  EXPECT_EQ((*hit)[0].key, 42);
  EXPECT_NEAR((*hit)[0].similarity, 1.0f, 1e-5f);
}

TEST(FaceIndex, RejectsEmbeddingsOfTheWrongLengthNaNOrZero) {
  FaceIndex index(small());
  std::vector<float> zero(128, 0.0f);
  std::vector<float> nan(128, 1.0f);
  nan[7] = std::nanf("");
  for (const auto& bad :
       {std::vector<float>(100, 1.0f), zero, nan, std::vector<float>(512, 1.0f)}) {
    Status st = index.add(FaceEntry{1, kDay0, 1, bad});
    EXPECT_EQ(st.code(), Code::kInvalid);
    EXPECT_EQ(st.field(), "embedding");
    auto hits = index.search({.embedding = bad});
    EXPECT_EQ(hits.status().field(), "embedding");
  }
  // Nothing of a batch with one bad embedding is added.
  Status st = index.add({{1, kDay0, 1, std::vector<float>(128, 1.0f)}, {2, kDay0, 1, zero}});
  EXPECT_FALSE(st);
  EXPECT_EQ(index.stats().vectors, 0u);
}

}  // namespace
}  // namespace anju::faces
