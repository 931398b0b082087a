// The OpenAPI document is made from the router and the registry's entity specs, so it cannot
// fall out of step with what the server answers.
#include "api/routes.h"
#include "domain/entity.h"

namespace anju::api {

using domain::FieldType;
using nlohmann::json;

namespace {

json fieldSchema(const domain::FieldSpec& f) {
  json s;
  switch (f.type) {
    case FieldType::kInteger:
      s = {{"type", "integer"}};
      break;
    case FieldType::kReal:
      s = {{"type", "number"}};
      break;
    case FieldType::kBoolean:
      s = {{"type", "boolean"}};
      break;
    case FieldType::kDate:
      s = {{"type", "string"}, {"format", "date"}};
      break;
    case FieldType::kTimestamp:
      s = {{"type", "string"}, {"format", "date-time"}};
      break;
    case FieldType::kRef:
      s = {{"type", f.ref == "devices" ? "string" : "integer"}};
      break;
    case FieldType::kEmbedding:
      s = {{"type", "array"}, {"items", {{"type", "number"}}}};
      break;
    case FieldType::kList:
      s = {{"type", "array"},
           {"items", {{"type", !f.ref.empty() && f.ref != "devices" ? "integer" : "string"}}}};
      break;
    default:
      s = {{"type", "string"}, {"maxLength", f.max_length}};
  }
  if (f.type == FieldType::kEnum) {
    json values = json::array();
    for (const auto& c : f.choices) values.push_back(c.value);
    s["enum"] = values;
  }
  if (f.min) s["minimum"] = *f.min;
  if (f.max) s["maximum"] = *f.max;
  s["description"] = f.label;
  if (f.read_only || f.secret) s["readOnly"] = true;
  if (f.write_only) s["writeOnly"] = true;
  return s;
}

json entitySchema(const domain::EntitySpec& spec) {
  json properties = json::object();
  json required = json::array();
  properties["id"] = {{"type", spec.text_id ? "string" : "integer"}};
  for (const auto& f : spec.fields) {
    properties[f.name] = fieldSchema(f);
    if (f.required) required.push_back(f.name);
  }
  properties["created_at"] = {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
  properties["updated_at"] = {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
  return {{"type", "object"},
          {"description", spec.label},
          {"properties", properties},
          {"required", required}};
}

// Search by face: the request, its answer and the index's state.
void addFaceSchemas(json& schemas) {
  const json number = {{"type", "number"}};
  const json integer = {{"type", "integer"}};
  const json text = {{"type", "string"}};
  schemas["FaceSearch"] = {
      {"type", "object"},
      {"properties",
       {{"embedding", {{"type", "array"}, {"items", number}, {"minItems", 128}, {"maxItems", 512}}},
        {"from", text},
        {"to", text},
        {"estate_ids", {{"type", "array"}, {"items", integer}}},
        {"region_id", integer},
        {"k", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}},
        {"top_k", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}},
        {"min_similarity", {{"type", "number"}, {"minimum", -1}, {"maximum", 1}}},
        {"photo",
         {{"type", "string"},
          {"description",
           "JPEG or PNG of a face, base64 or a data URL, instead of embedding; needs a face "
           "model configured"}}},
        {"purpose", text}}},
      {"oneOf", json::array({{{"required", {"embedding"}}}, {{"required", {"photo"}}}})}};
  schemas["FaceHits"] = {{"type", "object"},
                         {"properties",
                          {{"items",
                            {{"type", "array"},
                             {"items",
                              {{"type", "object"},
                               {"properties",
                                {{"key", integer},
                                 {"event_id", text},
                                 {"device_id", text},
                                 {"estate_id", integer},
                                 {"ts", text},
                                 {"similarity", number},
                                 {"image", text}}}}}}}}},
                         {"required", {"items"}}};
  schemas["FaceIndexStatus"] = {
      {"type", "object"},
      {"properties",
       {{"indexed", integer},
        {"buffered", integer},
        {"partitions", integer},
        {"trained", {{"type", "boolean"}}},
        {"memory_bytes", integer},
        {"queued", integer},
        {"dropped", integer},
        {"rebuilding", {{"type", "boolean"}}},
        {"rebuild",
         {{"type", "object"},
          {"properties", {{"captures", integer}, {"days_done", integer}, {"days", integer}}}}}}}};
}

// An estate's site plan (GET /api/v1/estates/{id}/plan).
void addPlanSchemas(json& schemas) {
  const json metres = {{"type", "number"}, {"nullable", true}};
  const json text = {{"type", "string"}};
  schemas["SitePlan"] = {
      {"type", "object"},
      {"properties",
       {{"estate",
         {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"name", text},
            {"plan_width", metres},
            {"plan_height", metres}}}}},
        {"buildings",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"id", {{"type", "integer"}}},
              {"name", text},
              {"plan_x", metres},
              {"plan_y", metres}}}}}}},
        {"devices",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"id", text},
              {"name", text},
              {"kind", text},
              {"building_id", {{"type", "integer"}, {"nullable", true}}},
              {"plan_x", metres},
              {"plan_y", metres},
              {"online", {{"type", "boolean"}}},
              {"last_seen",
               {{"type", "string"}, {"format", "date-time"}, {"nullable", true}}}}}}}}},
        {"alerts",
         {{"type", "array"},
          {"description", "The estate's open alerts, each with the device_id of its latest event"},
          {"items", {{"type", "object"}}}}}}}};
}

json components() {
  json schemas = json::object();
  for (const auto& spec : domain::registry()) schemas[spec.name] = entitySchema(spec);
  addPlanSchemas(schemas);
  schemas["Error"] = {{"type", "object"},
                      {"properties",
                       {{"error",
                         {{"type", "object"},
                          {"properties",
                           {{"code", {{"type", "string"}}},
                            {"message", {{"type", "string"}}},
                            {"field", {{"type", "string"}}}}},
                          {"required", {"code", "message"}}}}}}};
  schemas["IngestResult"] = {{"type", "object"},
                             {"properties",
                              {{"accepted", {{"type", "integer"}}},
                               {"duplicates", {{"type", "integer"}}},
                               {"rejected",
                                {{"type", "array"},
                                 {"items",
                                  {{"type", "object"},
                                   {"properties",
                                    {{"index", {{"type", "integer"}}},
                                     {"error", {{"type", "string"}}},
                                     {"field", {{"type", "string"}}}}}}}}}}},
                             {"required", {"accepted", "duplicates", "rejected"}}};
  schemas["Login"] = {
      {"type", "object"},
      {"properties", {{"username", {{"type", "string"}}}, {"password", {{"type", "string"}}}}},
      {"required", {"username", "password"}}};
  schemas["NewUser"] = {{"type", "object"},
                        {"properties",
                         {{"username", {{"type", "string"}}},
                          {"password", {{"type", "string"}, {"minLength", 8}}},
                          {"roles", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                          {"region_id", {{"type", "integer"}}},
                          {"display_name", {{"type", "string"}}},
                          {"person_id", {{"type", "integer"}}},
                          {"department_id", {{"type", "integer"}}}}},
                        {"required", {"username", "password", "roles"}}};
  schemas["User"] = {{"type", "object"},
                     {"properties",
                      {{"id", {{"type", "integer"}}},
                       {"username", {{"type", "string"}}},
                       {"roles", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                       {"region_id", {{"type", "integer"}}},
                       {"display_name", {{"type", "string"}}},
                       {"person_id", {{"type", "integer"}}},
                       {"department_id", {{"type", "integer"}}}}}};
  schemas.update(screeningSchemas());
  schemas["IncidentAction"] = {
      {"type", "object"},
      {"properties",
       {{"action",
         {{"type", "string"},
          {"enum", {"acknowledge", "dispatch", "arrive", "resolve", "false_alarm"}}}},
        {"note", {{"type", "string"}, {"maxLength", 2000}}},
        {"dispatched_to",
         {{"type", "string"}, {"maxLength", 200}, {"description", "required for dispatch"}}}}},
      {"required", {"action"}}};
  schemas["SosRequest"] = {{"type", "object"},
                           {"properties",
                            {{"confirm", {{"type", "boolean"}, {"enum", {true}}}},
                             {"note", {{"type", "string"}, {"maxLength", 500}}}}},
                           {"required", {"confirm"}}};
  addFaceSchemas(schemas);
  return {{"schemas", schemas},
          {"securitySchemes",
           {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
            {"device",
             {{"type", "apiKey"},
              {"in", "header"},
              {"name", "X-Anju-Signature"},
              {"description",
               "Hex HMAC-SHA256 with the device's secret of the body (or, without a body, of the "
               "request target), with the device's id in X-Anju-Device"}}}}}};
}

json parameter(const std::string& name, const char* in, bool required) {
  return {{"name", name}, {"in", in}, {"required", required}, {"schema", {{"type", "string"}}}};
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

json openApiDocument(const Router& router) {
  json paths = json::object();
  for (const auto& route : router.routes()) {
    json op = {{"summary", route.summary}, {"tags", {route.tag}}};
    json params = json::array();
    std::size_t pos = 0;
    while ((pos = route.pattern.find('{', pos)) != std::string::npos) {
      auto end = route.pattern.find('}', pos);
      params.push_back(parameter(route.pattern.substr(pos + 1, end - pos - 1), "path", true));
      pos = end;
    }
    if (route.list) {
      params.push_back(parameter("cursor", "query", false));
      params.push_back(parameter("limit", "query", false));
    }
    for (const auto& q : route.query) params.push_back(parameter(q, "query", false));
    if (!params.empty()) op["parameters"] = params;
    if (!route.request_schema.empty()) {
      op["requestBody"] = {
          {"required", true},
          {"content",
           {{"application/json",
             {{"schema", {{"$ref", "#/components/schemas/" + route.request_schema}}}}}}}};
    }
    json ok = {{"description", "OK"}};
    if (!route.response_schema.empty()) {
      json item = {{"$ref", "#/components/schemas/" + route.response_schema}};
      json schema = route.list ? json{{"type", "object"},
                                      {"properties",
                                       {{"items", {{"type", "array"}, {"items", item}}},
                                        {"next", {{"type", "string"}, {"nullable", true}}}}}}
                               : item;
      ok["content"] = {{"application/json", {{"schema", schema}}}};
    }
    json error = {{"description", "Error"},
                  {"content",
                   {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    op["responses"] = {
        {route.method == "POST" && !route.response_schema.empty() ? "201" : "200", ok},
        {"4XX", error}};
    if (route.authenticated) {
      op["security"] = json::array({{{"bearer", json::array()}}});
      if (route.device_signed) op["security"].push_back({{"device", json::array()}});
      if (!route.roles.empty()) op["x-roles"] = route.roles;
    }
    paths[route.pattern][lower(route.method)] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "Anju (安居) API"},
            {"version", "1"},
            {"description",
             "Smart safe communities and grassroots governance: registry, devices, alerts and "
             "cases."}}},
          {"paths", paths},
          {"components", components()}};
}

}  // namespace anju::api
