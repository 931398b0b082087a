// The repositories' portable SQL, as PostgreSQL reads it.
#pragma once

#include <string>
#include <string_view>

namespace anju::store {

// Numbers the '?' placeholders $1, $2, ... and reads LIKE as ILIKE (SQLite's LIKE ignores the
// case of ASCII letters; PostgreSQL's does not). String literals, quoted identifiers and comments
// are copied unchanged, so a '?' or a "like" inside them stays as it is.
std::string toPostgres(std::string_view sql);

}  // namespace anju::store
