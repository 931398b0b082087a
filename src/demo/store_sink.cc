#include "demo/store_sink.h"

namespace anju::demo {

Result<nlohmann::json> StoreSink::create(const std::string& entity, const nlohmann::json& fields) {
  const domain::EntitySpec* spec = domain::findEntity(entity);
  if (!spec) return Status::invalid("entity", "unknown entity " + entity);
  auto validated = domain::validateFields(*spec, fields, true, utc_offset_minutes_);
  if (!validated) {
    return Status{validated.status().code(), entity + ": " + validated.status().message(),
                  validated.status().field()};
  }
  auto created = records_.createIn(connection_, *spec, *validated, store::Scope{});
  if (!created) {
    return Status{created.status().code(), entity + ": " + created.status().message(),
                  created.status().field()};
  }
  return (*created)["id"];
}

Status StoreSink::createUser(const store::NewUser& user) {
  users_.push_back(user);
  return {};
}

Status StoreSink::createUsers(store::UserStore& users) const {
  for (const auto& user : users_) {
    auto created = users.create(user);
    if (!created) return created.status();
  }
  return {};
}

}  // namespace anju::demo
