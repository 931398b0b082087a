// The live stream's hub: notices reach only subscribers whose region and types cover them, a
// reconnect with Last-Event-ID replays what was missed without repeats, and a subscriber that
// stops reading is ended instead of holding anyone up.
#include <gtest/gtest.h>

#include "notify/hub.h"
#include "temp_store.h"

namespace anju {
namespace {

using nlohmann::json;

class NoticeHubTest : public ::testing::Test {
 protected:
  notify::Notice alert(const std::string& region, int n) {
    return {"alert", region, {{"id", n}, {"title", "报警 " + std::to_string(n)}}};
  }
  std::shared_ptr<http::StreamSource> subscribe(notify::Hub& hub, const std::string& region,
                                                std::set<std::string> types,
                                                std::optional<int64_t> last = std::nullopt) {
    auto stream = hub.subscribe({region, std::move(types)}, last);
    EXPECT_TRUE(stream) << stream.status().message();
    (*stream)->start([this] { ++wakes_; });
    return *stream;
  }

  test_support::TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 23))};
  notify::Hub hub_{store_.db(), clock_, {.max_queued = 3, .max_backlog = 100}};
  int wakes_ = 0;
};

TEST_F(NoticeHubTest, ASubscriberGetsOnlyItsRegionAndTypesInOrder) {
  auto district = subscribe(hub_, "/1/4/", {"alert"});
  auto city = subscribe(hub_, "/1/", {"alert", "case"});
  EXPECT_EQ(district->take(), "retry: 3000\n\n");
  hub_.publish(alert("/1/4/9/", 1));
  hub_.publish(alert("/1/5/", 2));
  hub_.publish({"case", "/1/4/", {{"id", 7}}});

  const std::string got = *district->take();
  EXPECT_NE(got.find("id: 1\nevent: alert\ndata: {\"id\":1"), std::string::npos) << got;
  EXPECT_EQ(got.find("id: 2"), std::string::npos);
  EXPECT_EQ(got.find("event: case"), std::string::npos);
  const std::string all = *city->take();
  EXPECT_LT(all.find("id: 1\n"), all.find("id: 2\n"));
  EXPECT_LT(all.find("id: 2\n"), all.find("id: 3\nevent: case"));
  EXPECT_GE(wakes_, 3);
}

TEST_F(NoticeHubTest, AReconnectWithTheLastIdReplaysWhatWasMissedOnce) {
  auto first = subscribe(hub_, "/1/", {"alert"});
  hub_.publish(alert("/1/4/", 1));
  first->take();
  first.reset();  // the client went away
  EXPECT_EQ(hub_.subscribers(), 0u);
  hub_.publish(alert("/1/4/", 2));
  hub_.publish(alert("/2/", 3));  // another city's
  hub_.publish(alert("/1/4/", 4));

  auto again = subscribe(hub_, "/1/", {"alert"}, 1);
  hub_.publish(alert("/1/4/", 5));
  const std::string got = *again->take();
  EXPECT_EQ(got.find("id: 1\n"), std::string::npos);
  EXPECT_NE(got.find("id: 2\n"), std::string::npos);
  EXPECT_EQ(got.find("id: 3\n"), std::string::npos);
  EXPECT_NE(got.find("id: 4\n"), std::string::npos);
  EXPECT_NE(got.find("id: 5\n"), std::string::npos);
  EXPECT_EQ(got.find("id: 5\n"), got.rfind("id: 5\n"));
}

TEST_F(NoticeHubTest, ASubscriberThatStopsReadingIsEndedAndOthersGoOn) {
  auto slow = subscribe(hub_, "/", {"alert"});
  auto quick = subscribe(hub_, "/", {"alert"});
  for (int i = 1; i <= 5; ++i) {
    hub_.publish(alert("/1/", i));
    ASSERT_TRUE(quick->take().has_value());
  }
  EXPECT_FALSE(slow->take().has_value());  // ended: it reconnects and resumes from its last id
  hub_.publish(alert("/1/", 6));
  EXPECT_NE(quick->take()->find("id: 6\n"), std::string::npos);
}

}  // namespace
}  // namespace anju
