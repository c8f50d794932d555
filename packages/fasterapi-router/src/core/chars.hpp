// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/chars.hpp: byte classes of RFC 3986 and RFC 9110
#pragma once

namespace fasterapi::router::detail {

/// The value of hex digit C, or -1.
constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

/// RFC 3986 `pchar` minus pct-encoded: unreserved / sub-delims / ":" / "@".
constexpr bool is_pchar(unsigned char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '-':
        case '.':
        case '_':
        case '~':  // unreserved
        case '!':
        case '$':
        case '&':
        case '\'':
        case '(':
        case ')':  // sub-delims
        case '*':
        case '+':
        case ',':
        case ';':
        case '=':
        case ':':
        case '@':
            return true;
        default:
            return false;
    }
}

/// RFC 9110 `tchar`: the bytes a method name may contain.
constexpr bool is_tchar(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '.':
        case '^':
        case '_':
        case '`':
        case '|':
        case '~':
            return true;
        default:
            return false;
    }
}

constexpr bool is_ident_start(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

constexpr bool is_ident_char(char c) noexcept {
    return is_ident_start(c) || is_digit(c);
}

}  // namespace fasterapi::router::detail
