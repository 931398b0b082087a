// The `anju` subcommands. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "app/config.h"

namespace anju::app {

inline constexpr const char* kAnjuVersion = "0.1.0";

struct DemoFlags {
  uint64_t seed = 20261123;
  int persons = 20000;
  int estates = 12;
  bool generate_only = false;
};

struct SimulateFlags {
  std::string target;
  int estates = 1;
  double rate = 100;       // events per second
  double duration_s = 10;  // 0: until interrupted
  uint64_t seed = 1;
  std::string user = "admin";
  std::string password;  // or $ANJU_PASSWORD
  std::string secrets;   // CSV device_id,secret: those devices sign their own batches
  std::string start;     // simulated start time; default now
  double speed = 1;      // simulated seconds per real second
  int batch = 100;
  int connections = 2;
  int utc_offset_minutes = 480;
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
int runSimulate(const SimulateFlags& flags);
int runBackup(const Config& config, const std::string& out_dir);
int runRestore(const std::string& from, const std::string& data_dir, bool force);
int runRetention(const Config& config, bool dry_run);

}  // namespace anju::app
