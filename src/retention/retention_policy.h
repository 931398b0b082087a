// How long each kind of data is kept ([retention] in the configuration), in days; 0 keeps it.
#pragma once

namespace anju::retention {

struct RetentionPolicy {
  int captures_days = 0;   // face captures and their embeddings (the face index forgets them too)
  int events_days = 0;     // every device event, and the vehicle visits and status changes
  int snapshots_days = 0;  // snapshot images no case names, counted from when last stored
  int audit_days = 0;      // audit records; the chain keeps verifying from an anchor

  bool keepsEverything() const {
    return captures_days <= 0 && events_days <= 0 && snapshots_days <= 0 && audit_days <= 0;
  }
};

}  // namespace anju::retention
