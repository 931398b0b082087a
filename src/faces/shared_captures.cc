#include "faces/shared_captures.h"

#include <charconv>

#include "common/log.h"

namespace anju::faces {

namespace {

constexpr const char* kChannel = "anju_face_captures";
// NOTIFY payloads must stay under 8000 bytes: a commit with more keys sends several.
constexpr std::size_t kPayloadBytes = 7000;
// After a lost connection, the captures of this many hours back are indexed again.
constexpr int64_t kMissedWindowMs = 3600'000;
constexpr int kPage = 2000;

}  // namespace

SharedCaptures::SharedCaptures(store::EventStore& events, FaceCatalog& catalog, const Clock& clock,
                               std::string node)
    : events_(events), catalog_(catalog), clock_(clock), node_(std::move(node)) {
  subscription_ = events_.database().listen(
      kChannel, [this](const std::string& payload) { received(payload); }, [this] { missed(); });
}

Status SharedCaptures::announce(store::Connection& c, const std::vector<int64_t>& keys) const {
  std::string payload = node_ + "|";
  const std::size_t bare = payload.size();
  for (int64_t key : keys) {
    if (payload.size() > kPayloadBytes) {
      ANJU_RETURN_IF_ERROR(c.notify(kChannel, payload));
      payload.resize(bare);
    }
    if (payload.size() > bare) payload += ',';
    payload += std::to_string(key);
  }
  return c.notify(kChannel, payload);
}

void SharedCaptures::received(const std::string& payload) {
  const auto bar = payload.find('|');
  // This node's own captures reached its index through the writer.
  if (bar == std::string::npos || payload.compare(0, bar, node_) == 0) return;
  std::vector<store::StoredEvent> found;
  const char* p = payload.data() + bar + 1;
  const char* end = payload.data() + payload.size();
  while (p < end) {
    int64_t key = 0;
    auto [next, ec] = std::from_chars(p, end, key);
    if (ec != std::errc()) break;
    p = next < end && *next == ',' ? next + 1 : next;
    auto event = events_.byKey(key);
    if (!event) {
      log::warn("faces.shared_capture_unread", {{"error", event.status().message()}});
      continue;
    }
    // Gone already: retention removed it.
    if (*event) found.push_back(std::move(**event));
  }
  catalog_.offer(found);
}

void SharedCaptures::missed() {
  // The first call is listening's start: the rebuild reads what the store holds.
  if (!listening_) {
    listening_ = true;
    return;
  }
  const int64_t from = store::EventStore::dayOf(clock_.nowMillis() - kMissedWindowMs);
  int64_t after = from << 32;
  std::size_t offered = 0;
  for (;;) {
    auto page = events_.eventsAfter(after, "face_capture", kPage);
    if (!page) {
      log::warn("faces.shared_captures_unread", {{"error", page.status().message()}});
      return;
    }
    if (page->empty()) break;
    catalog_.offer(*page);
    offered += page->size();
    after = store::EventStore::eventKey(page->back().event.ts, page->back().seq);
  }
  log::info("faces.shared_captures_reread", {{"captures", std::to_string(offered)}});
}

}  // namespace anju::faces
