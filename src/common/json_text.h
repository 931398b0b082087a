// JSON string escaping for the few places that write JSON text without a JSON library (log lines,
// the HTTP layer's own error answers), so that neither needs nlohmann in its hot path.
#pragma once

#include <string>
#include <string_view>

namespace anju {

// Appends `text` escaped for use inside a JSON string literal, without the quotes.
void appendJsonEscaped(std::string& out, std::string_view text);

}  // namespace anju
