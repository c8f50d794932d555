// SPDX-License-Identifier: MIT
// fasterapi/futures/reactor_group.hpp: one reactor per core, and messages between them
//
// Example (on a thread that has its own reactor):
//     reactor_group cores(4);
//     future<int> answer = cores.submit_to(2, [] { return 6 * 7; });  // runs on core 2
#pragma once

#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include "reactor.hpp"

namespace fasterapi::futures {

class reactor_group {
public:
    // Starts `count` threads, each running its own reactor; with `pin`, thread i is bound to
    // CPU i modulo the number of CPUs (shared-nothing, one reactor per core).
    explicit reactor_group(unsigned count, bool pin = false);
    // Stops every reactor and joins its thread.
    ~reactor_group();
    reactor_group(const reactor_group&) = delete;
    reactor_group& operator=(const reactor_group&) = delete;

    unsigned size() const noexcept { return static_cast<unsigned>(shards_.size()); }

    // The index of the group reactor running this thread, or -1 on any other thread.
    static int this_shard() noexcept;

    // Any thread: runs `task` on shard `index`, fire and forget.
    void run_on(unsigned index, unique_function<void()> task);

    // From a thread with a reactor: runs fn() on shard `index`; its result (a value or a
    // future, resolved there) comes back as a future resolved on the calling reactor.
    template <typename Fn>
    futurize_t<Fn> submit_to(unsigned index, Fn fn) {
        using result = futurize_t<Fn>;
        using value = typename result::element_type;
        reactor& origin = reactor::local();
        auto reply = std::make_unique<promise<value>>();
        result answer = reply->get_future();
        run_on(index, [fn = std::move(fn), reply = reply.release(), &origin]() mutable {
            futurize<std::invoke_result_t<Fn&>>::apply(fn).when_ready(
                [reply, &origin](future<value> done) {
                    origin.submit([reply, done = std::move(done)]() mutable {
                        std::move(done).forward_to(std::move(*reply));
                        delete reply;
                    });
                });
        });
        return answer;
    }

private:
    struct shard;
    std::vector<std::unique_ptr<shard>> shards_;
};

}  // namespace fasterapi::futures
