// SPDX-License-Identifier: MIT
// fasterapi-futures/tests/cpp/main.cpp: runs the C++ tests; counts heap allocations for them
#include <atomic>
#include <cstdlib>
#include <new>

#include <fasterapi/testing/check.hpp>

#include "allocations.hpp"

namespace {
std::atomic<long> allocation_count{0};
}

long allocations_so_far() noexcept {
    return allocation_count.load(std::memory_order_relaxed);
}

// Every operator new of the test binary is counted, so a test can assert "allocates nothing".
void* operator new(std::size_t size) {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    if (void* block = std::malloc(size == 0 ? 1 : size)) {
        return block;
    }
    throw std::bad_alloc();
}
void operator delete(void* block) noexcept {
    std::free(block);
}
void operator delete(void* block, std::size_t) noexcept {
    std::free(block);
}

int main() {
    return fasterapi::testing::run_all();
}
