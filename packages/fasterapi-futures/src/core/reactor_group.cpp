// SPDX-License-Identifier: MIT
// fasterapi-futures/src/core/reactor_group.cpp: threads that each run one reactor
#include <fasterapi/futures/reactor_group.hpp>

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>

namespace fasterapi::futures {

namespace {
thread_local int current_shard = -1;
}

struct reactor_group::shard {
    std::thread thread;
    reactor* loop = nullptr;  // set by the thread once its reactor exists
};

reactor_group::reactor_group(unsigned count, bool pin) {
    if (count == 0) {
        throw usage_error("reactor_group needs at least one reactor");
    }
    std::mutex started_mutex;
    std::condition_variable started;
    unsigned ready = 0;
    const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned index = 0; index < count; ++index) {
        auto& added = shards_.emplace_back(std::make_unique<shard>());
        added->thread = std::thread([&, index, target = added.get()] {
            if (pin) {
                cpu_set_t set;
                CPU_ZERO(&set);
                CPU_SET(index % cpus, &set);
                pthread_setaffinity_np(pthread_self(), sizeof set, &set);
            }
            current_shard = static_cast<int>(index);
            reactor loop;
            {
                // Notify under the lock: once the constructor sees `ready == count` it returns
                // and the condition variable is gone.
                std::lock_guard lock(started_mutex);
                target->loop = &loop;
                ++ready;
                started.notify_all();
            }
            loop.run();
        });
    }
    std::unique_lock lock(started_mutex);
    started.wait(lock, [&] { return ready == count; });
}

reactor_group::~reactor_group() {
    for (auto& each : shards_) {
        each->loop->stop();
    }
    for (auto& each : shards_) {
        each->thread.join();
    }
}

int reactor_group::this_shard() noexcept {
    return current_shard;
}

void reactor_group::run_on(unsigned shard_index, unique_function<void()> task) {
    if (shard_index >= shards_.size()) {
        throw usage_error("no shard " + std::to_string(shard_index) + " in a group of " +
                          std::to_string(shards_.size()));
    }
    shards_[shard_index]->loop->submit(std::move(task));
}

}  // namespace fasterapi::futures
