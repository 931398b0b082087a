// The `anju` subcommands. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "app/config.h"

namespace anju::app {

struct DemoFlags {
  uint64_t seed = 20261123;
  int persons = 20000;
  int estates = 12;
  bool generate_only = false;
};

int runServe(const Config& config);
int runDemo(const Config& config, const DemoFlags& flags);
int runImport(const Config& config, const std::string& entity, const std::string& file,
              bool partial);
int runExport(const Config& config, const std::string& entity,
              const std::vector<std::string>& filters, const std::string& out_file,
              const std::string& purpose);
int runUserAdd(const Config& config, const std::string& username,
               const std::vector<std::string>& roles, int64_t region_id,
               const std::string& display_name, int64_t person_id);
int runUserPasswd(const Config& config, const std::string& username);
int runUserList(const Config& config);
int runAuditVerify(const Config& config);

}  // namespace anju::app
