#include "store/postgres/placeholders.h"

#include <cctype>

namespace anju::store {

namespace {

bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The end of a quoted run that starts at `at` with `quote`: a doubled quote stays inside.
std::size_t quotedEnd(std::string_view sql, std::size_t at, char quote) {
  std::size_t i = at + 1;
  while (i < sql.size()) {
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

bool isLike(std::string_view sql, std::size_t at) {
  if (at + 4 > sql.size()) return false;
  for (std::size_t k = 0; k < 4; ++k) {
    if (std::toupper(static_cast<unsigned char>(sql[at + k])) != "LIKE"[k]) return false;
  }
  const bool starts = at == 0 || !isWordChar(sql[at - 1]);
  const bool ends = at + 4 == sql.size() || !isWordChar(sql[at + 4]);
  return starts && ends;
}

}  // namespace

std::string toPostgres(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      const std::size_t end = quotedEnd(sql, i, c);
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      std::size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(next++);
      ++i;
    } else if ((c == 'l' || c == 'L') && isLike(sql, i)) {
      out += "ILIKE";
      i += 4;
    } else if (isWordChar(c)) {
      // A whole word at once, so that "unlike" or "liked" is never taken for LIKE.
      std::size_t end = i;
      while (end < sql.size() && isWordChar(sql[end])) ++end;
      out.append(sql.substr(i, end - i));
      i = end;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace anju::store
