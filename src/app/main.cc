// anju: the command line. Parses flags into a Config and hands over to a command.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "common/crypto.h"
#include "common/log.h"

using namespace anju::app;

int main(int argc, char** argv) {
  if (!anju::crypto::initialize()) {
    std::cerr << "anju: libsodium failed to initialise\n";
    return 1;
  }
  CLI::App app{"安居 Anju — smart safe communities and grassroots governance"};
  app.require_subcommand(1);
  Config config;
  std::string config_file;
  std::string data_flag, db_flag, listen_flag;

  auto storeOptions = [&](CLI::App* cmd) {
    cmd->add_option("--data", data_flag, "Data folder (SQLite store, blobs)");
    cmd->add_option("--db", db_flag,
                    "Database URL (postgresql://...); default SQLite in the data folder");
    cmd->add_option("--config", config_file,
                    "TOML configuration file (default DATA/anju.toml if present)");
  };

  auto* serve = app.add_subcommand("serve", "Run the server");
  storeOptions(serve);
  serve->add_option("--listen", listen_flag, "Address to listen on, HOST:PORT");

  DemoFlags demo_flags;
  auto* demo = app.add_subcommand("demo", "Generate a demo district (on first run) and serve it");
  storeOptions(demo);
  demo->add_option("--listen", listen_flag, "Address to listen on, HOST:PORT");
  demo->add_option("--seed", demo_flags.seed, "Seed of the generated district");
  demo->add_option("--persons", demo_flags.persons, "Number of persons")
      ->check(CLI::Range(100, 2000000));
  demo->add_option("--estates", demo_flags.estates, "Number of estates")->check(CLI::Range(1, 500));
  demo->add_flag("--generate-only", demo_flags.generate_only, "Generate the district and exit");

  std::string entity, file, out_file, purpose;
  bool partial = false;
  auto* import = app.add_subcommand("import", "Import a CSV file (persons, rooms, vehicles, ...)");
  storeOptions(import);
  import->add_option("entity", entity, "What the file holds: persons, rooms, vehicles, ...")
      ->required();
  import->add_option("file", file, "The CSV file (UTF-8)")->required()->check(CLI::ExistingFile);
  import->add_flag("--partial", partial, "Import the good rows even if some rows are bad");

  std::vector<std::string> filters;
  auto* exporter = app.add_subcommand("export", "Export a registry list to CSV");
  storeOptions(exporter);
  exporter->add_option("entity", entity, "persons, rooms, vehicles, ...")->required();
  exporter->add_option("--where", filters, "Filter NAME=VALUE (repeatable), as the list API takes");
  exporter->add_option("-o,--out", out_file, "Output file (default: standard output)");
  exporter->add_option("--purpose", purpose, "Why the data is exported (recorded in the audit log)")
      ->required();

  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  std::string username, display_name;
  std::vector<std::string> roles;
  int64_t region_id = 0;
  int64_t person_id = 0;
  auto* user_add =
      user->add_subcommand("add", "Add a user (password from ANJU_PASSWORD or standard input)");
  storeOptions(user_add);
  user_add->add_option("username", username)->required();
  user_add
      ->add_option("--role", roles,
                   "police, security, grid_worker, mediator, department, resident, admin")
      ->required();
  user_add->add_option("--region", region_id, "Region id the user works in (default: everywhere)");
  user_add->add_option("--name", display_name, "Display name");
  user_add->add_option("--person", person_id, "Person id a resident's login acts for");
  auto* user_passwd = user->add_subcommand(
      "passwd", "Set a user's password (from ANJU_PASSWORD or standard input)");
  storeOptions(user_passwd);
  user_passwd->add_option("username", username)->required();
  auto* user_list = user->add_subcommand("list", "List users");
  storeOptions(user_list);

  auto* audit = app.add_subcommand("audit", "The audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the audit log's hash chain");
  std::string verify_dir;
  verify->add_option("dir", verify_dir, "Data folder")->required();
  storeOptions(verify);

  SimulateFlags sim_flags;
  auto* simulate = app.add_subcommand("simulate", "Send simulated device events to a server");
  simulate->add_option("--target", sim_flags.target, "The server, http://HOST:PORT")->required();
  simulate->add_option("--estates", sim_flags.estates, "Simulate the first N estates")
      ->check(CLI::Range(1, 100000));
  simulate->add_option("--rate", sim_flags.rate, "Events per second, overall")
      ->check(CLI::Range(0.01, 10000000.0));
  simulate->add_option("--duration", sim_flags.duration_s, "Seconds to run (0: until Ctrl-C)")
      ->check(CLI::NonNegativeNumber);
  simulate->add_option("--seed", sim_flags.seed, "Seed of the generated traffic");
  simulate->add_option("--user", sim_flags.user, "User to load the district with (admin)");
  simulate->add_option("--password", sim_flags.password, "Its password (or ANJU_PASSWORD)");
  simulate
      ->add_option("--secrets", sim_flags.secrets,
                   "CSV of device_id,secret: those devices sign their own batches")
      ->check(CLI::ExistingFile);
  simulate->add_option("--start", sim_flags.start, "Simulated start time (default now)");
  simulate->add_option("--speed", sim_flags.speed, "Simulated seconds per real second")
      ->check(CLI::PositiveNumber);
  simulate->add_option("--batch", sim_flags.batch, "Events per request")
      ->check(CLI::Range(1, 10000));
  simulate->add_option("--connections", sim_flags.connections, "Parallel senders")
      ->check(CLI::Range(1, 256));

  std::string backup_out;
  auto* backup = app.add_subcommand(
      "backup", "Copy the data folder (databases, snapshots) while the server runs");
  storeOptions(backup);
  backup->add_option("--out", backup_out, "The backup folder to create")->required();

  std::string restore_from;
  bool restore_force = false;
  auto* restore = app.add_subcommand("restore", "Restore a backup into a data folder");
  restore->add_option("--from", restore_from, "The backup folder")
      ->required()
      ->check(CLI::ExistingDirectory);
  restore->add_option("--data", data_flag, "The data folder to restore into")->required();
  restore->add_flag("--force", restore_force, "Replace a data folder that is not empty");

  bool retention_dry_run = false;
  auto* retention =
      app.add_subcommand("retention", "Show what retention would remove now ([retention] days)");
  storeOptions(retention);
  retention->add_flag("--dry-run", retention_dry_run,
                      "Report counts and time ranges per kind; remove nothing");

  auto* version = app.add_subcommand("version", "Print the version");

  CLI11_PARSE(app, argc, argv);

  if (*version) {
    std::cout << "anju " << kAnjuVersion << "\n";
    return 0;
  }
  // Talks to a server over HTTP only: no data folder or configuration of its own.
  if (*simulate) return runSimulate(sim_flags);
  // Works on folders alone: no configuration is read, and no server need be stopped for a backup.
  if (*restore) return runRestore(restore_from, data_flag, restore_force);
  if (!verify_dir.empty()) data_flag = verify_dir;
  // Precedence: defaults < file < environment < flags.
  if (data_flag.empty()) {
    if (const char* d = std::getenv("ANJU_DATA"); d && *d) config.data_dir = d;
  } else {
    config.data_dir = data_flag;
  }
  if (const char* c = std::getenv("ANJU_CONFIG"); config_file.empty() && c && *c) config_file = c;
  bool explicit_file = !config_file.empty();
  if (!explicit_file) config_file = config.data_dir + "/anju.toml";
  auto fail = [](const anju::Status& s) {
    std::cerr << "anju: " << s.message() << "\n";
    return 2;
  };
  if (auto s = loadConfigFile(config_file, explicit_file, config); !s) return fail(s);
  if (auto s = applyEnvironment(config); !s) return fail(s);
  if (!data_flag.empty()) config.data_dir = data_flag;
  if (!db_flag.empty()) config.db_url = db_flag;
  if (!listen_flag.empty()) config.listen = listen_flag;
  anju::log::setLevel(config.log_level);

  if (*serve) return runServe(config);
  if (*demo) return runDemo(config, demo_flags);
  if (*import) return runImport(config, entity, file, partial);
  if (*exporter) return runExport(config, entity, filters, out_file, purpose);
  if (*user_add) return runUserAdd(config, username, roles, region_id, display_name, person_id);
  if (*user_passwd) return runUserPasswd(config, username);
  if (*user_list) return runUserList(config);
  if (*verify) return runAuditVerify(config);
  if (*backup) return runBackup(config, backup_out);
  if (*retention) return runRetention(config, retention_dry_run);
  return 1;
}
