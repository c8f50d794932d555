// SPDX-License-Identifier: MIT
// fasterapi-futures/tests/cpp/combinators_test.cpp: when_all, when_any, loops, parallelism
#include <fasterapi/futures/combinators.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include <fasterapi/testing/check.hpp>

namespace ff = fasterapi::futures;

TEST(when_all_variadic_waits_for_every_input) {
    ff::promise<int> a;
    ff::promise<std::string> b;
    auto all = ff::when_all(a.get_future(), b.get_future(), ff::make_ready_future<>());
    CHECK(!all.available());
    b.set_value("two");
    CHECK(!all.available());
    a.set_exception(std::runtime_error("one failed"));
    CHECK(all.available());
    auto [first, second, third] = all.get();
    CHECK_THROWS(first.get(), std::runtime_error);
    CHECK(second.get() == "two");
    third.get();
}

TEST(when_all_of_ready_inputs_is_ready) {
    auto all = ff::when_all(ff::make_ready_future<int>(1), ff::make_ready_future<int>(2));
    CHECK(all.available());
    auto [x, y] = all.get();
    CHECK(x.get() + y.get() == 3);
}

TEST(when_all_over_a_range) {
    std::vector<ff::promise<int>> promises(5);
    std::vector<ff::future<int>> inputs;
    for (auto& p : promises) {
        inputs.push_back(p.get_future());
    }
    auto all = ff::when_all(inputs.begin(), inputs.end());
    for (int i = 4; i >= 0; --i) {
        CHECK(!all.available());
        promises[static_cast<std::size_t>(i)].set_value(i * 10);
    }
    std::vector<ff::future<int>> results = all.get();
    int sum = 0;
    for (auto& each : results) {
        sum += each.get();
    }
    CHECK(results.size() == 5 && sum == 100);
    std::vector<ff::future<int>> none;
    CHECK(ff::when_all(none.begin(), none.end()).get().empty());
}

TEST(when_any_gives_the_first_to_resolve) {
    std::vector<ff::promise<int>> promises(3);
    std::vector<ff::future<int>> inputs;
    for (auto& p : promises) {
        inputs.push_back(p.get_future());
    }
    auto any = ff::when_any(inputs.begin(), inputs.end());
    promises[2].set_value(30);
    promises[0].set_value(10);
    auto winner = any.get();
    CHECK(winner.index == 2 && winner.first.get() == 30);
    std::vector<ff::future<int>> empty;
    CHECK_THROWS(ff::when_any(empty.begin(), empty.end()).get(), ff::usage_error);
}

TEST(repeat_loops_without_recursion_on_ready_iterations) {
    int count = 0;
    ff::future<> done = ff::repeat(
        [&] { return ++count == 1000000 ? ff::stop_iteration::yes : ff::stop_iteration::no; });
    CHECK(done.available() && count == 1000000);
    done.get();
}

TEST(repeat_waits_on_pending_iterations_and_stops_on_failure) {
    std::vector<ff::promise<ff::stop_iteration>> steps(3);
    std::size_t next = 0;
    ff::future<> done = ff::repeat([&] { return steps[next++].get_future(); });
    steps[0].set_value(ff::stop_iteration::no);
    CHECK(!done.available() && next == 2);
    steps[1].set_exception(std::runtime_error("iteration failed"));
    CHECK_THROWS(done.get(), std::runtime_error);
}

TEST(do_until_runs_until_the_condition_holds) {
    int runs = 0;
    ff::future<> done = ff::do_until([&] { return runs == 5; }, [&] { ++runs; });
    CHECK(done.available() && runs == 5);
    done.get();
}

TEST(parallel_for_each_respects_its_limit) {
    std::vector<ff::promise<>> gates(6);
    std::vector<std::size_t> items{0, 1, 2, 3, 4, 5};
    int running = 0;
    int most = 0;
    ff::future<> done = ff::parallel_for_each(
        items,
        [&](std::size_t i) {
            ++running;
            most = std::max(most, running);
            return gates[i].get_future().then([&] { --running; });
        },
        2);
    CHECK(running == 2);
    for (auto& gate : gates) {
        gate.set_value();
    }
    CHECK(done.available() && most == 2 && running == 0);
    done.get();
}

TEST(parallel_for_each_reports_the_first_failure_after_all_finish) {
    int finished = 0;
    std::vector<int> items{1, 2, 3};
    ff::future<> done = ff::parallel_for_each(items, [&](int i) {
        ++finished;
        if (i == 2) {
            throw std::runtime_error("item 2");
        }
    });
    CHECK(finished == 3);
    CHECK_THROWS(done.get(), std::runtime_error);
}

TEST(map_reduce_folds_results) {
    std::vector<int> items{1, 2, 3, 4};
    ff::future<int> sum = ff::map_reduce(
        items, [](int i) { return ff::make_ready_future<int>(i * i); }, 0,
        [](int acc, int v) { return acc + v; });
    CHECK(sum.get() == 30);
}
