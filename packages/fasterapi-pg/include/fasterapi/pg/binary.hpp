// SPDX-License-Identifier: MIT
// fasterapi-pg/include/fasterapi/pg/binary.hpp: PostgreSQL's binary wire formats (big-endian)
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fasterapi::pg::binary {

/// Read a big-endian integer of type T from the start of DATA (which holds sizeof(T) bytes).
template <class T>
T read(std::string_view data) noexcept {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        value = (value << 8) | static_cast<unsigned char>(data[i]);
    }
    return static_cast<T>(value);
}

/// Append VALUE to OUT as a big-endian integer of sizeof(T) bytes.
template <class T>
void write(std::string& out, T value) {
    // One append of the finished bytes: byte-wise push_back costs a capacity check per byte,
    // which dominated encoding a COPY of small rows.
    const auto bits = static_cast<std::uint64_t>(value);
    char bytes[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        bytes[i] = static_cast<char>((bits >> (8 * (sizeof(T) - 1 - i))) & 0xFF);
    }
    out.append(bytes, sizeof(T));
}

inline double read_float8(std::string_view data) noexcept {
    const auto bits = read<std::uint64_t>(data);
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

inline float read_float4(std::string_view data) noexcept {
    const auto bits = read<std::uint32_t>(data);
    float value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

inline void write_float8(std::string& out, double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    write(out, bits);
}

inline void write_float4(std::string& out, float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    write(out, bits);
}

/// PostgreSQL's epoch for dates and timestamps: 2000-01-01, as days since 1970-01-01.
inline constexpr std::int64_t pg_epoch_days = 10957;

/// A binary numeric as decimal digits. A finite value is (-1)^negative x coefficient x
/// 10^-scale, COEFFICIENT holding its digits without leading zeros ("0" for zero) and SCALE
/// the digits shown after the point (PostgreSQL's dscale: 12.340 is "12340", scale 3). The
/// special values have no digits: SPECIAL is "NaN", "Infinity" or "-Infinity" for them and
/// empty for finite values.
struct numeric_digits {
    std::string_view special;
    bool negative = false;
    std::string coefficient;
    int scale = 0;
};

/// Decode a binary numeric into its digits.
/// \throws interface_error for a truncated value.
numeric_digits numeric_to_digits(std::string_view data);
/// The decimal text of NUMERIC ("-12.340", "NaN", "Infinity", "-Infinity").
std::string numeric_to_text(const numeric_digits& numeric);
/// Decode a binary numeric into its decimal text.
inline std::string numeric_to_text(std::string_view data) {
    return numeric_to_text(numeric_to_digits(data));
}
/// Encode decimal text ("-12.340", "1.5E-7", "NaN", "Infinity") as a binary numeric.
/// \throws interface_error for text that is not a decimal number.
std::string numeric_from_text(std::string_view text);

}  // namespace fasterapi::pg::binary
