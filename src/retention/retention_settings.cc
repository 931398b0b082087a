#include "retention/retention_settings.h"

#include <charconv>

namespace anju::retention {

namespace {

constexpr std::string_view kPrefix = "retention.";

const KindField* findKind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string described(int days, std::string_view source) {
  return std::to_string(days) + " (" + std::string(source) + ")";
}

}  // namespace

Status checkDays(std::string_view kind, int64_t days) {
  const std::string field(kind);
  if (!findKind(kind))
    return Status::invalid(field, "未知的数据类别 (" + field +
                                      " is not a kind of data; the kinds are captures, events, "
                                      "snapshots and audit)");
  if (days < 0 || days > kMaxDays)
    return Status::invalid(field, "保留天数应为 0（永久保留）到 3650 之间的整数 (" + field +
                                      " must be whole days from 0, kept forever, to 3650)");
  if (kind == "audit" && days > 0 && days < kMinAuditDays)
    return Status::invalid(field,
                           "审计记录须至少保留 180 天（网络安全法第二十一条）或永久保留 (audit "
                           "records must be kept at least 180 days, as the Cybersecurity Law asks "
                           "of network logs, or 0 to keep them forever)");
  return {};
}

std::string_view EffectivePolicy::source(std::string_view kind) const {
  return stored.count(kind) ? "settings" : "config";
}

Result<EffectivePolicy> effectivePolicy(store::Connection& c, const RetentionPolicy& config) {
  auto rows = store::readSettings(c, kPrefix);
  if (!rows) return rows.status();
  EffectivePolicy out{.policy = config, .config = config};
  for (auto& s : *rows) {
    const std::string_view kind = std::string_view(s.name).substr(kPrefix.size());
    const KindField* field = findKind(kind);
    int days = 0;
    const char* end = s.value.data() + s.value.size();
    auto [ptr, ec] = std::from_chars(s.value.data(), end, days);
    // Only this file writes these rows, and only checked values; one that does not read as a
    // period is not guessed at: the file's value holds.
    if (!field || ec != std::errc() || ptr != end || !checkDays(kind, days)) continue;
    out.policy.*(field->days) = days;
    out.stored.emplace(std::string(kind), std::move(s));
  }
  return out;
}

Result<RetentionPolicy> withChanges(const EffectivePolicy& current,
                                    const std::vector<DaysChange>& changes) {
  RetentionPolicy out = current.policy;
  for (const auto& change : changes) {
    ANJU_RETURN_IF_ERROR(checkDays(change.kind, change.days.value_or(0)));
    const KindField* field = findKind(change.kind);
    out.*(field->days) =
        change.days ? static_cast<int>(*change.days) : current.config.*(field->days);
  }
  return out;
}

Result<std::string> applyChanges(store::Connection& c, const EffectivePolicy& before,
                                 const std::vector<DaysChange>& changes, const std::string& by,
                                 int64_t now_ms) {
  ANJU_RETURN_IF_ERROR(withChanges(before, changes).status());
  std::string detail;
  for (const auto& change : changes) {
    const KindField* field = findKind(change.kind);
    const std::string name = std::string(kPrefix) + change.kind;
    int after = before.config.*(field->days);
    if (change.days) {
      after = static_cast<int>(*change.days);
      ANJU_RETURN_IF_ERROR(store::writeSetting(
          c,
          {.name = name, .value = std::to_string(after), .updated_by = by, .updated_at = now_ms}));
    } else {
      ANJU_RETURN_IF_ERROR(store::removeSetting(c, name));
    }
    if (!detail.empty()) detail += "; ";
    detail += change.kind + " " +
              described(before.policy.*(field->days), before.source(change.kind)) + " -> " +
              described(after, change.days ? "settings" : "config");
  }
  return detail;
}

}  // namespace anju::retention
