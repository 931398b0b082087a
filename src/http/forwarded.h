// The client's address behind a reverse proxy. nginx in front of Anju makes every connection come
// from 127.0.0.1, which would put every user behind one sign-in throttle, write the proxy's
// address into the audit log and open /metrics to the internet. Only a proxy the operator names is
// believed about X-Forwarded-For; anyone else could write any address into it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace anju::http {

// `peer` is the connection's address; `forwarded_for` the X-Forwarded-For header (possibly
// empty). When the peer is one of `trusted_proxies`, the client is the right-most address of the
// header that is not itself a trusted proxy: proxies append, so addresses further left were
// written by the client and prove nothing. A header that does not parse leaves the peer.
// True when `text` is one IPv4 or IPv6 address (the form trusted_proxies must take).
bool isIpAddress(std::string_view text);

std::string clientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace anju::http
