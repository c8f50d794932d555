// SPDX-License-Identifier: MIT
// fasterapi/futures/detail/task_pool.hpp: recycled memory for continuation tasks
#pragma once

#include <cstddef>

namespace fasterapi::futures::detail {

// Continuation tasks come and go at the rate of `then` calls. Blocks of up to 512 bytes are
// kept on per-thread free lists, so once a thread has warmed up, chaining a continuation on a
// pending future does not reach the system allocator. Larger tasks use operator new.
void* allocate_task(std::size_t size);
void deallocate_task(void* block, std::size_t size) noexcept;

}  // namespace fasterapi::futures::detail
