// Search by face (以图搜图) and the state of the face index. The index lives in faces/; this file
// checks who is asking, keeps the search inside their region, audits the stated purpose and maps
// JSON.
#include <cmath>

#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "common/crypto.h"
#include "common/json_fields.h"
#include "faces/face_catalog.h"
#include "faces/face_model.h"

namespace anju::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kSearchers = {"police", "security", "admin"};
constexpr int kMaxK = 100;

Status invalidNumber(const std::string& field, const std::string& range) {
  return Status::invalid(field, field + " 应为 " + range + " 的数 (" + field +
                                    " must be a number from " + range + ")");
}

Result<std::vector<float>> embeddingField(const json& body) {
  auto it = body.find("embedding");
  if (it == body.end() || it->is_null())
    return Status::invalid("embedding", "缺少字段 (missing field embedding)");
  if (!it->is_array())
    return Status::invalid("embedding",
                           "人脸特征应为数组 (embedding must be an array of 128 or 512 numbers)");
  std::vector<float> v;
  v.reserve(it->size());
  for (const auto& x : *it) {
    if (!x.is_number())
      return Status::invalid("embedding", "人脸特征应全为数 (embedding must hold numbers only)");
    v.push_back(static_cast<float>(x.get<double>()));  // beyond float's range: inf, refused next
  }
  return v;
}

// A photo sent as base64, bare or as a data URL ("data:image/jpeg;base64,...") as browsers make it.
Result<std::string> photoField(const json& body) {
  const json& photo = body["photo"];
  if (!photo.is_string() || photo.get_ref<const std::string&>().empty())
    return Status::invalid("photo",
                           "照片应为 base64 编码的 JPEG 或 PNG (photo must be a JPEG or PNG image "
                           "in base64)");
  std::string_view text = photo.get_ref<const std::string&>();
  if (text.starts_with("data:")) {
    const auto comma = text.find(',');
    if (comma == std::string_view::npos ||
        text.substr(0, comma).find(";base64") == std::string_view::npos)
      return Status::invalid("photo",
                             "照片的 data URL 应为 base64 (a photo data URL must be base64)");
    text.remove_prefix(comma + 1);
  }
  auto bytes = crypto::base64Decode(text);
  if (!bytes) return Status::invalid("photo", "照片不是有效的 base64 (photo is not valid base64)");
  return std::move(*bytes);
}

// What to search for: the `embedding` given, or the face model's embedding of the `photo`.
Result<std::vector<float>> queryEmbedding(Services& services, const json& body) {
  const bool has_photo = body.contains("photo") && !body["photo"].is_null();
  if (!has_photo) return embeddingField(body);
  if (!services.face_model) {
    return Status::invalid("photo",
                           "未配置人脸模型，只接受人脸特征 (no face model is configured: send an "
                           "embedding of 128 or 512 numbers instead of a photo)");
  }
  if (body.contains("embedding") && !body["embedding"].is_null())
    return Status::invalid(
        "photo", "照片与人脸特征只能给一个 (give either a photo or an embedding, not both)");
  auto photo = photoField(body);
  if (!photo) return photo.status();
  return services.face_model->embed(*photo);
}

Result<std::optional<double>> numberField(const json& body, const std::string& name, double lo,
                                          double hi, const std::string& range) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::optional<double>();
  if (!it->is_number()) return invalidNumber(name, range);
  const double v = it->get<double>();
  if (!(v >= lo && v <= hi)) return invalidNumber(name, range);
  return std::optional(v);
}

Status timeField(const json& body, const std::string& name, int offset, int64_t& out) {
  auto text = textField(body, name, false, 64);
  if (!text) return text.status();
  if (text->empty()) return {};
  auto t = parseTimestamp(*text, offset);
  if (!t) {
    return Status::invalid(name, name +
                                     " 时间格式无效 (use ISO 8601, e.g. 2026-11-22T08:00:00+08:00 "
                                     "or 2026-11-22)");
  }
  out = *t;
  return {};
}

Result<std::vector<int64_t>> estatesUnder(Services& services, const store::Scope& scope) {
  std::vector<int64_t> estates;
  Status st = services.db.read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT id FROM estates WHERE region_path >= ? AND region_path < ?",
                        {scope.path, scope.upperBound()});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) estates.push_back(store::asInt(r[0]));
    return {};
  });
  if (!st) return st;
  return estates;
}

// The estates to search: those asked for (each must exist and lie in the caller's region), or a
// region's (narrowed to the caller's), or the caller's whole scope (nullopt: everywhere).
Result<std::optional<std::vector<int64_t>>> searchEstates(Services& services, const Call& call,
                                                          const json& body) {
  if (auto it = body.find("estate_ids"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->empty())
      return Status::invalid("estate_ids",
                             "estate_ids 应为小区编号数组 (estate_ids must be a "
                             "non-empty array of estate ids)");
    std::vector<int64_t> estates;
    for (const auto& e : *it) {
      if (!e.is_number_integer() || e.get<int64_t>() <= 0)
        return Status::invalid("estate_ids",
                               "estate_ids 应为正整数 (estate_ids must hold "
                               "positive whole numbers)");
      Status in_scope = checkEstateInScope(services, call, e.get<int64_t>());
      if (!in_scope) return Status(in_scope.code(), in_scope.message(), "estate_ids");
      estates.push_back(e.get<int64_t>());
    }
    return std::optional(std::move(estates));
  }
  if (auto it = body.find("region_id"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() <= 0)
      return Status::invalid("region_id",
                             "region_id 应为正整数 (region_id must be a positive "
                             "number)");
    auto path = services.records.regionPath(it->get<int64_t>());
    if (!path) return path.status();
    const store::Scope scope = call.scope();
    store::Scope narrowed{*path};
    if (!scope.contains(*path)) {
      if (!narrowed.contains(scope.path))
        return Status::forbidden("该区域不在您的管辖范围内 (this region is outside your region)");
      narrowed = scope;
    }
    auto estates = estatesUnder(services, narrowed);
    if (!estates) return estates.status();
    return std::optional(std::move(*estates));
  }
  return scopeEstates(services, call);
}

http::Response search(Services& services, Call& call) {
  if (!services.faces || !services.event_store)
    return errorResponse(Status::notFound("人脸检索未启用 (face search is not running)"));
  auto body = parseJsonObject(call.request, services.options.max_json_depth);
  if (!body) return errorResponse(body.status());
  auto stated = textField(*body, "purpose", false, 500);
  if (!stated) return errorResponse(stated.status());
  const std::string purpose = stated->empty() ? call.purpose() : *stated;
  if (purpose.empty()) {
    return errorResponse(
        Status::invalid("purpose", "以图搜图须说明用途 (state the purpose of this face search)"));
  }
  auto embedding = queryEmbedding(services, *body);
  if (!embedding) return errorResponse(embedding.status());
  const bool by_photo = body->contains("photo") && !(*body)["photo"].is_null();
  faces::FaceQuery q{.embedding = std::move(*embedding), .k = 10, .min_similarity = 0};
  const int offset = services.options.utc_offset_minutes;
  q.from = 0;
  q.to = int64_t{253402300799000};
  ANJU_RETURN_IF_ERROR_RESPONSE(timeField(*body, "from", offset, q.from));
  ANJU_RETURN_IF_ERROR_RESPONSE(timeField(*body, "to", offset, q.to));
  if (q.from > q.to)
    return errorResponse(Status::invalid("from", "from 晚于 to (from is after to)"));
  for (const char* name : {"k", "top_k"}) {
    auto it = body->find(name);
    if (it == body->end() || it->is_null()) continue;
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > kMaxK)
      return errorResponse(Status::invalid(name, std::string(name) + " 应为 1 到 100 的整数 (" +
                                                     name +
                                                     " must be a whole number from 1 to 100)"));
    q.k = it->get<int>();
  }
  auto similarity = numberField(*body, "min_similarity", -1, 1, "-1 to 1");
  if (!similarity) return errorResponse(similarity.status());
  if (*similarity) q.min_similarity = static_cast<float>(**similarity);
  auto estates = searchEstates(services, call, *body);
  if (!estates) return errorResponse(estates.status());
  q.estates = std::move(*estates);
  auto hits = services.faces->search(q);
  if (!hits) return errorResponse(hits.status());

  auto entry = auditEntry(call, "face_search", "events", "");
  entry.purpose = purpose;
  entry.detail = std::string(by_photo ? "by photo " : "") + "k=" + std::to_string(q.k) +
                 " hits=" + std::to_string(hits->size());
  ANJU_RETURN_IF_ERROR_RESPONSE(services.audit.record(entry));
  json items = json::array();
  for (const auto& h : *hits) {
    auto stored = services.event_store->byKey(h.key);
    if (!stored) return errorResponse(stored.status());
    if (!*stored) continue;  // gone with its day since it was indexed
    const domain::Event& e = (*stored)->event;
    json item = {{"key", h.key},
                 {"event_id", e.event_id},
                 {"device_id", e.device_id},
                 {"estate_id", e.estate_id},
                 {"ts", formatTimestamp(e.ts, offset)},
                 {"similarity", std::round(h.similarity * 10000) / 10000}};
    if (!e.image.empty()) item["image"] = e.image;
    items.push_back(std::move(item));
  }
  return jsonResponse(200, {{"items", std::move(items)}});
}

json statusJson(const faces::CatalogStatus& s) {
  return {
      {"indexed", s.indexed},
      {"buffered", s.buffered},
      {"partitions", s.partitions},
      {"trained", s.trained},
      {"memory_bytes", s.memory_bytes},
      {"queued", s.queued},
      {"dropped", s.dropped},
      {"rebuilding", s.rebuilding},
      {"rebuild",
       {{"captures", s.rebuilt}, {"days_done", s.rebuild_days_done}, {"days", s.rebuild_days}}}};
}

}  // namespace

void addFaceRoutes(Router& router, Services& services) {
  router.add({.method = "POST",
              .pattern = "/api/v1/faces/search",
              .summary = "Search by face (以图搜图): the captures most like an embedding, best "
                         "first, in a window and the caller's estates; needs a purpose, which the "
                         "audit log records",
              .tag = "faces",
              .roles = kSearchers,
              .request_schema = "FaceSearch",
              .response_schema = "FaceHits",
              .handler = [&services](Call& call) { return search(services, call); }});

  router.add({.method = "GET",
              .pattern = "/api/v1/faces/index",
              .summary = "The face index: captures indexed, partitions, whether its quantiser is "
                         "trained, and the progress of its rebuild after a start",
              .tag = "faces",
              .roles = kSearchers,
              .response_schema = "FaceIndexStatus",
              .handler = [&services](Call&) {
                if (!services.faces)
                  return errorResponse(
                      Status::notFound("人脸检索未启用 (face search is not running)"));
                return jsonResponse(200, statusJson(services.faces->status()));
              }});
}

}  // namespace anju::api
