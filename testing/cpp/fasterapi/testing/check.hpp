// SPDX-License-Identifier: MIT
// testing/cpp/fasterapi/testing/check.hpp: the minimal test runner of every package's C++ unit
// tests
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace fasterapi::testing {

struct test_case {
    const char* name;
    std::function<void()> body;
};

inline std::vector<test_case>& registry() {
    static std::vector<test_case> tests;
    return tests;
}

inline int failures = 0;

struct registrar {
    registrar(const char* name, std::function<void()> body) {
        registry().push_back({name, std::move(body)});
    }
};

// Runs every registered test; prints the closing line "N passed, N failed".
inline int run_all() {
    int passed = 0;
    int failed = 0;
    for (const auto& test : registry()) {
        const int before = failures;
        try {
            test.body();
        } catch (const std::exception& e) {
            std::printf("  %s: unexpected exception: %s\n", test.name, e.what());
            ++failures;
        }
        if (failures == before) {
            ++passed;
        } else {
            ++failed;
            std::printf("FAIL %s\n", test.name);
        }
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

}  // namespace fasterapi::testing

#define FASTERAPI_CONCAT_(a, b) a##b
#define FASTERAPI_CONCAT(a, b) FASTERAPI_CONCAT_(a, b)
#define TEST(name)                                                                          \
    static void name();                                                                     \
    static ::fasterapi::testing::registrar FASTERAPI_CONCAT(name, _registrar)(#name, name); \
    static void name()
#define CHECK(condition)                                                                \
    do {                                                                                \
        if (!(condition)) {                                                             \
            std::printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #condition); \
            ++::fasterapi::testing::failures;                                           \
        }                                                                               \
    } while (false)
#define CHECK_THROWS(expression, type)                                                             \
    do {                                                                                           \
        bool thrown = false;                                                                       \
        try {                                                                                      \
            (void)(expression);                                                                    \
        } catch (const type&) {                                                                    \
            thrown = true;                                                                         \
        }                                                                                          \
        if (!thrown) {                                                                             \
            std::printf("  %s:%d: %s did not throw %s\n", __FILE__, __LINE__, #expression, #type); \
            ++::fasterapi::testing::failures;                                                      \
        }                                                                                          \
    } while (false)
