// SPDX-License-Identifier: MIT
// fasterapi-futures/tests/cpp/reactor_test.cpp: the reactor, timers, fds, threads, shards
#include <fasterapi/futures/reactor.hpp>
#include <fasterapi/futures/reactor_group.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fasterapi/testing/check.hpp>

namespace ff = fasterapi::futures;
using namespace std::chrono_literals;

TEST(one_reactor_per_thread) {
    ff::reactor r;
    CHECK(&ff::reactor::local() == &r);
    CHECK_THROWS(ff::reactor(), ff::usage_error);
}

TEST(no_reactor_is_a_usage_error) {
    CHECK_THROWS(ff::sleep(1ms), ff::usage_error);
}

TEST(timers_fire_in_deadline_order_and_cancel) {
    ff::reactor r;
    std::string order;
    const auto now = ff::steady_clock::now();
    r.call_at(now + 3ms, [&] { order += "c"; });
    r.call_at(now + 1ms, [&] { order += "a"; });
    const ff::timer_handle cancelled = r.call_at(now + 2ms, [&] { order += "x"; });
    r.call_at(now + 2ms, [&] { order += "b"; });
    r.call_at(now + 4ms, [&] { r.stop(); });
    CHECK(r.cancel_timer(cancelled));
    CHECK(!r.cancel_timer(cancelled));
    r.run();
    CHECK(order == "abc");
}

TEST(sleep_and_with_timeout) {
    ff::reactor r;
    ff::promise<int> never;
    ff::future<int> timed_out = ff::with_timeout(ff::steady_clock::now() + 2ms, never.get_future());
    ff::promise<int> soon;
    ff::future<int> in_time = ff::with_timeout(ff::steady_clock::now() + 1s, soon.get_future());
    const auto start = ff::steady_clock::now();
    ff::future<> slept = ff::sleep(5ms).then([&] {
        soon.set_value(3);
        r.stop();
    });
    r.run();
    CHECK(ff::steady_clock::now() - start >= 5ms);
    CHECK_THROWS(timed_out.get(), ff::timed_out_error);
    CHECK(in_time.get() == 3);
    slept.get();
    never.set_value(1);  // a late result after the timeout is dropped
}

TEST(schedule_runs_on_the_next_turn) {
    ff::reactor r;
    std::vector<int> ran;
    r.schedule([&] {
        ran.push_back(1);
        r.schedule([&] {
            ran.push_back(2);
            r.stop();
        });
    });
    r.run();
    CHECK(ran.size() == 2);
}

TEST(readable_and_writable_on_a_pipe) {
    ff::reactor r;
    int fds[2];
    CHECK(::pipe(fds) == 0);
    std::string got;
    ff::future<> read_done = r.readable(fds[0]).then([&] {
        char buffer[8] = {};
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        got.assign(buffer, static_cast<std::size_t>(n));
        r.stop();
    });
    ff::future<> write_done =
        r.writable(fds[1]).then([&] { CHECK(::write(fds[1], "ping", 4) == 4); });
    r.run();
    CHECK(got == "ping");
    read_done.get();
    write_done.get();
    ff::future<> orphan = r.readable(fds[0]);
    CHECK_THROWS(r.readable(fds[0]), ff::usage_error);
    r.forget_fd(fds[0]);
    CHECK_THROWS(orphan.get(), ff::broken_promise);
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(submit_from_many_threads) {
    ff::reactor r;
    constexpr int threads = 4;
    constexpr int per_thread = 20000;
    int received = 0;  // touched only on the reactor's thread
    std::vector<std::thread> producers;
    for (int t = 0; t < threads; ++t) {
        producers.emplace_back([&] {
            for (int i = 0; i < per_thread; ++i) {
                r.submit([&] {
                    if (++received == threads * per_thread) {
                        r.stop();
                    }
                });
            }
        });
    }
    r.run();
    for (auto& producer : producers) {
        producer.join();
    }
    CHECK(received == threads * per_thread);
}

TEST(stop_from_another_thread) {
    ff::reactor r;
    std::thread stopper([&] {
        std::this_thread::sleep_for(2ms);
        r.stop();
    });
    r.run();  // would block forever (nothing scheduled) without the wake-up
    stopper.join();
    CHECK(r.pending_work() == 0);
}

TEST(reactor_group_submit_to_and_back) {
    ff::reactor home;
    ff::reactor_group cores(2);
    std::vector<int> shards_seen;
    ff::future<> done =
        cores.submit_to(1, [] { return ff::reactor_group::this_shard(); })
            .then([&](int shard) {
                shards_seen.push_back(shard);
                return cores.submit_to(0, [] {
                    return ff::sleep(1ms).then([] { return ff::reactor_group::this_shard(); });
                });
            })
            .then([&](int shard) {
                shards_seen.push_back(shard);
                CHECK(ff::reactor_group::this_shard() == -1);
                home.stop();
            });
    home.run();
    done.get();
    CHECK(shards_seen == std::vector<int>({1, 0}));
    CHECK_THROWS(cores.run_on(2, [] {}), ff::usage_error);
}

TEST(watchers_are_level_triggered_and_can_remove_themselves) {
    ff::reactor r;
    int fds[2];
    CHECK(::pipe(fds) == 0);
    CHECK(::write(fds[1], "ab", 2) == 2);
    int calls = 0;
    r.watch_readable(fds[0], [&] {
        char one = 0;
        CHECK(::read(fds[0], &one, 1) == 1);
        if (++calls == 2) {
            CHECK(r.unwatch_readable(fds[0]));  // from inside its own callback
        }
    });
    for (int turn = 0; turn < 4; ++turn) {
        r.run_once(false);
    }
    CHECK(calls == 2);  // one byte per turn while readable, none after unwatching
    CHECK(!r.unwatch_readable(fds[0]));
    int writes = 0;
    r.watch_writable(fds[1], [&] { ++writes; });
    r.run_once(false);
    CHECK(writes == 1);
    r.watch_writable(fds[1], [&] { writes += 10; });  // replaces the first
    r.run_once(false);
    CHECK(writes == 11);
    r.discard_pending();
    CHECK(r.pending_work() == 0);
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(a_chain_of_queued_tasks_does_not_starve_io) {
    ff::reactor r(ff::thread_binding::unbound);
    int fds[2];
    CHECK(::pipe(fds) == 0);
    bool readable = false;
    r.watch_readable(fds[0], [&] {
        readable = true;
        r.unwatch_readable(fds[0]);
    });
    int links = 0;
    std::function<void()> again = [&] {  // always a task queued: the reactor never idles
        ++links;
        if (!readable) r.schedule(again);
    };
    r.schedule(again);
    r.run_once(false);  // polls once, before the pipe is written
    CHECK(::write(fds[1], "x", 1) == 1);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!readable && std::chrono::steady_clock::now() < deadline) r.run_once(true);
    CHECK(readable);
    CHECK(links > 1);
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(run_once_keeps_the_rest_of_a_batch_after_an_exception) {
    ff::reactor r(ff::thread_binding::unbound);
    std::vector<int> ran;
    r.schedule([&] { ran.push_back(1); });
    r.schedule([] { throw std::runtime_error("task failed"); });
    r.schedule([&] { ran.push_back(3); });
    CHECK_THROWS(r.run_once(false), std::runtime_error);
    r.run_once(false);  // the tasks after the thrower (the debug build shuffles the order)
    std::sort(ran.begin(), ran.end());
    CHECK(ran == std::vector<int>({1, 3}));
}

TEST(unbound_reactors_coexist_on_a_thread) {
    ff::reactor bound;
    ff::reactor first(ff::thread_binding::unbound);
    ff::reactor second(ff::thread_binding::unbound);
    CHECK(&ff::reactor::local() == &bound);
    int ran = 0;
    first.schedule([&] { ++ran; });
    second.schedule([&] { ++ran; });
    first.run_once(false);
    second.run_once(false);
    CHECK(ran == 2);
}
