#include "alerts/engine.h"

#include <algorithm>
#include <cstring>

#include "alerts/config_changes.h"
#include "common/crypto.h"
#include "common/log.h"
#include "domain/plate_match.h"
#include "store/event_positions.h"

namespace anju::alerts {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::isNull;

namespace {

// Registry data (tags, estates, validity windows) is read again at least this often.
constexpr int64_t kRefreshMs = 60'000;
// The engine's name in event_positions, and how often it writes there under load.
constexpr std::string_view kConsumer = "alerts";
constexpr int64_t kRecordEveryMs = 1000;

int64_t steadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A list matches an event inside its window and its region.
bool listMatches(const WatchedList& list, int64_t ts, const std::string& region_path) {
  return list.valid_from <= ts && ts <= list.valid_to &&
         region_path.compare(0, list.region_path.size(), list.region_path) == 0;
}

bool covers(const std::string& scope, const std::string& region_path) {
  return region_path.compare(0, scope.size(), scope) == 0;
}

// A rule's tag "key_person" also means its kinds ("key_person:drug").
bool hasTag(const std::set<std::string>& tags, const std::vector<std::string>& wanted) {
  for (const auto& t : tags) {
    for (const auto& w : wanted) {
      if (t == w || (t.size() > w.size() && t.compare(0, w.size(), w) == 0 && t[w.size()] == ':'))
        return true;
    }
  }
  return false;
}

std::optional<std::vector<float>> embeddingOf(const std::string& base64) {
  auto bytes = crypto::base64Decode(base64);
  if (!bytes || bytes->empty() || bytes->size() % sizeof(float) != 0) return std::nullopt;
  std::vector<float> v(bytes->size() / sizeof(float));
  std::memcpy(v.data(), bytes->data(), bytes->size());
  return v;
}

std::string alarmLabel(const std::string& type) {
  static const std::map<std::string, std::string> labels{{"intrusion", "入侵报警"},
                                                         {"fence", "周界报警"},
                                                         {"fire", "火警"},
                                                         {"smoke", "烟感报警"},
                                                         {"electrical", "电气火灾报警"},
                                                         {"gas", "燃气泄漏报警"},
                                                         {"throwing", "高空抛物"},
                                                         {"emergency_call", "一键呼叫"},
                                                         {"tamper", "设备防拆报警"},
                                                         {"door_forced", "门被强行打开"},
                                                         {"door_held_open", "门长时间未关"}};
  auto it = labels.find(type);
  return it == labels.end() ? type : it->second;
}

// A firing about an event: where and when it happened, and the event itself.
Firing eventFiring(const domain::Event& e, int64_t key, const std::string& region,
                   std::string event_kind) {
  Firing f;
  f.estate_id = e.estate_id;
  f.region_path = region;
  f.ts = e.ts;
  f.event_key = key;
  f.device_id = e.device_id;
  f.event_kind = std::move(event_kind);
  return f;
}

Firing watchFiring(const WatchedEntry& entry, const WatchedList& list, std::string kind,
                   const domain::Event& e, int64_t key, const std::string& region,
                   std::string event_kind) {
  Firing f = eventFiring(e, key, region, std::move(event_kind));
  f.source = "watchlist";
  f.kind = std::move(kind);
  f.watchlist_id = entry.list_id;
  f.entry_id = entry.id;
  f.level = list.level;
  f.dedup_key = "w:" + std::to_string(entry.id) + ":" + std::to_string(e.estate_id);
  return f;
}

Firing ruleFiring(const Rule& rule, const domain::Event& e, int64_t key, const std::string& region,
                  std::string event_kind) {
  Firing f = eventFiring(e, key, region, std::move(event_kind));
  f.source = "rule";
  f.kind = rule.kind;
  f.rule_id = rule.id;
  f.level = rule.level;
  return f;
}

}  // namespace

AlertEngine::AlertEngine(store::Database& registry, store::EventStore* events, AlertStore& alerts,
                         RuleStore& rules, WatchlistStore& watchlists, notify::Publisher* publisher,
                         const Clock& clock, EngineOptions options)
    : registry_(registry),
      events_(events),
      alerts_(alerts),
      rules_(rules),
      watchlists_(watchlists),
      publisher_(publisher),
      clock_(clock),
      options_(options) {}

AlertEngine::~AlertEngine() {
  config_changed_.reset();
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertEngine::start() {
  auto changed = [this] {
    watchlists_.markChanged();
    invalidate();
  };
  config_changed_ = registry_.listen(
      kConfigChannel, [changed](const std::string&) { changed(); }, changed);
  thread_ = std::thread([this] { run(); });
}

void AlertEngine::catchUp() {
  if (!events_) return;
  constexpr int kPage = 2000;
  std::optional<int64_t> position;
  Status read = registry_.read([&](store::Connection& c) -> Status {
    auto p = store::eventPosition(c, kConsumer);
    if (!p) return p.status();
    position = *p;
    return {};
  });
  auto last = events_->lastKey();
  if (!read || !last) {
    log::error("alerts.catch_up_failed", {{"error", (!read ? read : last.status()).message()}});
    return;
  }
  int64_t after = position.value_or(*last);
  std::size_t matched = 0;
  for (;;) {
    auto page = events_->eventsAfter(after, "", kPage);
    if (!page) {
      log::error("alerts.catch_up_failed", {{"error", page.status().message()}});
      return;
    }
    if (page->empty()) break;
    after = store::EventStore::eventKey(page->back().event.ts, page->back().seq);
    std::erase_if(*page, [](const store::StoredEvent& s) {
      return s.event.kind == domain::EventKind::kHeartbeat;
    });
    {
      std::lock_guard lock(match_mutex_);
      replaying_ = true;
    }
    process(*page);
    {
      std::lock_guard lock(match_mutex_);
      replaying_ = false;
    }
    matched += page->size();
  }
  if (matched > 0) log::warn("alerts.caught_up", {{"events", std::to_string(matched)}});
  matched_through_ = std::max(after, *last);
  Status kept = registry_.write([&](store::Connection& c) {
    return store::setEventPosition(c, kConsumer, matched_through_);
  });
  if (!kept) log::error("alerts.position_not_kept", {{"error", kept.message()}});
  recorded_ = matched_through_;
}

void AlertEngine::advance(const std::vector<store::StoredEvent>& batch) {
  for (const auto& s : batch) {
    if (s.seq > 0)
      matched_through_ = std::max(matched_through_, store::EventStore::eventKey(s.event.ts, s.seq));
  }
  const int64_t now = steadyMillis();
  if (matched_through_ <= recorded_ || now - recorded_at_ < kRecordEveryMs) return;
  Status kept = registry_.write([&](store::Connection& c) {
    return store::setEventPosition(c, kConsumer, matched_through_);
  });
  if (!kept) {
    log::warn("alerts.position_not_kept", {{"error", kept.message()}});
    return;
  }
  recorded_ = matched_through_;
  recorded_at_ = now;
}

void AlertEngine::offer(const std::vector<store::StoredEvent>& events) {
  std::vector<store::StoredEvent> kept;
  for (const auto& s : events) {
    if (s.event.kind != domain::EventKind::kHeartbeat) kept.push_back(s);
  }
  if (kept.empty()) return;
  {
    std::lock_guard lock(queue_mutex_);
    if (queued_ + kept.size() > options_.max_queued_events) {
      stats_.skipped += kept.size();
      return;
    }
    queued_ += kept.size();
    queue_.push_back(std::move(kept));
  }
  wake_.notify_one();
}

void AlertEngine::run() {
  for (;;) {
    std::vector<store::StoredEvent> batch;
    {
      std::unique_lock lock(queue_mutex_);
      // Waking every second with nothing to do reads changed rules and watchlists ahead of the
      // next event, so a large list is loaded before a hit on it has to wait for that.
      wake_.wait_for(lock, std::chrono::seconds(1),
                     [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      if (!queue_.empty()) {
        batch = std::move(queue_.front());
        queue_.pop_front();
        queued_ -= batch.size();
      }
    }
    if (batch.empty()) {
      // Lists still changing (a bulk enrolment) are read once they have been quiet for a second,
      // not after every change.
      const uint64_t version = watchlists_.version();
      if (version != quiet_version_) {
        quiet_version_ = version;
        continue;
      }
    }
    process(batch);
    advance(batch);
  }
}

void AlertEngine::invalidate() {
  std::lock_guard lock(match_mutex_);
  stale_ = true;
}

EngineStats AlertEngine::stats() const {
  std::lock_guard lock(queue_mutex_);
  return stats_;
}

void AlertEngine::refresh() {
  const int64_t now = clock_.nowMillis();
  const bool watch_changed = watch_version_ != watchlists_.version();
  if (!stale_ && !watch_changed && now - refreshed_at_ < kRefreshMs) return;
  auto rules = rules_.enabled();
  if (rules) rules_list_ = std::move(*rules);
  Status st = registry_.read([&](store::Connection& c) -> Status {
    auto estates = c.query("SELECT id, region_path FROM estates");
    if (!estates) return estates.status();
    estate_regions_.clear();
    for (const auto& r : estates->rows) estate_regions_[asInt(r[0])] = asText(r[1]);
    auto tagged = c.query(
        "SELECT p.id, p.name, p.estate_id, l.value FROM links l JOIN persons p ON p.id = "
        "l.object_id WHERE l.entity = 'persons' AND l.field = 'tags'");
    if (!tagged) return tagged.status();
    tagged_.clear();
    for (const auto& r : tagged->rows) {
      Person& p = tagged_[asInt(r[0])];
      p.name = asText(r[1]);
      if (!isNull(r[2])) p.estate_id = asInt(r[2]);
      p.tags.insert(asText(r[3]));
    }
    if (enrolled_) {
      auto templates = c.query(
          "SELECT person_id, embedding FROM credentials WHERE type = 'face' AND embedding IS NOT "
          "NULL");
      if (!templates) return templates.status();
      std::vector<WatchedFace> faces;
      for (const auto& r : templates->rows) {
        json values = json::parse(asText(r[1]), nullptr, false);
        if (!values.is_array() || values.empty()) continue;
        WatchedFace face{.entry_id = asInt(r[0]), .embedding = {}};
        for (const auto& x : values) face.embedding.push_back(x.is_number() ? x.get<float>() : 0);
        faces.push_back(std::move(face));
      }
      enrolled_->load(faces);
    }
    return {};
  });
  if (!st) log::warn("alerts.refresh_failed", {{"error", st.message()}});
  const uint64_t version = watchlists_.version();
  if (watch_changed) {
    // Read again only when they changed: matching checks each list's window itself, and
    // reloading 100,000 faces every minute would stall matching.
    auto snapshot = watchlists_.snapshot(now);
    if (snapshot) {
      lists_.clear();
      for (auto& l : snapshot->lists) lists_[l.id] = l;
      entries_ = std::move(snapshot->entries);
      by_person_.clear();
      by_plate_.clear();
      entry_index_.clear();
      for (std::size_t i = 0; i < entries_.size(); ++i) {
        entry_index_[entries_[i].id] = i;
        if (entries_[i].person_id) by_person_[*entries_[i].person_id].push_back(i);
        if (!entries_[i].plate.empty()) by_plate_[entries_[i].plate].push_back(i);
      }
      // Rebuilding the face index is the costly part: only when the watched faces changed.
      std::vector<int64_t> face_owners;
      for (const auto& f : snapshot->faces) face_owners.push_back(f.entry_id);
      if (faces_ && face_owners != face_owners_) {
        faces_->load(snapshot->faces);
        face_owners_ = std::move(face_owners);
      }
      watch_version_ = version;
    } else {
      log::warn("alerts.watchlists_not_read", {{"error", snapshot.status().message()}});
    }
  }
  stale_ = false;
  refreshed_at_ = now;
}

std::string AlertEngine::regionOf(int64_t estate_id) {
  auto it = estate_regions_.find(estate_id);
  if (it != estate_regions_.end()) return it->second;
  stale_ = true;  // an estate added since the last read
  refresh();
  it = estate_regions_.find(estate_id);
  return it == estate_regions_.end() ? std::string("/") : it->second;
}

void AlertEngine::fire(Firing firing) {
  firing.replayed = replaying_;
  auto raised = alerts_.raise(firing);
  if (!raised) {
    log::warn("alerts.not_raised",
              {{"key", firing.dedup_key}, {"error", raised.status().message()}});
    return;
  }
  if (raised->already) return;
  {
    std::lock_guard lock(queue_mutex_);
    stats_.raised += 1;
  }
  if (publisher_) publisher_->publish({"alert", firing.region_path, raised->alert});
}

void AlertEngine::process(const std::vector<store::StoredEvent>& events) {
  std::lock_guard lock(match_mutex_);
  refresh();
  for (const auto& s : events) checkEvent(s);
  std::lock_guard stats_lock(queue_mutex_);
  stats_.events += events.size();
}

void AlertEngine::checkEvent(const store::StoredEvent& stored) {
  const domain::Event& e = stored.event;
  const int64_t key = store::EventStore::eventKey(e.ts, stored.seq);
  const std::string region = regionOf(e.estate_id);
  switch (e.kind) {
    case domain::EventKind::kAccess:
      if (e.person_id) checkPassage(e, key, region);
      break;
    case domain::EventKind::kVehicle:
      checkVehicle(e, key, region);
      break;
    case domain::EventKind::kFaceCapture:
      checkFace(e, key, region);
      break;
    case domain::EventKind::kAlarm:
      checkAlarm(e, key, region);
      break;
    case domain::EventKind::kHeartbeat:
      break;
  }
}

void AlertEngine::checkPassage(const domain::Event& e, int64_t key, const std::string& region) {
  const int64_t person = *e.person_id;
  const json passage = {{"direction", e.direction}, {"result", e.result}};
  if (auto hits = by_person_.find(person); hits != by_person_.end()) {
    for (std::size_t i : hits->second) {
      const WatchedEntry& entry = entries_[i];
      auto list = lists_.find(entry.list_id);
      if (list == lists_.end() || !listMatches(list->second, e.ts, region)) continue;
      Firing f = watchFiring(entry, list->second, "watchlist_person", e, key, region, "access");
      f.detail = passage;
      f.title = "布控人员出现：" + (entry.name.empty() ? entry.id_number : entry.name) + "（" +
                list->second.name + "）";
      f.subject = {{"person_id", person}, {"name", entry.name}, {"watchlist", list->second.name}};
      fire(std::move(f));
    }
  }
  auto tagged = tagged_.find(person);
  if (tagged == tagged_.end()) return;
  last_passage_[person] = std::max(last_passage_[person], e.ts);
  const Person& who = tagged->second;
  for (const Rule& rule : rules_list_) {
    if (!covers(rule.region_path, region) || !rule.active(e.ts, options_.utc_offset_minutes) ||
        !hasTag(who.tags, rule.tags)) {
      continue;
    }
    const bool out = e.direction == "out";
    if ((rule.kind == "key_person_appears" && !out) || (rule.kind == "key_person_leaves" && out)) {
      Firing f = ruleFiring(rule, e, key, region, "access");
      f.detail = passage;
      f.dedup_key = "r:" + std::to_string(rule.id) + ":" + std::to_string(person) + ":" +
                    std::to_string(e.estate_id);
      f.title = std::string(out ? "重点人员外出：" : "重点人员出现：") + who.name;
      f.subject = {{"person_id", person},
                   {"name", who.name},
                   {"tags", std::vector<std::string>(who.tags.begin(), who.tags.end())}};
      fire(std::move(f));
    } else if (rule.kind == "key_persons_together") {
      auto& recent = together_[{rule.id, e.estate_id}];
      recent.push_back({e.ts, person});
      const int64_t since = e.ts - int64_t{rule.minutes} * 60'000;
      while (!recent.empty() && recent.front().ts < since) recent.pop_front();
      std::set<int64_t> persons;
      for (const auto& p : recent) {
        if (p.ts >= since && p.ts <= e.ts) persons.insert(p.person_id);
      }
      if (static_cast<int>(persons.size()) < rule.min_persons) continue;
      Firing f = ruleFiring(rule, e, key, region, "access");
      f.detail = passage;
      f.dedup_key = "r:" + std::to_string(rule.id) + ":" + std::to_string(e.estate_id);
      f.title = "多名重点人员聚集（" + std::to_string(persons.size()) + " 人，" +
                std::to_string(rule.minutes) + " 分钟内）";
      json names = json::array();
      for (int64_t id : persons) {
        auto p = tagged_.find(id);
        names.push_back({{"person_id", id}, {"name", p == tagged_.end() ? "" : p->second.name}});
      }
      f.subject = {{"persons", names}};
      fire(std::move(f));
    }
  }
}

void AlertEngine::checkVehicle(const domain::Event& e, int64_t key, const std::string& region) {
  if (e.plate.empty() || by_plate_.empty()) return;
  auto candidates = domain::plateCandidates(e.plate);
  if (!candidates) return;
  for (const auto& candidate : *candidates) {
    auto hits = by_plate_.find(candidate.plate);
    if (hits == by_plate_.end()) continue;
    for (std::size_t i : hits->second) {
      const WatchedEntry& entry = entries_[i];
      auto list = lists_.find(entry.list_id);
      if (list == lists_.end() || !listMatches(list->second, e.ts, region)) continue;
      Firing f = watchFiring(entry, list->second, "watchlist_vehicle", e, key, region, "vehicle");
      f.title = "布控车辆出现：" + entry.plate + "（" + list->second.name + "）";
      f.subject = {{"plate", entry.plate}, {"watchlist", list->second.name}};
      f.detail = {{"read", e.plate}, {"score", candidate.score}, {"direction", e.direction}};
      if (candidate.differs_at) f.detail["differs_at"] = *candidate.differs_at;
      fire(std::move(f));
    }
  }
}

void AlertEngine::checkFace(const domain::Event& e, int64_t key, const std::string& region) {
  if (e.embedding.empty()) return;
  auto embedding = embeddingOf(e.embedding);
  if (!embedding) return;
  checkStranger(e, key, region, *embedding);
  if (!faces_ || entries_.empty()) return;
  float lowest = 1;
  for (const auto& [id, list] : lists_)
    lowest = std::min(lowest, static_cast<float>(list.threshold));
  for (const auto& match : faces_->match(*embedding, lowest)) {
    auto index = entry_index_.find(match.entry_id);
    if (index == entry_index_.end()) continue;
    const WatchedEntry& entry = entries_[index->second];
    auto list = lists_.find(entry.list_id);
    if (list == lists_.end() || !listMatches(list->second, e.ts, region) ||
        match.similarity < list->second.threshold) {
      continue;
    }
    Firing f = watchFiring(entry, list->second, "watchlist_person", e, key, region, "face_capture");
    f.title = "布控人员人脸比中：" + (entry.name.empty() ? entry.id_number : entry.name) + "（" +
              list->second.name + "）";
    f.subject = {{"name", entry.name}, {"watchlist", list->second.name}};
    if (entry.person_id) f.subject["person_id"] = *entry.person_id;
    f.detail = {{"similarity", match.similarity}, {"image", e.image}};
    fire(std::move(f));
  }
}

void AlertEngine::checkStranger(const domain::Event& e, int64_t key, const std::string& region,
                                const std::vector<float>& embedding) {
  if (!captures_) return;
  for (const Rule& rule : rules_list_) {
    if (rule.kind != "stranger_frequent" || !covers(rule.region_path, region) ||
        !rule.active(e.ts, options_.utc_offset_minutes)) {
      continue;
    }
    const float threshold = static_cast<float>(rule.similarity);
    if (enrolled_ && !enrolled_->match(embedding, threshold).empty()) return;  // a known face
    auto similar =
        captures_->similar(embedding, e.estate_id, e.ts - int64_t{rule.days} * 86'400'000, e.ts,
                           rule.min_count + 1, threshold);
    // The index may or may not hold this capture yet: count it once either way.
    std::erase_if(similar, [&](const CaptureIndex::Similar& s) { return s.key == key; });
    if (static_cast<int>(similar.size()) + 1 < rule.min_count) continue;
    const auto oldest = std::min_element(
        similar.begin(), similar.end(),
        [](const CaptureIndex::Similar& a, const CaptureIndex::Similar& b) { return a.ts < b.ts; });
    Firing f = ruleFiring(rule, e, key, region, "face_capture");
    // The same stranger keeps the same first sighting while it stays in the window.
    f.dedup_key = "r:" + std::to_string(rule.id) + ":" + std::to_string(e.estate_id) + ":" +
                  std::to_string(oldest == similar.end() ? key : oldest->key);
    f.title = "陌生人频繁出现：" + std::to_string(rule.days) + " 天内 " +
              std::to_string(similar.size() + 1) + " 次";
    json seen = json::array();
    for (const auto& s : similar) seen.push_back(s.key);
    f.subject = {{"captures", seen}};
    f.detail = {{"image", e.image}};
    fire(std::move(f));
  }
}

void AlertEngine::checkAlarm(const domain::Event& e, int64_t key, const std::string& region) {
  const json attrs = json::parse(e.attrs, nullptr, false);
  const std::string type = attrs.is_object() ? attrs.value("type", "") : "";
  if (type.empty()) return;
  const bool door = type == "door_forced" || type == "door_held_open";
  for (const Rule& rule : rules_list_) {
    if (!covers(rule.region_path, region) || !rule.active(e.ts, options_.utc_offset_minutes)) {
      continue;
    }
    if (rule.kind == "door_alarm") {
      if (!door || !rule.conditions.count(type == "door_forced" ? "forced" : "held_open")) continue;
    } else if (rule.kind == "alarm") {
      if (!rule.types.empty() && !rule.types.count(type)) continue;
    } else {
      continue;
    }
    Firing f = ruleFiring(rule, e, key, region, "alarm");
    f.dedup_key = "r:" + std::to_string(rule.id) + ":" + e.device_id + ":" + type;
    f.title = alarmLabel(type) + "：" + e.device_id;
    f.subject = {{"device_id", e.device_id}, {"type", type}};
    f.detail = attrs;
    fire(std::move(f));
  }
}

void AlertEngine::deviceChanges(const std::vector<store::DeviceStatusChange>& changes) {
  if (changes.empty()) return;
  std::lock_guard lock(match_mutex_);
  refresh();
  for (const auto& change : changes) {
    const std::string region = regionOf(change.estate_id);
    std::string kind, name;
    for (const Rule& rule : rules_list_) {
      if (rule.kind != "device_offline" || !covers(rule.region_path, region)) continue;
      const std::string key = "r:" + std::to_string(rule.id) + ":" + change.device_id;
      if (change.online) {
        auto closed = alerts_.closeOpen(key, "设备恢复在线 (the device is back online)");
        if (closed && *closed && publisher_) {
          auto alert = alerts_.get(**closed);
          if (alert) publisher_->publish({"alert", region, *alert});
        }
        continue;
      }
      if (kind.empty()) {
        Status st = registry_.read([&](store::Connection& c) -> Status {
          auto row = c.query("SELECT kind, name FROM devices WHERE id = ?", {change.device_id});
          if (!row) return row.status();
          if (!row->empty()) {
            kind = asText(row->rows[0][0]);
            name = asText(row->rows[0][1]);
          }
          return {};
        });
        if (!st) continue;
      }
      if (!rule.device_kinds.empty() && !rule.device_kinds.count(kind)) continue;
      if (!rule.active(change.ts, options_.utc_offset_minutes)) continue;
      Firing f;
      f.source = "rule";
      f.kind = rule.kind;
      f.rule_id = rule.id;
      f.level = rule.level;
      f.estate_id = change.estate_id;
      f.region_path = region;
      f.ts = change.ts;
      f.device_id = change.device_id;
      f.event_kind = "device_status";
      f.dedup_key = key;
      f.title = "设备离线：" + (name.empty() ? change.device_id : name);
      f.subject = {{"device_id", change.device_id}, {"name", name}, {"kind", kind}};
      f.detail = {{"online", false}};
      fire(std::move(f));
    }
  }
}

void AlertEngine::tick() {
  std::lock_guard lock(match_mutex_);
  refresh();
  const int64_t now = clock_.nowMillis();
  for (const Rule& rule : rules_list_) {
    if (rule.kind != "elderly_no_passage" || !rule.active(now, options_.utc_offset_minutes)) {
      continue;
    }
    const int64_t since = now - int64_t{rule.hours} * 3'600'000;
    for (const auto& [person, who] : tagged_) {
      if (!who.tags.count("elderly_alone") || !who.estate_id) continue;
      const std::string region = regionOf(*who.estate_id);
      if (!covers(rule.region_path, region)) continue;
      auto last = last_passage_.find(person);
      if (last != last_passage_.end() && last->second >= since) continue;
      if (events_) {
        // After a restart the store knows passages this process has not seen.
        auto page = events_->trajectory(
            {.person_id = person, .from = since, .to = now, .estates = std::nullopt, .limit = 1});
        if (page && !page->items.empty()) {
          last_passage_[person] = page->items.front().event.ts;
          continue;
        }
      }
      Firing f;
      f.source = "rule";
      f.kind = rule.kind;
      f.rule_id = rule.id;
      f.level = rule.level;
      f.estate_id = who.estate_id;
      f.region_path = region;
      f.ts = now;
      f.event_kind = "no_passage";
      f.dedup_key = "r:" + std::to_string(rule.id) + ":" + std::to_string(person);
      f.title = "独居老人 " + who.name + " 已 " + std::to_string(rule.hours) + " 小时无通行记录";
      f.subject = {{"person_id", person}, {"name", who.name}};
      if (last != last_passage_.end()) {
        f.detail = {{"last_passage", formatTimestamp(last->second, options_.utc_offset_minutes)}};
      }
      // Checked again next tick only once seen: the open alert is not counted up every minute.
      last_passage_[person] = now;
      fire(std::move(f));
    }
  }
}

}  // namespace anju::alerts
