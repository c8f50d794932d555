// SPDX-License-Identifier: MIT
// fasterapi-futures/benchmarks/cpp/bench_futures.cpp: the C++ core's costs, ns per operation
//
//   bench_futures    (built by ci/bench.sh; prints one line per scenario)
//
// Each scenario repeats an operation many times and reports the best of five passes.
#include <fasterapi/futures/combinators.hpp>
#include <fasterapi/futures/future.hpp>
#include <fasterapi/futures/reactor.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace ff = fasterapi::futures;
using clock_type = std::chrono::steady_clock;

namespace {

template <typename Body>
double best_ns_per_op(long operations, Body&& body) {
    double best = 1e30;
    for (int pass = 0; pass < 5; ++pass) {
        const auto start = clock_type::now();
        body();
        const double ns =
            std::chrono::duration<double, std::nano>(clock_type::now() - start).count();
        best = std::min(best, ns / static_cast<double>(operations));
    }
    return best;
}

volatile long sink = 0;  // keeps results observable

}  // namespace

int main() {
    constexpr long n = 2'000'000;

    std::printf("%-58s %8.1f ns\n", "make_ready_future + then + get", best_ns_per_op(n, [] {
                    for (long i = 0; i < n; ++i) {
                        sink =
                            sink +
                            ff::make_ready_future<long>(i).then([](long v) { return v + 1; }).get();
                    }
                }));

    std::printf("%-58s %8.1f ns\n", "promise + pending then + set_value + get (pooled task)",
                best_ns_per_op(n, [] {
                    for (long i = 0; i < n; ++i) {
                        ff::promise<long> p;
                        ff::future<long> f = p.get_future().then([](long v) { return v + 1; });
                        p.set_value(i);
                        sink = sink + f.get();
                    }
                }));

    std::printf("%-58s %8.1f ns\n", "when_all of 10 pending futures, resolved one by one",
                best_ns_per_op(n / 10, [] {
                    for (long i = 0; i < n / 10; ++i) {
                        std::vector<ff::promise<int>> promises(10);
                        std::vector<ff::future<int>> futures;
                        futures.reserve(10);
                        for (auto& p : promises) futures.push_back(p.get_future());
                        auto all = ff::when_all(futures.begin(), futures.end());
                        for (auto& p : promises) p.set_value(1);
                        sink = sink + static_cast<long>(all.get().size());
                    }
                }));

    {
        ff::reactor r;
        std::printf("%-58s %8.1f ns\n", "reactor: schedule + run a task (same thread)",
                    best_ns_per_op(n, [&] {
                        long ran = 0;
                        for (long i = 0; i < n; ++i) r.schedule([&ran] { ++ran; });
                        r.run_once(false);
                        sink = sink + ran;
                    }));
        std::printf("%-58s %8.1f ns\n", "reactor: timer call_at + cancel", best_ns_per_op(n, [&] {
                        const auto later = ff::steady_clock::now() + std::chrono::seconds(10);
                        for (long i = 0; i < n; ++i) r.cancel_timer(r.call_at(later, [] {}));
                    }));
        std::printf("%-58s %8.1f ns\n", "reactor: submit from another thread + run (per task)",
                    best_ns_per_op(n, [&] {
                        std::atomic<long> ran{0};
                        std::thread producer([&] {
                            for (long i = 0; i < n; ++i) r.submit([&ran] { ran.fetch_add(1); });
                        });
                        while (ran.load() < n) r.run_once(true);
                        producer.join();
                    }));
    }
    return static_cast<int>(sink & 0);
}
