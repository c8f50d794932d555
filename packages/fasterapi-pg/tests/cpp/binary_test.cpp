// SPDX-License-Identifier: MIT
// fasterapi-pg/tests/cpp/binary_test.cpp: the binary wire formats, without a server
#include <fasterapi/pg/binary.hpp>
#include <fasterapi/pg/errors.hpp>

#include <cstdio>
#include <string>

namespace bin = fasterapi::pg::binary;

namespace {

int passed = 0;
int failures = 0;

void check(bool condition, const char* what) {
    if (condition) {
        ++passed;
    } else {
        std::printf("FAIL %s\n", what);
        ++failures;
    }
}

// A binary numeric from its fields and base-10000 digits.
std::string numeric(int weight, int sign, int dscale, std::initializer_list<int> digits) {
    std::string out;
    bin::write(out, static_cast<std::int16_t>(digits.size()));
    bin::write(out, static_cast<std::int16_t>(weight));
    bin::write(out, static_cast<std::uint16_t>(sign));
    bin::write(out, static_cast<std::int16_t>(dscale));
    for (const int d : digits) bin::write(out, static_cast<std::int16_t>(d));
    return out;
}

}  // namespace

int main() {
    std::string buffer;
    bin::write(buffer, static_cast<std::int32_t>(-2));
    check(bin::read<std::int32_t>(buffer) == -2, "int4 round trip");
    buffer.clear();
    bin::write_float8(buffer, 2.5);
    check(bin::read_float8(buffer) == 2.5, "float8 round trip");

    check(bin::numeric_to_text(numeric(0, 0, 0, {12})) == "12", "numeric 12");
    check(bin::numeric_to_text(numeric(1, 0x4000, 2, {1, 2345, 6700})) == "-12345.67",
          "numeric -12345.67");
    check(bin::numeric_to_text(numeric(-1, 0, 4, {5})) == "0.0005", "numeric 0.0005");
    check(bin::numeric_to_text(numeric(0, 0xC000, 0, {})) == "NaN", "numeric NaN");
    check(bin::numeric_to_text(numeric(0, 0xD000, 0, {})) == "Infinity", "numeric Infinity");
    check(bin::numeric_to_text(numeric(0, 0, 3, {})) == "0.000", "numeric 0.000");
    check(bin::numeric_to_text(numeric(2, 0, 0, {1})) == "100000000", "numeric 10^8");
    check(bin::numeric_to_text(numeric(-3, 0, 12, {12})) == "0.000000000012", "numeric 1.2e-11");
    check(bin::numeric_to_text(numeric(0, 0, 6, {7, 10})) == "7.001000", "numeric 7.001000");
    // Digits: the coefficient without leading zeros, and the scale, as Decimal needs them.
    const bin::numeric_digits fraction = bin::numeric_to_digits(numeric(-1, 0x4000, 4, {5}));
    check(fraction.special.empty() && fraction.negative && fraction.coefficient == "5" &&
              fraction.scale == 4,
          "digits of -0.0005");
    const bin::numeric_digits padded = bin::numeric_to_digits(numeric(0, 0, 6, {7, 10}));
    check(padded.coefficient == "7001000" && padded.scale == 6, "digits of 7.001000");
    const bin::numeric_digits zero = bin::numeric_to_digits(numeric(0, 0, 3, {}));
    check(zero.coefficient == "0" && zero.scale == 3 && !zero.negative, "digits of 0.000");
    check(bin::numeric_to_digits(numeric(0, 0xF000, 0, {})).special == "-Infinity",
          "digits of -Infinity");
    // Encoding: text -> binary -> text gives the same decimal, exponents written out.
    auto round_trip = [](const char* text) {
        return bin::numeric_to_text(bin::numeric_from_text(text));
    };
    check(bin::numeric_from_text("-12345.67") == numeric(1, 0x4000, 2, {1, 2345, 6700}),
          "encode -12345.67");
    check(round_trip("0.0005") == "0.0005", "encode 0.0005");
    check(round_trip("1E+3") == "1000", "encode 1E+3");
    check(round_trip("1.5E-7") == "0.00000015", "encode 1.5E-7");
    check(round_trip("-0.000") == "0.000", "encode -0.000");
    check(round_trip("123456789012345678901234567890.5") == "123456789012345678901234567890.5",
          "encode a long decimal");
    check(round_trip("NaN") == "NaN" && round_trip("-Infinity") == "-Infinity", "encode specials");
    for (const char* bad : {"", "1.2.3x", "abc", "1E", "--1"}) {
        bool thrown = false;
        try {
            (void)bin::numeric_from_text(bad);
        } catch (const fasterapi::pg::interface_error&) {
            thrown = true;
        }
        check(thrown, "encode rejects malformed text");
    }
    bool threw = false;
    try {
        (void)bin::numeric_to_text("abc");
    } catch (const fasterapi::pg::interface_error&) {
        threw = true;
    }
    check(threw, "truncated numeric throws");

    std::printf("%d passed, %d failed\n", passed, failures);
    return failures == 0 ? 0 : 1;
}
