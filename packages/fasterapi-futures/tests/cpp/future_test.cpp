// SPDX-License-Identifier: MIT
// fasterapi-futures/tests/cpp/future_test.cpp: future<T> and promise<T>
#include <fasterapi/futures/future.hpp>

#include <memory>
#include <stdexcept>
#include <string>

#include <fasterapi/testing/check.hpp>

#include "allocations.hpp"

namespace ff = fasterapi::futures;

namespace {

// Counts the failures reported while it lives, instead of printing them.
struct failure_reports {
    failure_reports() {
        ff::set_ignored_failure_handler([this](std::exception_ptr) { ++count; });
    }
    ~failure_reports() { ff::set_ignored_failure_handler(nullptr); }
    int count = 0;
};

}  // namespace

TEST(ready_future_allocates_nothing) {
    const long before = allocations_so_far();
    ff::future<int> ready = ff::make_ready_future<int>(7);
    ff::future<int> doubled = std::move(ready).then([](int v) { return v * 2; });
    CHECK(doubled.available() && doubled.get() == 14);
    CHECK(allocations_so_far() == before);
}

TEST(then_on_pending_future_allocates_nothing_once_warm) {
    auto chain_once = [] {
        ff::promise<int> p;
        ff::future<int> f = p.get_future().then([](int v) { return v + 1; });
        p.set_value(1);
        return f.get();
    };
    CHECK(chain_once() == 2);  // warms this thread's task pool
    const long before = allocations_so_far();
    CHECK(chain_once() == 2);
    CHECK(allocations_so_far() == before);
}

TEST(continuations_run_when_the_promise_resolves) {
    ff::promise<std::string> p;
    std::string seen;
    ff::future<std::size_t> length = p.get_future()
                                         .then([&](std::string s) {
                                             seen = s;
                                             return s + "!";
                                         })
                                         .then([](std::string s) { return s.size(); });
    CHECK(!length.available() && seen.empty());
    p.set_value("hello");
    CHECK(seen == "hello" && length.get() == 6);
}

TEST(exceptions_skip_then_and_reach_handle_exception) {
    ff::promise<int> p;
    bool ran = false;
    ff::future<int> recovered = p.get_future()
                                    .then([&](int v) {
                                        ran = true;
                                        return v;
                                    })
                                    .handle_exception([](std::exception_ptr error) {
                                        try {
                                            std::rethrow_exception(error);
                                        } catch (const std::runtime_error& e) {
                                            return std::string(e.what()) == "boom" ? -1 : -2;
                                        }
                                    });
    p.set_exception(std::runtime_error("boom"));
    CHECK(!ran && recovered.get() == -1);
}

TEST(a_throwing_continuation_fails_its_future) {
    ff::future<int> f =
        ff::make_ready_future<int>(1).then([](int) -> int { throw std::logic_error("bad"); });
    CHECK(f.failed());
    CHECK_THROWS(f.get(), std::logic_error);
}

TEST(then_flattens_a_returned_future) {
    ff::promise<int> outer;
    ff::promise<int> inner;
    ff::future<int> inner_future = inner.get_future();
    ff::future<int> f = outer.get_future().then(
        [&](int v) { return std::move(inner_future).then([v](int w) { return v * w; }); });
    outer.set_value(6);
    CHECK(!f.available());
    inner.set_value(7);
    CHECK(f.get() == 42);
}

TEST(then_wrapped_sees_values_and_failures) {
    auto describe = [](ff::future<int> f) {
        return f.failed() ? (f.ignore_ready_future(), std::string("failed"))
                          : std::to_string(f.get());
    };
    CHECK(ff::make_ready_future<int>(3).then_wrapped(describe).get() == "3");
    CHECK(ff::make_exception_future<int>(std::runtime_error("x")).then_wrapped(describe).get() ==
          "failed");
}

TEST(finally_runs_either_way_and_keeps_the_result) {
    int cleanups = 0;
    ff::promise<int> p;
    ff::future<int> f = p.get_future().finally([&] { ++cleanups; });
    p.set_value(5);
    CHECK(cleanups == 1 && f.get() == 5);
    ff::future<int> failed =
        ff::make_exception_future<int>(std::runtime_error("x")).finally([&] { ++cleanups; });
    CHECK(cleanups == 2);
    CHECK_THROWS(failed.get(), std::runtime_error);
    ff::future<int> cleanup_failed =
        ff::make_ready_future<int>(1).finally([] { throw std::logic_error("cleanup"); });
    CHECK_THROWS(cleanup_failed.get(), std::logic_error);
}

TEST(void_futures) {
    ff::promise<> p;
    int steps = 0;
    ff::future<> f = p.get_future().then([&] { ++steps; }).then([&] { ++steps; });
    p.set_value();
    CHECK(f.available() && !f.failed() && steps == 2);
    f.get();
}

TEST(a_destroyed_promise_breaks_its_future) {
    ff::future<int> orphan = [] {
        ff::promise<int> p;
        return p.get_future();
    }();
    CHECK_THROWS(orphan.get(), ff::broken_promise);
    ff::future<int> chained = [] {
        ff::promise<int> p;
        return p.get_future().then([](int v) { return v; });
    }();
    CHECK_THROWS(chained.get(), ff::broken_promise);
}

TEST(a_failed_future_dropped_unread_is_reported) {
    failure_reports reports;
    {
        ff::future<int> dropped = ff::make_exception_future<int>(std::runtime_error("lost"));
    }
    CHECK(reports.count == 1);
    {
        ff::future<int> read = ff::make_exception_future<int>(std::runtime_error("read"));
        CHECK(read.get_exception() != nullptr);
    }
    CHECK(reports.count == 1);
    {
        ff::promise<int> p;
        {
            ff::future<int> dropped_pending = p.get_future();
        }
        p.set_exception(std::runtime_error("nobody listens"));
    }
    CHECK(reports.count == 2);
}

TEST(value_set_before_get_future) {
    ff::promise<int> p;
    p.set_value(9);
    CHECK(p.get_future().get() == 9);
    CHECK_THROWS(p.get_future(), ff::usage_error);
}

TEST(moving_futures_and_promises_keeps_them_linked) {
    auto p = std::make_unique<ff::promise<int>>();
    ff::future<int> f = p->get_future();
    ff::future<int> moved_future = std::move(f);
    ff::promise<int> moved_promise = std::move(*p);
    p.reset();
    moved_promise.set_value(11);
    CHECK(moved_future.get() == 11);
}

TEST(get_on_a_pending_future_is_a_usage_error) {
    ff::promise<int> p;
    ff::future<int> f = p.get_future();
    CHECK_THROWS(f.get(), ff::usage_error);
    p.set_value(1);
    CHECK(f.get() == 1);
}

TEST(a_second_resolution_is_ignored) {
    ff::promise<int> p;
    ff::future<int> f = p.get_future();
    p.set_value(1);
    p.set_value(2);
    CHECK(f.get() == 1);
}

TEST(move_only_values) {
    ff::promise<std::unique_ptr<int>> p;
    ff::future<int> f = p.get_future().then([](std::unique_ptr<int> v) { return *v; });
    p.set_value(std::make_unique<int>(4));
    CHECK(f.get() == 4);
}

#ifdef FASTERAPI_DEBUG
TEST(debug_build_counts_live_futures_and_tasks) {
    const ff::live_counts before = ff::live_objects();
    {
        ff::promise<int> p;
        ff::future<int> f = p.get_future().then([](int v) { return v; });
        CHECK(ff::live_objects().tasks == before.tasks + 1);
        CHECK(ff::live_objects().futures > before.futures);
        p.set_value(1);
        CHECK(f.get() == 1);
    }
    CHECK(ff::live_objects().futures == before.futures);
    CHECK(ff::live_objects().tasks == before.tasks);
}
#endif
