// `anju retention --dry-run`: what the server's retention would remove now, with the periods in
// force (the configuration's, or those an admin set from the console). The removal itself runs only
// inside the server, which alone can tell its face index and its view of the event store's days
// what went.
#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "app/runtime.h"

namespace anju::app {

int runRetention(const Config& config, bool dry_run) {
  auto fail = [](const Status& s) {
    std::cerr << "anju: " << s.message() << "\n";
    return s.code() == Code::kInvalid ? 2 : 1;
  };
  if (!dry_run)
    return fail(Status::invalid("dry-run",
                                "保留清理在服务器内每日运行，此处只能预演 (retention "
                                "runs inside the server, daily; here only --dry-run)"));
  if (config.db_url.empty() &&
      !std::filesystem::exists(std::filesystem::path(config.data_dir) / "anju.db"))
    return fail(Status::invalid(
        "data", "数据目录中没有安居存储 (no Anju store in " + config.data_dir + ")"));
  auto runtime = openRuntime(config);
  if (!runtime) return fail(runtime.status());
  if (Status s = openEventStore(**runtime); !s) return fail(s);
  openRetention(**runtime);
  auto plan = (*runtime)->retention->plan();
  if (!plan) return fail(plan.status());
  std::cout << retention::planJson(*plan, (*runtime)->utc_offset_minutes).dump(2) << "\n";
  return 0;
}

}  // namespace anju::app
