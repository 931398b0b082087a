// Several nodes on one PostgreSQL database: each node's face index holds the captures every node
// stores, so a face search answers the same whichever node the load balancer picks.
//
// A node tells the others of the captures it stores in the very commit that stores them (NOTIFY,
// sent only if the commit succeeds); the others read each one back by its key and index it. When
// a node's listening connection was lost, it indexes again the captures of the hours it may have
// missed (the index leaves a key it already holds as it is).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "faces/face_catalog.h"
#include "store/database.h"
#include "store/event_store.h"

namespace anju::faces {

class SharedCaptures {
 public:
  // `node` names this node among those on the database (store::nodeName()).
  SharedCaptures(store::EventStore& events, FaceCatalog& catalog, const Clock& clock,
                 std::string node);
  SharedCaptures(const SharedCaptures&) = delete;
  SharedCaptures& operator=(const SharedCaptures&) = delete;

  // Inside the commit that stores the captures with these keys (an EventWriter announcer).
  Status announce(store::Connection& c, const std::vector<int64_t>& keys) const;

 private:
  void received(const std::string& payload);
  void missed();

  store::EventStore& events_;
  FaceCatalog& catalog_;
  const Clock& clock_;
  const std::string node_;
  bool listening_ = false;                             // touched by the subscription's thread only
  std::unique_ptr<store::Subscription> subscription_;  // last: it calls received() and missed()
};

}  // namespace anju::faces
