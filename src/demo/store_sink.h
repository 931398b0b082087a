// Puts a generated district into the store: registry objects inside the caller's transaction
// (validated exactly as the API validates them), users afterwards.
#pragma once

#include <vector>

#include "demo/sink.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace anju::demo {

class StoreSink final : public Sink {
 public:
  StoreSink(store::RecordStore& records, store::Connection& connection, int utc_offset_minutes)
      : records_(records), connection_(connection), utc_offset_minutes_(utc_offset_minutes) {}

  Result<nlohmann::json> create(const std::string& entity, const nlohmann::json& fields) override;
  Status createUser(const store::NewUser& user) override;

  // Users are created after the registry's transaction commits (each has its own).
  Status createUsers(store::UserStore& users) const;

 private:
  store::RecordStore& records_;
  store::Connection& connection_;
  int utc_offset_minutes_;
  std::vector<store::NewUser> users_;
};

}  // namespace anju::demo
