// SPDX-License-Identifier: MIT
// fasterapi/futures/combinators.hpp: waiting on many futures, loops, bounded parallelism
//
// None of these needs a reactor (the timed ones, sleep and with_timeout, are in reactor.hpp).
// Inputs that are ready already are handled on the spot, without a task.
#pragma once

#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <tuple>
#include <utility>
#include <vector>

#include "future.hpp"

namespace fasterapi::futures {

// when_all(f1, f2, ...): a future of the tuple of the (resolved) input futures, once all of
// them resolved; a failed input does not fail the whole (read each with get()).
template <typename... T>
future<std::tuple<future<T>...>> when_all(future<T>&&... inputs) {
    using result = std::tuple<future<T>...>;
    if ((inputs.available() && ...)) {
        return make_ready_future<result>(std::move(inputs)...);
    }
    struct waiting {
        result futures;
        promise<result> done;
        std::size_t pending = 0;
    };
    auto* state = new waiting{result(std::move(inputs)...), {}, 0};
    future<result> all = state->done.get_future();
    state->pending = 1;  // held until every input has a continuation
    auto finish_one = [state] {
        if (--state->pending == 0) {
            state->done.set_value(std::move(state->futures));
            delete state;
        }
    };
    std::apply(
        [&](auto&... slots) {
            (
                [&](auto& slot) {
                    if (!slot.available()) {
                        ++state->pending;
                        std::move(slot).when_ready([&slot, finish_one](auto resolved) {
                            slot = std::move(resolved);
                            finish_one();
                        });
                    }
                }(slots),
                ...);
        },
        state->futures);
    finish_one();
    return all;
}

// when_all(begin, end): the same over a range of future<T>, giving a vector.
template <typename Iterator>
auto when_all(Iterator begin, Iterator end)
    -> future<std::vector<typename std::iterator_traits<Iterator>::value_type>> {
    using input = typename std::iterator_traits<Iterator>::value_type;
    using result = std::vector<input>;
    struct waiting {
        result futures;
        promise<result> done;
        std::size_t pending = 1;  // held until every input has a continuation
    };
    auto state = std::make_unique<waiting>();
    for (; begin != end; ++begin) {
        state->futures.push_back(std::move(*begin));
    }
    future<result> all = state->done.get_future();
    auto* shared = state.release();
    auto finish_one = [shared] {
        if (--shared->pending == 0) {
            shared->done.set_value(std::move(shared->futures));
            delete shared;
        }
    };
    for (std::size_t i = 0; i < shared->futures.size(); ++i) {
        if (!shared->futures[i].available()) {
            ++shared->pending;
            std::move(shared->futures[i]).when_ready([shared, i, finish_one](input resolved) {
                shared->futures[i] = std::move(resolved);
                finish_one();
            });
        }
    }
    finish_one();
    return all;
}

template <typename T>
struct when_any_result {
    std::size_t index;  // position of the first input to resolve
    future<T> first;    // that input, resolved
};

// when_any(begin, end): the first input to resolve (the lowest index among ready ones); the
// others run on and their results are dropped. An empty range is a usage_error.
template <typename Iterator>
auto when_any(Iterator begin, Iterator end) {
    using input = typename std::iterator_traits<Iterator>::value_type;
    using value = typename input::element_type;
    using result = when_any_result<value>;
    std::vector<input> inputs;
    for (; begin != end; ++begin) {
        inputs.push_back(std::move(*begin));
    }
    if (inputs.empty()) {
        return make_exception_future<result>(usage_error("when_any() over an empty range"));
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i].available()) {
            for (std::size_t j = i + 1; j < inputs.size(); ++j) {
                if (inputs[j].available()) {
                    inputs[j].ignore_ready_future();
                }
            }
            return make_ready_future<result>(result{i, std::move(inputs[i])});
        }
    }
    auto winner = std::make_shared<promise<result>>();
    future<result> first = winner->get_future();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::move(inputs[i]).when_ready([winner, i](input resolved) {
            if (winner->resolved()) {
                resolved.ignore_ready_future();
            } else {
                winner->set_value(result{i, std::move(resolved)});
            }
        });
    }
    return first;
}

enum class stop_iteration : bool { no = false, yes = true };

namespace detail {

template <typename Fn>
struct repeat_loop {
    Fn action;
    promise<> done;

    // Runs iterations while they complete synchronously; parks on the first pending one.
    static void step(std::unique_ptr<repeat_loop> self) {
        for (;;) {
            future<stop_iteration> next = futurize<std::invoke_result_t<Fn&>>::apply(self->action);
            if (!next.available()) {
                std::move(next).when_ready(
                    [self = std::move(self)](future<stop_iteration> f) mutable {
                        if (self->finish_if_done(f)) {
                            return;
                        }
                        step(std::move(self));
                    });
                return;
            }
            if (self->finish_if_done(next)) {
                return;
            }
        }
    }

    bool finish_if_done(future<stop_iteration>& f) {
        if (f.failed()) {
            done.set_exception(f.get_exception());
            return true;
        }
        if (f.get() == stop_iteration::yes) {
            done.set_value();
            return true;
        }
        return false;
    }
};

}  // namespace detail

// repeat(fn): calls fn() (returning stop_iteration or future<stop_iteration>) until it says
// yes or fails. Iterations that complete at once loop without recursion.
template <typename Fn>
future<> repeat(Fn&& action) {
    using loop = detail::repeat_loop<std::decay_t<Fn>>;
    auto state = std::unique_ptr<loop>(new loop{std::forward<Fn>(action), {}});
    future<> done = state->done.get_future();
    loop::step(std::move(state));
    return done;
}

// do_until(stop, fn): calls fn() (returning void or future<>) until stop() returns true.
template <typename Stop, typename Fn>
future<> do_until(Stop&& stop, Fn&& action) {
    return repeat([stop = std::forward<Stop>(stop), action = std::forward<Fn>(action)]() mutable {
        if (stop()) {
            return make_ready_future<stop_iteration>(stop_iteration::yes);
        }
        return futurize<std::invoke_result_t<Fn&>>::apply(action).then(
            [] { return stop_iteration::no; });
    });
}

namespace detail {

template <typename Item, typename Fn>
struct bounded_for_each {
    std::vector<Item> items;
    Fn action;
    std::size_t limit;
    std::size_t next = 0;
    std::size_t running = 0;
    std::exception_ptr first_error;
    promise<> done;

    // Starts items while fewer than `limit` run; resolves `done` when all have finished.
    static void pump(const std::shared_ptr<bounded_for_each>& self) {
        while (self->next < self->items.size() && self->running < self->limit) {
            Item& item = self->items[self->next++];
            ++self->running;
            futurize<std::invoke_result_t<Fn&, Item&>>::apply(self->action, item)
                .when_ready([self](future<> f) {
                    --self->running;
                    if (f.failed()) {
                        std::exception_ptr error = f.get_exception();
                        if (!self->first_error) {
                            self->first_error = std::move(error);
                        }
                    }
                    pump(self);
                });
        }
        // A synchronous item re-enters pump(); only the innermost call sees the end.
        if (self->running == 0 && self->next == self->items.size() && !self->done.resolved()) {
            if (self->first_error) {
                self->done.set_exception(self->first_error);
            } else {
                self->done.set_value();
            }
        }
    }
};

}  // namespace detail

// parallel_for_each(items, fn, limit): fn(item) (void or future<>) for every item, at most
// `limit` at a time (0: no limit). Waits for all; fails with the first failure.
template <typename Range, typename Fn>
future<> parallel_for_each(Range&& items, Fn&& action, std::size_t limit = 0) {
    using item = std::decay_t<decltype(*std::begin(items))>;
    using loop = detail::bounded_for_each<item, std::decay_t<Fn>>;
    std::vector<item> copied;
    for (auto&& value : items) {
        copied.push_back(std::forward<decltype(value)>(value));
    }
    const std::size_t bound = limit == 0 ? copied.size() + 1 : limit;
    auto state = std::shared_ptr<loop>(
        new loop{std::move(copied), std::forward<Fn>(action), bound, 0, 0, nullptr, promise<>()});
    future<> done = state->done.get_future();
    loop::pump(state);
    return done;
}

// map_reduce(items, mapper, initial, reducer): mapper(item) for every item concurrently (at
// most `limit` at a time), folding each result into the accumulator as it arrives with
// reducer(accumulator, value) -> accumulator.
template <typename Range, typename Mapper, typename Accumulator, typename Reducer>
future<Accumulator> map_reduce(Range&& items, Mapper&& mapper, Accumulator initial,
                               Reducer&& reducer, std::size_t limit = 0) {
    auto accumulator = std::make_shared<Accumulator>(std::move(initial));
    return parallel_for_each(
               std::forward<Range>(items),
               [accumulator, mapper = std::forward<Mapper>(mapper),
                reducer = std::forward<Reducer>(reducer)](auto& item) mutable {
                   using mapped = std::invoke_result_t<Mapper&, decltype(item)>;
                   return futurize<mapped>::apply(mapper, item)
                       .then([accumulator, &reducer](auto value) {
                           *accumulator = reducer(std::move(*accumulator), std::move(value));
                       });
               },
               limit)
        .then([accumulator] { return std::move(*accumulator); });
}

}  // namespace fasterapi::futures
