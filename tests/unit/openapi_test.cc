// The OpenAPI document is what integrators generate clients from: it must list exactly the
// routes the server answers, and every documented route must really be wired to a handler.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>
#include <string>
#include <utility>

#include "api/api.h"
#include "api/router.h"
#include "api/routes.h"
#include "domain/entity.h"
#include "temp_events.h"
#include "temp_store.h"

namespace anju::api {
namespace {

using nlohmann::json;
using test_support::TempStore;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A concrete path for a pattern: ids become 1, the import's entity a real list.
std::string concrete(const std::string& pattern) {
  std::string path;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      path += pattern[i];
      continue;
    }
    std::size_t end = pattern.find('}', i);
    std::string name = pattern.substr(i + 1, end - i - 1);
    path += name == "entity" ? "persons" : "1";
    i = end;
  }
  return path;
}

std::set<std::string> pathParameters(const std::string& pattern) {
  std::set<std::string> names;
  for (std::size_t pos = pattern.find('{'); pos != std::string::npos;
       pos = pattern.find('{', pos + 1)) {
    names.insert(pattern.substr(pos + 1, pattern.find('}', pos) - pos - 1));
  }
  return names;
}

void collectRefs(const json& node, std::set<std::string>& refs) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "$ref" && it->is_string()) refs.insert(it->get<std::string>());
      collectRefs(*it, refs);
    }
  } else if (node.is_array()) {
    for (const auto& element : node) collectRefs(element, refs);
  }
}

class OpenApiTest : public ::testing::Test {
 protected:
  http::Request request(const std::string& method, const std::string& path,
                        const std::string& token = {}) {
    http::Request r;
    r.method = method;
    r.target = path;
    r.path = path;
    r.remote_address = "127.0.0.1";
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return r;
  }

  std::string adminToken() {
    auto created =
        users_.create({.username = "admin", .password = "correct-horse", .roles = {"admin"}});
    EXPECT_TRUE(created) << created.status().message();
    auto session = users_.login("admin", "correct-horse", std::chrono::hours(1));
    EXPECT_TRUE(session) << session.status().message();
    return session ? session->token : std::string();
  }

  TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2025} / 6 / 1))};
  store::RecordStore records_{store_.db(), clock_, 480};
  store::UserStore users_{store_.db(), clock_};
  store::AuditLog audit_{store_.db(), clock_, 480};
  test_support::TempEvents events_{store_, clock_};
  notify::Hub hub_{store_.db(), clock_};
  alerts::AlertStore alerts_{store_.db(), clock_, 480};
  alerts::RuleStore rules_{store_.db(), clock_, 480};
  alerts::WatchlistStore watchlists_{store_.db(), clock_, 480};
  Api api_{Services{.db = store_.db(),
                    .records = records_,
                    .users = users_,
                    .audit = audit_,
                    .clock = clock_,
                    .options = {},
                    .devices = &events_.devices,
                    .events = events_.writer.get(),
                    .ingestor = events_.ingestor.get(),
                    .event_store = events_.store.get(),
                    .blobs = &events_.blobs,
                    .health = &events_.health,
                    .notices = &hub_,
                    .hub = &hub_,
                    .alerts = &alerts_,
                    .rules = &rules_,
                    .watchlists = &watchlists_}};
  json document_ = openApiDocument(api_.router());
};

TEST_F(OpenApiTest, EveryRouteIsDescribedUnderItsPatternAndMethod) {
  const json& paths = document_["paths"];
  ASSERT_FALSE(api_.router().routes().empty());
  for (const auto& route : api_.router().routes()) {
    ASSERT_TRUE(paths.contains(route.pattern)) << route.pattern;
    EXPECT_TRUE(paths[route.pattern].contains(lower(route.method)))
        << route.method << " " << route.pattern;
  }
}

TEST_F(OpenApiTest, TheDocumentDescribesNothingThatIsNotARoute) {
  const auto& routes = api_.router().routes();
  for (const auto& [pattern, operations] : document_["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      // Named copies: clang 14 cannot capture structured bindings in a lambda.
      const std::string path = pattern;
      const std::string verb = upper(method);
      bool routed = std::any_of(routes.begin(), routes.end(), [&](const Route& r) {
        return r.pattern == path && r.method == verb;
      });
      EXPECT_TRUE(routed) << method << " " << pattern;
    }
  }
}

TEST_F(OpenApiTest, EveryRegistryEntityHasAComponentSchemaWithEveryField) {
  const json& schemas = document_["components"]["schemas"];
  for (const auto& spec : domain::registry()) {
    ASSERT_TRUE(schemas.contains(spec.name)) << spec.name;
    const json& properties = schemas[spec.name]["properties"];
    EXPECT_TRUE(properties.contains("id")) << spec.name;
    for (const auto& field : spec.fields) {
      EXPECT_TRUE(properties.contains(field.name)) << spec.name << "." << field.name;
    }
  }
}

TEST_F(OpenApiTest, EverySchemaReferenceNamesAComponentThatExists) {
  std::set<std::string> refs;
  collectRefs(document_, refs);
  ASSERT_FALSE(refs.empty());
  const std::string prefix = "#/components/schemas/";
  for (const auto& ref : refs) {
    ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
    EXPECT_TRUE(document_["components"]["schemas"].contains(ref.substr(prefix.size()))) << ref;
  }
}

TEST_F(OpenApiTest, EveryPathParameterIsDeclaredAsRequired) {
  for (const auto& route : api_.router().routes()) {
    std::set<std::string> declared;
    const json& operation = document_["paths"][route.pattern][lower(route.method)];
    for (const auto& p : operation.value("parameters", json::array())) {
      if (p["in"] == "path") {
        EXPECT_TRUE(p["required"].get<bool>()) << route.pattern;
        declared.insert(p["name"].get<std::string>());
      }
    }
    EXPECT_EQ(declared, pathParameters(route.pattern)) << route.method << " " << route.pattern;
  }
}

// Open311 routes check GeoReport's api_key themselves (next test), so the router leaves them open.
// /metrics checks for itself: loopback, or an admin's token (below).
TEST_F(OpenApiTest, OnlyHealthTheDocumentLoginMetricsAndOpen311AreOpenWithoutAToken) {
  std::set<std::string> open;
  for (const auto& route : api_.router().routes()) {
    if (!route.authenticated) open.insert(route.method + " " + route.pattern);
  }

  EXPECT_EQ(open,
            (std::set<std::string>{
                "GET /healthz", "GET /api/v1/openapi.json", "POST /api/v1/auth/login",
                "GET /metrics", "GET /open311/v2/services.json", "GET /open311/v2/requests.json",
                "POST /open311/v2/requests.json", "GET /open311/v2/requests/{resource}"}));
}

TEST_F(OpenApiTest, Open311RoutesRefuseCallsWithoutAValidKey) {
  for (const auto& route : api_.router().routes()) {
    if (!route.pattern.starts_with("/open311/")) continue;
    std::string path = concrete(route.pattern);
    SCOPED_TRACE(route.method + " " + path);
    EXPECT_EQ(api_.handle(request(route.method, path)).status, 401);
    EXPECT_EQ(api_.handle(request(route.method, path, "anjukey_forged")).status, 401);
    http::Request keyed = request(route.method, path);
    keyed.query.emplace("api_key", "anjukey_forged");
    EXPECT_EQ(api_.handle(keyed).status, 401);
  }
}

TEST_F(OpenApiTest, EveryAuthenticatedRouteAnswers401WithoutAToken) {
  for (const auto& route : api_.router().routes()) {
    if (!route.authenticated) continue;
    std::string path = concrete(route.pattern);
    SCOPED_TRACE(route.method + " " + path);

    http::Response anonymous = api_.handle(request(route.method, path));
    http::Response forged = api_.handle(request(route.method, path, "not-a-real-token"));

    EXPECT_EQ(anonymous.status, 401) << anonymous.body;
    EXPECT_EQ(json::parse(anonymous.body)["error"]["code"], "unauthenticated");
    EXPECT_EQ(forged.status, 401) << forged.body;
  }
}

// The other half of the proof: with a real token the same requests reach their handlers, which
// answer with something other than 401, and none of them fails with a server error.
TEST_F(OpenApiTest, EveryAuthenticatedRouteReachesItsHandlerWithAToken) {
  std::string token = adminToken();
  for (const auto& route : api_.router().routes()) {
    if (!route.authenticated || route.pattern == "/api/v1/auth/logout") continue;
    std::string path = concrete(route.pattern);
    SCOPED_TRACE(route.method + " " + path);

    http::Response response = api_.handle(request(route.method, path, token));

    EXPECT_NE(response.status, 401) << response.body;
    EXPECT_LT(response.status, 500) << response.body;
  }
}

TEST_F(OpenApiTest, MetricsAreForLoopbackOrAnAdminOfTheWholeInstallation) {
  EXPECT_EQ(api_.handle(request("GET", "/metrics")).status, 200);
  http::Request remote = request("GET", "/metrics");
  remote.remote_address = "192.0.2.7";
  EXPECT_EQ(api_.handle(remote).status, 401);
  remote.headers["authorization"] = "Bearer " + adminToken();
  http::Response scraped = api_.handle(remote);
  EXPECT_EQ(scraped.status, 200);
  EXPECT_EQ(scraped.content_type, "text/plain; version=0.0.4; charset=utf-8");
  ASSERT_TRUE(
      users_.create({.username = "cop", .password = "a-long-password", .roles = {"police"}}));
  auto session = users_.login("cop", "a-long-password", std::chrono::hours(1));
  ASSERT_TRUE(session);
  remote.headers["authorization"] = "Bearer " + session->token;
  EXPECT_EQ(api_.handle(remote).status, 403);
}

TEST_F(OpenApiTest, HealthzAnswers200WithoutAToken) {
  http::Response response = api_.handle(request("GET", "/healthz"));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(json::parse(response.body)["status"], "ok");
}

TEST_F(OpenApiTest, TheDocumentIsServedWithoutAToken) {
  http::Response response = api_.handle(request("GET", "/api/v1/openapi.json"));

  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(json::parse(response.body), document_);
}

TEST_F(OpenApiTest, AnUnknownPathIs404AndAKnownPathWithAnotherMethodIs405) {
  EXPECT_EQ(api_.handle(request("GET", "/api/v1/nothing-here")).status, 404);
  EXPECT_EQ(api_.handle(request("DELETE", "/healthz")).status, 405);
}

}  // namespace
}  // namespace anju::api
