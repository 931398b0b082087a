// LISTEN on one channel of a PostgreSQL database, on a connection and a thread of its own, for the
// messages other nodes on the same database send with NOTIFY.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "store/database.h"

namespace anju::store {

std::unique_ptr<Subscription> listenPostgres(const std::string& url, const std::string& channel,
                                             std::function<void(const std::string&)> on_message,
                                             std::function<void()> on_gap);

}  // namespace anju::store
