// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/pattern.cpp: parse route patterns, with errors that point
#include <fasterapi/router/errors.hpp>
#include <fasterapi/router/pattern.hpp>
#include <fasterapi/router/percent.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "core/chars.hpp"

namespace fasterapi::router {

namespace {

constexpr std::array<std::string_view, param_kind_count> kind_names = {"int", "float", "uuid",
                                                                       "str", "path"};

// Throw a pattern_error whose message quotes PATTERN and puts a caret under POSITION.
[[noreturn]] void fail(std::string_view pattern, std::size_t position, std::string_view reason) {
    std::string message = "cannot parse route pattern '";
    message.append(pattern).append("' at position ").append(std::to_string(position));
    message.append(": ").append(reason);
    message.append("\n    ").append(pattern).append("\n    ");
    message.append(position + 1, ' ').back() = '^';
    throw pattern_error(message);
}

std::string quote_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
        static constexpr char digits[] = "0123456789abcdef";
        return std::string("'\\x") + digits[byte >> 4] + digits[byte & 0xF] + "'";
    }
    return std::string("'") + c + "'";
}

class parser {
public:
    parser(std::string_view pattern, path_form form) : _pattern(pattern), _form(form) {}

    std::vector<pattern_token> parse() {
        if (_pattern.empty() || _pattern.front() != '/') {
            fail(_pattern, 0, "a route pattern must start with '/'");
        }
        std::size_t i = 0;
        while (i < _pattern.size()) {
            const char c = _pattern[i];
            if (c == '{') {
                i = parse_param(i);
            } else if (c == '}') {
                fail(_pattern, i, "unbalanced '}' (a parameter is written {name} or {name:type})");
            } else if (c == '?' || c == '#') {
                fail(_pattern, i,
                     quote_char(c) +
                         " is not allowed: a route pattern matches the "
                         "path only, without query string or fragment");
            } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                fail(_pattern, i, "control character " + quote_char(c) + " is not allowed");
            } else {
                i = append_static(i);
            }
        }
        flush_static();
        return std::move(_tokens);
    }

private:
    // Parse the parameter whose '{' is at OPEN; return the index after its '}'.
    std::size_t parse_param(std::size_t open) {
        std::size_t j = open + 1;
        if (j >= _pattern.size()) fail(_pattern, open, "'{' is never closed");
        if (!detail::is_ident_start(_pattern[j])) {
            if (_pattern[j] == '}' || _pattern[j] == ':') fail(_pattern, j, "empty parameter name");
            fail(_pattern, j,
                 "invalid character " + quote_char(_pattern[j]) +
                     " in parameter name (a name is a letter or '_' followed by letters, "
                     "digits or '_')");
        }
        while (j < _pattern.size() && detail::is_ident_char(_pattern[j])) ++j;
        const std::string_view name = _pattern.substr(open + 1, j - open - 1);

        param_kind kind = param_kind::string;
        if (j < _pattern.size() && _pattern[j] == ':') {
            const std::size_t start = ++j;
            while (j < _pattern.size() && detail::is_ident_char(_pattern[j])) ++j;
            const std::string_view convertor = _pattern.substr(start, j - start);
            const auto found = std::find(kind_names.begin(), kind_names.end(), convertor);
            if (found == kind_names.end()) {
                if (convertor.empty() && j < _pattern.size() && _pattern[j] != '}') {
                    fail(_pattern, j,
                         "invalid character " + quote_char(_pattern[j]) + " in convertor name");
                }
                fail(_pattern, start,
                     "unknown convertor '" + std::string(convertor) +
                         "' (allowed: int, float, uuid, str, path)");
            }
            kind = static_cast<param_kind>(found - kind_names.begin());
        }
        if (j >= _pattern.size()) fail(_pattern, open, "'{' is never closed");
        if (_pattern[j] != '}') {
            fail(_pattern, j,
                 "invalid character " + quote_char(_pattern[j]) +
                     " in parameter name (a parameter is written {name} or {name:type})");
        }

        if (!_tokens.empty() && _tokens.back().is_param && _static.empty()) {
            fail(_pattern, open,
                 "parameter '" + std::string(name) +
                     "' directly follows another parameter; separate them "
                     "with static text");
        }
        if (std::any_of(_tokens.begin(), _tokens.end(),
                        [&](const pattern_token& t) { return t.is_param && t.text == name; })) {
            fail(_pattern, open + 1, "duplicate parameter name '" + std::string(name) + "'");
        }
        if (_param_count == max_params) {
            fail(_pattern, open,
                 "too many parameters (at most " + std::to_string(max_params) + " per pattern)");
        }
        if (kind == param_kind::path && j + 1 != _pattern.size()) {
            fail(_pattern, open,
                 "catch-all parameter '" + std::string(name) + ":path' must end the pattern");
        }
        flush_static();
        _tokens.push_back({true, kind, std::string(name)});
        ++_param_count;
        return j + 1;
    }

    // Append the static byte at I (encoding it for raw paths); return the next index.
    std::size_t append_static(std::size_t i) {
        const char c = _pattern[i];
        if (_form == path_form::decoded) {
            _static.push_back(c);
            return i + 1;
        }
        if (c == '%') {
            if (i + 2 < _pattern.size() && detail::hex_value(_pattern[i + 1]) >= 0 &&
                detail::hex_value(_pattern[i + 2]) >= 0) {
                // Keep the escape, with upper-case hex as encoders write it.
                _static.push_back('%');
                _static.push_back(static_cast<char>(std::toupper(_pattern[i + 1])));
                _static.push_back(static_cast<char>(std::toupper(_pattern[i + 2])));
                return i + 3;
            }
            fail(_pattern, i, "'%' must start a percent-escape such as %2F");
        }
        percent_encode(_pattern.substr(i, 1), true, _static);
        return i + 1;
    }

    void flush_static() {
        if (_static.empty()) return;
        _tokens.push_back({false, param_kind::string, std::move(_static)});
        _static.clear();
    }

    std::string_view _pattern;
    path_form _form;
    std::vector<pattern_token> _tokens;
    std::string _static;  // static text gathered since the last parameter
    std::size_t _param_count = 0;
};

}  // namespace

std::string_view param_kind_name(param_kind kind) noexcept {
    return kind_names[static_cast<std::size_t>(kind)];
}

std::vector<pattern_token> parse_pattern(std::string_view pattern, path_form form) {
    return parser(pattern, form).parse();
}

}  // namespace fasterapi::router
