#include "common/json_fields.h"

#include "common/utf8.h"

namespace anju {

Result<std::string> textField(const nlohmann::json& object, const std::string& name, bool required,
                              std::size_t max_chars, const std::string& field) {
  const std::string& f = field.empty() ? name : field;
  if (!object.contains(name) || object[name].is_null()) {
    if (required) return Status::invalid(f, "缺少字段 " + f + " (" + f + " is required)");
    return std::string();
  }
  if (!object[name].is_string())
    return Status::invalid(f, f + " 应为文本 (" + f + " must be a string)");
  std::string value = object[name].get<std::string>();
  if (required && value.find_first_not_of(" \t\r\n") == std::string::npos)
    return Status::invalid(f, f + " 不能为空 (" + f + " must not be empty)");
  if (utf8Length(value) > max_chars)
    return Status::invalid(f, f + " 过长，最多 " + std::to_string(max_chars) + " 字 (at most " +
                                  std::to_string(max_chars) + " characters)");
  return value;
}

}  // namespace anju
