#include "access/credential_sync.h"

#include <charconv>
#include <map>
#include <set>

#include "access/access_service.h"
#include "common/clock.h"

namespace anju::access {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::Connection;
using store::isNull;
using store::Value;

namespace {

// The persons who may open the door, through any group.
constexpr const char* kMembersOfDoor =
    "SELECT DISTINCT CAST(p.value AS INTEGER) FROM links p JOIN links d ON d.entity = "
    "'access_groups' AND d.object_id = p.object_id AND d.field = 'device_ids' AND d.value = ? "
    "WHERE p.entity = 'access_groups' AND p.field = 'person_ids'";

constexpr const char* kCredentialColumns =
    "SELECT id, person_id, type, value, embedding, valid_from, valid_to FROM credentials ";

json credentialItem(const std::vector<Value>& r, int utc_offset) {
  json item = {{"credential_id", asInt(r[0])}, {"person_id", asInt(r[1])}, {"type", asText(r[2])}};
  if (!isNull(r[3])) item["value"] = asText(r[3]);
  if (!isNull(r[4])) item["embedding"] = json::parse(asText(r[4]), nullptr, false);
  if (!isNull(r[5])) item["valid_from"] = formatTimestamp(asInt(r[5]), utc_offset);
  if (!isNull(r[6])) item["valid_to"] = formatTimestamp(asInt(r[6]), utc_offset);
  return item;
}

Result<int64_t> lastSeq(Connection& c) {
  auto rows = c.query("SELECT COALESCE(MAX(seq), 0) FROM credential_changes");
  if (!rows) return rows.status();
  return rows->scalarInt().value_or(0);
}

Status fullList(Connection& c, const std::string& device_id, int utc_offset, SyncPage& page) {
  auto rows = c.query(
      std::string(kCredentialColumns) + "WHERE person_id IN (" + kMembersOfDoor + ") ORDER BY id",
      {device_id});
  if (!rows) return rows.status();
  for (const auto& r : rows->rows) page.items.push_back(credentialItem(r, utc_offset));
  return {};
}

// Which changes after `since` concern this door, and what the terminal must do about them. A
// change is judged by the state now, not replayed: a person who may open the door now gets all
// their credentials as they are; one who may not gets a tombstone if the change could have
// taken access away (they left a group of this door, or the door left their group). Credential
// changes of persons who may not open this door are skipped: the terminal either never held
// them or was told to drop the person when their access ended.
Status changesSince(Connection& c, const std::string& device_id, int64_t since, int max_changes,
                    int utc_offset, SyncPage& page) {
  auto changes = c.query(
      "SELECT seq, op, person_id, credential_id, type, value, group_id, device_id FROM "
      "credential_changes WHERE seq > ? ORDER BY seq LIMIT ?",
      {since, int64_t{max_changes + 1}});
  if (!changes) return changes.status();
  page.more = static_cast<int>(changes->size()) > max_changes;
  if (page.more) changes->rows.resize(static_cast<std::size_t>(max_changes));
  int64_t last = since;

  std::set<int64_t> door_groups;  // groups that include the door now
  auto groups = c.query(
      "SELECT object_id FROM links WHERE entity = 'access_groups' AND field = 'device_ids' AND "
      "value = ?",
      {device_id});
  if (!groups) return groups.status();
  for (const auto& r : groups->rows) door_groups.insert(asInt(r[0]));
  std::set<int64_t> door_changed;  // groups this door joined or left in this window
  for (const auto& r : changes->rows) {
    const std::string op = asText(r[1]);
    if ((op == "door_added" || op == "door_removed") && asText(r[7]) == device_id)
      door_changed.insert(asInt(r[6]));
  }

  std::set<int64_t> persons;         // to send in full, or to drop
  std::set<int64_t> credential_ids;  // to send as they are now, or to drop
  std::map<int64_t, json> dropped;   // credential_id -> its last known identity
  for (const auto& r : changes->rows) {
    last = asInt(r[0]);
    const std::string op = asText(r[1]);
    if (op == "member_added" || op == "member_removed") {
      const int64_t group = asInt(r[6]);
      if (door_groups.count(group) || door_changed.count(group)) persons.insert(asInt(r[2]));
    } else if (op == "credential_saved" || op == "credential_moved" || op == "credential_deleted") {
      auto may = personMayOpen(c, asInt(r[2]), device_id);
      if (!may) return may.status();
      if (!*may) continue;
      credential_ids.insert(asInt(r[3]));
      json identity = {
          {"credential_id", asInt(r[3])}, {"person_id", asInt(r[2])}, {"type", asText(r[4])}};
      if (!isNull(r[5])) identity["value"] = asText(r[5]);
      dropped[asInt(r[3])] = std::move(identity);
    }
  }
  for (int64_t group : door_changed) {
    auto members = c.query(
        "SELECT CAST(value AS INTEGER) FROM links WHERE entity = 'access_groups' AND field = "
        "'person_ids' AND object_id = ?",
        {group});
    if (!members) return members.status();
    for (const auto& r : members->rows) persons.insert(asInt(r[0]));
  }

  std::set<int64_t> sent;
  for (int64_t person : persons) {
    auto may = personMayOpen(c, person, device_id);
    if (!may) return may.status();
    if (!*may) {
      page.items.push_back({{"person_id", person}, {"deleted", true}});
      continue;
    }
    auto rows =
        c.query(std::string(kCredentialColumns) + "WHERE person_id = ? ORDER BY id", {person});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      page.items.push_back(credentialItem(r, utc_offset));
      sent.insert(asInt(r[0]));
    }
  }
  for (int64_t id : credential_ids) {
    if (sent.count(id)) continue;
    auto rows = c.query(std::string(kCredentialColumns) + "WHERE id = ?", {id});
    if (!rows) return rows.status();
    bool holds = false;
    if (!rows->empty()) {
      auto may = personMayOpen(c, asInt(rows->rows[0][1]), device_id);
      if (!may) return may.status();
      holds = *may;
    }
    if (holds) {
      page.items.push_back(credentialItem(rows->rows[0], utc_offset));
    } else {
      json tombstone = dropped[id];
      tombstone["deleted"] = true;
      page.items.push_back(std::move(tombstone));
    }
  }
  page.next = std::to_string(last);
  return {};
}

}  // namespace

Result<SyncPage> syncCredentials(store::Database& db, const std::string& device_id,
                                 const std::string& since, int utc_offset_minutes,
                                 int max_changes) {
  std::optional<int64_t> cursor;
  if (!since.empty()) {
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(since.data(), since.data() + since.size(), n);
    if (ec != std::errc() || ptr != since.data() + since.size() || n < 0)
      return Status::invalid("since", "无效的游标 (since is not a cursor this server gave out)");
    cursor = n;
  }
  SyncPage page;
  // One read transaction: the list and the cursor describe the same moment.
  Status s = db.read([&](Connection& c) -> Status {
    if (!cursor) {
      auto last = lastSeq(c);
      if (!last) return last.status();
      ANJU_RETURN_IF_ERROR(fullList(c, device_id, utc_offset_minutes, page));
      page.next = std::to_string(*last);
      return {};
    }
    return changesSince(c, device_id, *cursor, max_changes, utc_offset_minutes, page);
  });
  if (!s) return s;
  return page;
}

}  // namespace anju::access
