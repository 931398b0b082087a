// Device events: ingestion (signed by the device or sent by an administrator), the event list,
// trajectories across estates, snapshots, and devices' online transitions.
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "api/responses.h"
#include "api/routes.h"
#include "common/json_text.h"
#include "domain/plate.h"
#include "faces/face_catalog.h"
#include "ingest/gzip.h"
#include "ingest/multipart.h"

namespace anju::api {

using nlohmann::json;

namespace {

std::string_view sourceOf(domain::EventKind kind) {
  switch (kind) {
    case domain::EventKind::kAccess:
      return "access";
    case domain::EventKind::kVehicle:
      return "vehicle";
    case domain::EventKind::kFaceCapture:
      return "face";
    default:
      return domain::kindName(kind);
  }
}

void appendField(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":\"";
  appendJsonEscaped(out, value);
  out += '"';
}

// A face capture that joined a person's trajectory: how like one of their enrolled faces it is.
struct FaceMatch {
  float similarity = 0;
  int64_t template_id = 0;  // the credential holding that face
  int64_t ts = 0;           // the capture's
};
using FaceMatches = std::map<int64_t, FaceMatch>;  // by event key

// Written as text rather than through a JSON object: a page of a hundred events is the hot path
// of every trajectory, and the kind's attrs are already JSON.
void appendEvent(std::string& out, const store::StoredEvent& s, int utc_offset_minutes,
                 const FaceMatches* matches = nullptr) {
  const domain::Event& e = s.event;
  out += "{\"event_id\":\"";
  appendJsonEscaped(out, e.event_id);
  out += '"';
  appendField(out, "device_id", e.device_id);
  out += ",\"estate_id\":" + std::to_string(e.estate_id);
  appendField(out, "ts", formatTimestamp(e.ts, utc_offset_minutes));
  appendField(out, "received", formatTimestamp(e.received, utc_offset_minutes));
  appendField(out, "kind", domain::kindName(e.kind));
  appendField(out, "source", sourceOf(e.kind));
  if (e.person_id) out += ",\"person_id\":" + std::to_string(*e.person_id);
  if (!e.plate.empty()) appendField(out, "plate", e.plate);
  if (!e.result.empty()) appendField(out, "result", e.result);
  if (!e.direction.empty()) appendField(out, "direction", e.direction);
  if (!e.image.empty()) appendField(out, "snapshot", e.image);
  // attrs is an object written by the decoder or by Anju itself: its members join the event's.
  if (e.attrs.size() > 2 && e.attrs.front() == '{' && e.attrs.back() == '}') {
    out += ',';
    out.append(e.attrs, 1, e.attrs.size() - 2);
  }
  if (matches) {
    auto m = matches->find(store::EventStore::eventKey(e.ts, s.seq));
    if (m != matches->end()) {
      char similarity[32];
      std::snprintf(similarity, sizeof similarity, "%.4f", m->second.similarity);
      out += ",\"similarity\":";
      out += similarity;
      out += ",\"match\":{\"similarity\":";
      out += similarity;
      out += ",\"template\":" + std::to_string(m->second.template_id) + "}";
    }
  }
  out += '}';
}

http::Response pageResponse(const store::EventPage& page, int utc_offset_minutes,
                            const FaceMatches* matches = nullptr) {
  std::string body = "{\"items\":[";
  body.reserve(page.items.size() * 320 + 64);
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i) body += ',';
    appendEvent(body, page.items[i], utc_offset_minutes, matches);
  }
  body += "],\"next\":";
  if (page.next) {
    body += '"';
    appendJsonEscaped(body, *page.next);
    body += '"';
  } else {
    body += "null";
  }
  body += '}';
  http::Response response;
  response.body = std::move(body);
  return response;
}

std::string_view imageType(std::string_view bytes) {
  if (bytes.size() > 3 && bytes.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
  if (bytes.size() > 8 && bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n") return "image/png";
  return "application/octet-stream";
}

http::Response ingestEvents(Services& services, Call& call) {
  if (!services.ingestor) {
    return errorResponse(Status{Code::kUnavailable, "事件接收未启用 (ingestion is not running)"});
  }
  std::string inflated;
  std::string_view body = call.request.body;
  if (call.request.header("content-encoding") == "gzip") {
    auto raw = ingest::gunzip(body, services.options.max_inflated_bytes);
    if (!raw) return errorResponse(raw.status());
    inflated = std::move(*raw);
    body = inflated;
  }
  std::map<std::string, std::string_view> parts;
  const std::string boundary = ingest::multipartBoundary(call.request.header("content-type"));
  if (!boundary.empty()) {
    auto parsed = ingest::parseMultipart(body, boundary);
    if (!parsed) return errorResponse(parsed.status());
    parts = std::move(*parsed);
    auto events = parts.find("events");
    if (events == parts.end()) {
      return errorResponse(Status::invalid(
          "events", "缺少 events 部分 (the multipart body needs an \"events\" part)"));
    }
    body = events->second;
  }
  auto result = services.ingestor->ingest(body, call.device, parts);
  if (!result) {
    auto response = errorResponse(result.status());
    if (result.status().code() == Code::kRateLimited)
      response.headers.emplace_back("Retry-After", "1");
    return response;
  }
  json rejected = json::array();
  for (const auto& r : result->rejected) {
    json item = {{"index", r.index}, {"error", r.error}};
    if (!r.field.empty()) item["field"] = r.field;
    rejected.push_back(std::move(item));
  }
  return jsonResponse(200, json{{"accepted", result->accepted},
                                {"duplicates", result->duplicates},
                                {"rejected", std::move(rejected)}});
}

// Matched captures per enrolled face, at most: a trajectory is a timeline, not a crowd.
constexpr int kMatchesPerTemplate = 1000;

// The captures in the window and estates that look like one of the person's enrolled faces
// (credentials of type face) at or above `threshold`, each with its best template.
Result<FaceMatches> faceMatches(Services& services, int64_t person, const store::TrajectoryQuery& q,
                                float threshold) {
  FaceMatches matches;
  if (!services.faces) return matches;
  std::vector<std::pair<int64_t, std::string>> templates;
  ANJU_RETURN_IF_ERROR(services.db.read([&](store::Connection& c) -> Status {
    auto rows = c.query(
        "SELECT id, embedding FROM credentials WHERE person_id = ? AND type = 'face' AND "
        "embedding IS NOT NULL",
        {person});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows)
      templates.emplace_back(store::asInt(r[0]), store::asText(r[1]));
    return {};
  }));
  for (const auto& [id, text] : templates) {
    json parsed = json::parse(text, nullptr, false);
    if (!parsed.is_array()) continue;
    faces::FaceQuery fq{.from = q.from,
                        .to = q.to,
                        .estates = q.estates,
                        .k = kMatchesPerTemplate,
                        .min_similarity = threshold};
    for (const auto& x : parsed) fq.embedding.push_back(x.is_number() ? x.get<float>() : 0.0f);
    auto hits = services.faces->search(fq);
    if (!hits) continue;  // a template the registry let in but no index takes: no matches
    for (const auto& h : *hits) {
      auto& m = matches[h.key];
      if (h.similarity > m.similarity || m.template_id == 0) m = {h.similarity, id, h.ts};
    }
  }
  return matches;
}

// The (ts, seq) position a cursor continues after; without one, before everything. The store has
// already refused a malformed cursor.
std::pair<int64_t, int64_t> cursorPosition(const std::string& cursor) {
  int64_t day = 0, ts = 0, seq = 0;
  if (std::sscanf(cursor.c_str(), "%" SCNd64 ".%" SCNd64 ".%" SCNd64, &day, &ts, &seq) != 3)
    return {std::numeric_limits<int64_t>::min(), 0};
  return {ts, seq};
}

// The store's page of passages with the matched captures merged in, in time order: both are
// ordered by (ts, seq), so the page keeps the first `limit` of the two and its cursor stays the
// store's own kind.
Status mergeMatches(Services& services, const store::TrajectoryQuery& q, const FaceMatches& matches,
                    store::EventPage& page) {
  const auto after = cursorPosition(q.cursor);
  // Only the first `limit` captures after the cursor can be on this page: only those are read.
  std::vector<std::pair<std::pair<int64_t, int64_t>, int64_t>> due;  // (ts, seq), key
  for (const auto& [key, match] : matches) {
    const std::pair<int64_t, int64_t> at{match.ts, key & 0xffffffffLL};
    if (at > after) due.push_back({at, key});
  }
  std::sort(due.begin(), due.end());
  const bool more_captures = static_cast<int>(due.size()) > q.limit;
  if (more_captures) due.resize(q.limit);
  std::set<std::pair<int64_t, int64_t>> listed;
  for (const auto& s : page.items) listed.insert({s.event.ts, s.seq});
  bool added = false;
  for (const auto& [at, key] : due) {
    if (listed.count(at)) continue;
    auto stored = services.event_store->byKey(key);
    if (!stored) return stored.status();
    if (!*stored) continue;  // its day is gone
    page.items.push_back(std::move(**stored));
    added = true;
  }
  if (!added) return {};
  std::sort(page.items.begin(), page.items.end(), [](const auto& a, const auto& b) {
    return std::pair(a.event.ts, a.seq) < std::pair(b.event.ts, b.seq);
  });
  // A full page of passages ends where the store's next page begins, and captures after that wait
  // for it too.
  if (static_cast<int>(page.items.size()) > q.limit || page.next || more_captures) {
    if (static_cast<int>(page.items.size()) > q.limit) page.items.resize(q.limit);
    const auto& last = page.items.back();
    page.next = std::to_string(store::EventStore::dayOf(last.event.ts)) + "." +
                std::to_string(last.event.ts) + "." + std::to_string(last.seq);
  }
  return {};
}

}  // namespace

void addEventRoutes(Router& router, Services& services) {
  const int offset = services.options.utc_offset_minutes;

  router.add({.method = "POST",
              .pattern = "/api/v1/events",
              .summary = "Send device events: a JSON array or NDJSON (gzip accepted), signed by "
                         "the device or sent with an administrator's token; answered once stored",
              .tag = "events",
              .device_signed = true,
              .roles = {"admin"},
              .response_schema = "IngestResult",
              .handler = [&services](Call& call) { return ingestEvents(services, call); }});

  router.add({.method = "GET",
              .pattern = "/api/v1/events",
              .summary = "Events in arrival order, by device and time, within the caller's scope",
              .tag = "events",
              .roles = {"police", "security", "admin"},
              .list = true,
              .query = {"device_id", "from", "to"},
              .handler = [&services, offset](Call& call) {
                if (!services.event_store) return errorResponse(Status::notFound("no events"));
                store::EventListQuery q;
                ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, q.from, q.to));
                auto limit = limitParam(call, 100, 1000);
                if (!limit) return errorResponse(limit.status());
                auto estates = scopeEstates(services, call);
                if (!estates) return errorResponse(estates.status());
                q.device_id = call.request.queryParam("device_id");
                q.cursor = call.request.queryParam("cursor");
                q.limit = *limit;
                q.estates = std::move(*estates);
                auto page = services.event_store->list(q);
                if (!page) return errorResponse(page.status());
                return pageResponse(*page, offset);
              }});

  router.add(
      {.method = "GET",
       .pattern = "/api/v1/trajectory",
       .summary = "Where a person or a vehicle has been: one timeline, oldest first, across every "
                  "estate in the caller's scope (a person's passages, their vehicles' "
                  "passages, and face captures like their enrolled faces at or above "
                  "match_threshold, marked with the similarity); needs a purpose, which the "
                  "audit log records",
       .tag = "events",
       .roles = {"police", "security", "admin"},
       .list = true,
       .query = {"person_id", "plate", "from", "to", "purpose", "match_threshold"},
       .handler = [&services, offset](Call& call) {
         if (!services.event_store) return errorResponse(Status::notFound("no events"));
         if (call.purpose().empty()) {
           return errorResponse(Status::invalid(
               "purpose", "查询轨迹须说明用途 (state the purpose of this trajectory search)"));
         }
         store::TrajectoryQuery q;
         ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, q.from, q.to));
         double threshold = services.options.face_match_threshold;
         if (const std::string t = call.request.queryParam("match_threshold"); !t.empty()) {
           auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), threshold);
           if (ec != std::errc() || ptr != t.data() + t.size() || !(threshold >= 0) ||
               threshold > 1) {
             return errorResponse(
                 Status::invalid("match_threshold",
                                 "match_threshold 应为 0 到 1 的数 (match_threshold must be a "
                                 "number from 0 to 1)"));
           }
         }
         auto limit = limitParam(call, 100, 1000);
         if (!limit) return errorResponse(limit.status());
         q.limit = *limit;
         q.cursor = call.request.queryParam("cursor");
         auto person_param = idParam(call, "person_id");
         if (!person_param) return errorResponse(person_param.status());
         const std::string plate_text = call.request.queryParam("plate");
         std::string object, object_id;
         if (*person_param) {
           const int64_t person = **person_param;
           bool exists = false;
           Status st = services.db.read([&](store::Connection& c) -> Status {
             auto found = c.query("SELECT 1 FROM persons WHERE id = ?", {person});
             if (!found) return found.status();
             exists = !found->empty();
             auto plates = c.query("SELECT plate FROM vehicles WHERE person_id = ?", {person});
             if (!plates) return plates.status();
             for (const auto& r : plates->rows) q.plates.push_back(store::asText(r[0]));
             return {};
           });
           if (!st) return errorResponse(st);
           if (!exists) {
             return errorResponse(Status::notFound("没有这个人员 (no such person)", "person_id"));
           }
           q.person_id = person;
           object = "persons";
           object_id = std::to_string(person);
         } else if (!plate_text.empty()) {
           auto plate = domain::parsePlate(plate_text);
           if (!plate) return errorResponse(plate.status());
           q.plates.push_back(plate->normalized);
           object = "vehicles";
           object_id = plate->normalized;
         } else {
           return errorResponse(
               Status::invalid("person_id", "请给出 person_id 或 plate (give person_id or plate)"));
         }
         auto estates = scopeEstates(services, call);
         if (!estates) return errorResponse(estates.status());
         q.estates = std::move(*estates);
         auto entry = auditEntry(call, "trajectory", object, object_id);
         entry.detail = call.request.target.substr(call.request.path.size());
         ANJU_RETURN_IF_ERROR_RESPONSE(services.audit.record(entry));
         auto page = services.event_store->trajectory(q);
         if (!page) return errorResponse(page.status());
         if (!q.person_id) return pageResponse(*page, offset);
         // The person's face, seen by cameras where no passage recorded them.
         auto matches = faceMatches(services, *q.person_id, q, static_cast<float>(threshold));
         if (!matches) return errorResponse(matches.status());
         ANJU_RETURN_IF_ERROR_RESPONSE(mergeMatches(services, q, *matches, *page));
         return pageResponse(*page, offset, &*matches);
       }});

  router.add({.method = "GET",
              .pattern = "/api/v1/snapshots/{hash}",
              .summary = "A snapshot image that came with an event (audited)",
              .tag = "events",
              .roles = {"police", "security", "admin"},
              .handler = [&services](Call& call) {
                if (!services.blobs) return errorResponse(Status::notFound("no snapshots"));
                const std::string& hash = call.params["hash"];
                auto bytes = services.blobs->get(hash);
                if (!bytes) return errorResponse(bytes.status());
                ANJU_RETURN_IF_ERROR_RESPONSE(
                    services.audit.record(auditEntry(call, "read", "snapshots", hash)));
                http::Response response;
                response.content_type = std::string(imageType(*bytes));
                response.body = std::move(*bytes);
                response.headers.emplace_back("Cache-Control", "private, max-age=86400");
                return response;
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/devices/status-changes",
              .summary = "Devices going offline and coming back, oldest first, after an id",
              .tag = "devices",
              .roles = {"police", "security", "admin"},
              .query = {"after", "limit"},
              .handler = [&services, offset](Call& call) {
                if (!services.event_store) return errorResponse(Status::notFound("no events"));
                int64_t after = 0;
                const std::string text = call.request.queryParam("after");
                if (!text.empty()) {
                  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), after);
                  if (ec != std::errc() || ptr != text.data() + text.size()) {
                    return errorResponse(
                        Status::invalid("after", "after 应为整数 (after must be a number)"));
                  }
                }
                auto limit = limitParam(call, 100, 1000);
                if (!limit) return errorResponse(limit.status());
                auto estates = scopeEstates(services, call);
                if (!estates) return errorResponse(estates.status());
                // Filtered in the query, so a page of another region's changes never hides the
                // caller's own behind the limit.
                auto changes = services.event_store->statusChanges(after, *estates, *limit);
                if (!changes) return errorResponse(changes.status());
                json items = json::array();
                for (const auto& ch : *changes) {
                  items.push_back(json{{"id", ch.id},
                                       {"device_id", ch.device_id},
                                       {"estate_id", ch.estate_id},
                                       {"ts", formatTimestamp(ch.ts, offset)},
                                       {"online", ch.online}});
                }
                return jsonResponse(200, {{"items", std::move(items)}});
              }});
}

}  // namespace anju::api
