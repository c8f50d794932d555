// SPDX-License-Identifier: MIT
// fasterapi-futures/src/core/task_pool.cpp: per-thread free lists for continuation tasks
#include <fasterapi/futures/detail/task_pool.hpp>

#include <array>
#include <new>

namespace fasterapi::futures::detail {

namespace {

constexpr std::size_t size_classes = 4;              // 64, 128, 256, 512 bytes
constexpr std::size_t largest_pooled = 64u << 3;     // 512
constexpr std::size_t blocks_kept_per_class = 1024;  // beyond this, blocks go back to malloc

struct free_block {
    free_block* next;
};

struct free_lists {
    std::array<free_block*, size_classes> heads{};
    std::array<std::size_t, size_classes> lengths{};

    ~free_lists() {
        for (free_block* head : heads) {
            while (head != nullptr) {
                free_block* next = head->next;
                ::operator delete(head);
                head = next;
            }
        }
    }
};

thread_local free_lists pool;

std::size_t class_of(std::size_t size) noexcept {
    std::size_t index = 0;
    for (std::size_t capacity = 64; capacity < size; capacity <<= 1) {
        ++index;
    }
    return index;
}

}  // namespace

void* allocate_task(std::size_t size) {
    if (size > largest_pooled) {
        return ::operator new(size);
    }
    const std::size_t index = class_of(size);
    if (free_block* block = pool.heads[index]) {
        pool.heads[index] = block->next;
        --pool.lengths[index];
        return block;
    }
    return ::operator new(std::size_t{64} << index);
}

void deallocate_task(void* block, std::size_t size) noexcept {
    if (size > largest_pooled) {
        ::operator delete(block);
        return;
    }
    // A block freed on another thread joins that thread's list: blocks are plain heap memory.
    const std::size_t index = class_of(size);
    if (pool.lengths[index] >= blocks_kept_per_class) {
        ::operator delete(block);
        return;
    }
    auto* freed = static_cast<free_block*>(block);
    freed->next = pool.heads[index];
    pool.heads[index] = freed;
    ++pool.lengths[index];
}

}  // namespace fasterapi::futures::detail
