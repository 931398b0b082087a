#include "app/commands.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/runtime.h"
#include "common/progress.h"
#include "domain/roles.h"
#include "importer/import.h"

namespace anju::app {

namespace {

int report(const Status& s) {
  std::cerr << "anju: " << s.message() << "\n";
  return s.code() == Code::kInvalid || s.code() == Code::kNotFound ? 2 : 1;
}

// Passwords never come from the command line, where `ps` and shell history would show them.
Result<std::string> readPassword() {
  if (const char* env = std::getenv("ANJU_PASSWORD"); env && *env) return std::string(env);
  if (isatty(STDIN_FILENO)) std::cerr << "Password: " << std::flush;
  std::string password;
  if (!std::getline(std::cin, password)) {
    return Status::invalid("password",
                           "no password given (set ANJU_PASSWORD or pipe it on standard input)");
  }
  return password;
}

store::AuditEntry cliEntry(std::string action, std::string object) {
  const char* user = std::getenv("USER");
  return store::AuditEntry{.user = std::string("cli:") + (user ? user : "unknown"),
                           .action = std::move(action),
                           .object = std::move(object),
                           .address = "local"};
}

}  // namespace

int runServe(const Config& config) {
  auto runtime = openRuntime(config);
  if (!runtime) return report(runtime.status());
  auto generated = ensureAdmin(**runtime);
  if (!generated) return report(generated.status());
  Status s = serve(**runtime, [&](const std::string& url) {
    std::cout << "安居 Anju listening on " << url << std::endl;
    if (!generated->empty()) {
      std::cout << "Created user admin with password: " << *generated
                << "  (shown once; change it with `anju user passwd admin`)" << std::endl;
    }
  });
  return s ? 0 : report(s);
}

int runImport(const Config& config, const std::string& entity, const std::string& file,
              bool partial) {
  const domain::EntitySpec* spec = domain::findEntity(entity);
  if (!spec) return report(Status::invalid("entity", "unknown list " + entity));
  auto runtime = openRuntime(config);
  if (!runtime) return report(runtime.status());
  std::ifstream in(file, std::ios::binary);
  if (!in) return report(Status::invalid("file", "cannot read " + file));
  uint64_t size = std::filesystem::file_size(file);
  ProgressBar bar("导入 " + entity, size);
  importer::ImportOptions options{.partial = partial,
                                  .utc_offset_minutes = (*runtime)->utc_offset_minutes,
                                  .progress = [&](uint64_t bytes) { bar.update(bytes); }};
  auto result = importer::importCsv(*(*runtime)->records, *spec, in, options);
  bar.finish();
  if (!result) return report(result.status());
  auto entry = cliEntry("import", entity);
  entry.detail = "file=" + file + " rows=" + std::to_string(result->rows) +
                 " imported=" + std::to_string(result->imported);
  if (auto s = (*runtime)->audit->record(entry); !s) return report(s);
  for (const auto& e : result->errors) {
    std::cerr << "第 " << e.line << " 行 (line " << e.line << ")"
              << (e.field.empty() ? "" : " [" + e.field + "]") << ": " << e.message << "\n";
  }
  if (result->failed > result->errors.size()) {
    std::cerr << "... and " << result->failed - result->errors.size() << " more bad rows\n";
  }
  for (const auto& column : result->ignored_columns)
    std::cerr << "ignored column: " << column << "\n";
  if (!result->committed) {
    std::cerr << result->failed << " of " << result->rows
              << " rows are bad; nothing was imported (use --partial to import the good rows)\n";
    return 2;
  }
  std::cout << "imported " << result->imported << " of " << result->rows << " rows"
            << (result->failed ? " (" + std::to_string(result->failed) + " bad rows skipped)" : "")
            << "\n";
  return 0;
}

int runExport(const Config& config, const std::string& entity,
              const std::vector<std::string>& filters, const std::string& out_file,
              const std::string& purpose) {
  const domain::EntitySpec* spec = domain::findEntity(entity);
  if (!spec) return report(Status::invalid("entity", "unknown list " + entity));
  auto runtime = openRuntime(config);
  if (!runtime) return report(runtime.status());
  importer::ExportOptions options;
  options.mask_personal = false;
  for (const auto& f : filters) {
    auto eq = f.find('=');
    if (eq == std::string::npos)
      return report(Status::invalid("where", "--where takes NAME=VALUE"));
    options.query.filters.emplace_back(f.substr(0, eq), f.substr(eq + 1));
  }
  std::ofstream file;
  if (!out_file.empty()) {
    file.open(out_file, std::ios::binary);
    if (!file) return report(Status::invalid("out", "cannot write " + out_file));
  }
  std::ostream& out = out_file.empty() ? std::cout : file;
  auto count = importer::exportCsv(*(*runtime)->records, *spec, out, options);
  if (!count) return report(count.status());
  auto entry = cliEntry("export", entity);
  entry.purpose = purpose;
  entry.detail = "rows=" + std::to_string(*count);
  if (auto s = (*runtime)->audit->record(entry); !s) return report(s);
  std::cerr << "exported " << *count << " rows\n";
  return 0;
}

int runUserAdd(const Config& config, const std::string& username,
               const std::vector<std::string>& roles, int64_t region_id,
               const std::string& display_name, int64_t person_id) {
  auto runtime = openRuntime(config);
  if (!runtime) return report(runtime.status());
  auto password = readPassword();
  if (!password) return report(password.status());
  store::NewUser user{
      .username = username, .password = *password, .roles = roles, .display_name = display_name};
  if (region_id > 0) user.region_id = region_id;
  if (person_id > 0) user.person_id = person_id;
  auto created = (*runtime)->users->create(user);
  if (!created) return report(created.status());
  std::cout << "added user " << created->username << " (id " << created->id << ")\n";
  return 0;
}

int runUserPasswd(const Config& config, const std::string& username) {
  auto runtime = openRuntime(config);
  if (!runtime) return report(runtime.status());
  auto password = readPassword();
  if (!password) return report(password.status());
  if (auto s = (*runtime)->users->setPassword(username, *password); !s) return report(s);
  std::cout << "password changed; " << username << "'s sessions were ended\n";
  return 0;
}

int runUserList(const Config& config) {
  auto runtime = openRuntime(config);
  if (!runtime) return report(runtime.status());
  auto users = (*runtime)->users->list("/");
  if (!users) return report(users.status());
  for (const auto& u : *users) {
    std::string roles;
    for (const auto& r : u.roles) roles += (roles.empty() ? "" : ",") + r;
    std::cout << u.id << "\t" << u.username << "\t" << roles
              << "\tregion=" << (u.region_id ? std::to_string(*u.region_id) : "*") << "\t"
              << (u.active ? "active" : "disabled") << "\t" << u.display_name << "\n";
  }
  return 0;
}

int runAuditVerify(const Config& config) {
  if (config.db_url.empty() &&
      !std::filesystem::exists(std::filesystem::path(config.data_dir) / "anju.db")) {
    return report(Status::invalid("dir", "no Anju store in " + config.data_dir));
  }
  auto runtime = openRuntime(config);
  if (!runtime) return report(runtime.status());
  auto result = (*runtime)->audit->verify();
  if (!result) return report(result.status());
  if (result->broken_at) {
    std::cout << "BROKEN: " << result->problem << " (" << result->checked
              << " records verified before it)\n";
    return 3;
  }
  std::cout << "OK: " << result->checked << " audit records, hash chain intact";
  if (result->anchor_id > 0)
    std::cout << " (from record " << result->anchor_id + 1 << "; the ones before it were removed "
              << "by retention)";
  std::cout << "\n";
  return 0;
}

}  // namespace anju::app
