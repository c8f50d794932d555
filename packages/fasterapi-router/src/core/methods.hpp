// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/methods.hpp: HTTP method names <-> small integer ids
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fasterapi::router::detail {

/// Ids 0-8 are the standard methods; extension methods get the next ids as routes use them.
class method_table {
public:
    method_table();

    /// The id of METHOD (exact, case-sensitive), or -1 when no route uses it.
    [[nodiscard]] int find(std::string_view method) const noexcept;

    /// The id of METHOD upper-cased, registering it if new.
    /// \throws pattern_error for an invalid name or when `max_methods` would be exceeded.
    int intern(std::string_view method);

    [[nodiscard]] const std::string& name(int id) const {
        return _names[static_cast<std::size_t>(id)];
    }

private:
    std::vector<std::string> _names;  // indexed by id
};

}  // namespace fasterapi::router::detail
