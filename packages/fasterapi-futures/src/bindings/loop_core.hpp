// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/loop_core.hpp: the native core of fasterapi_futures.EventLoop
#pragma once

#include <fasterapi/futures/reactor.hpp>

#include <nanobind/nanobind.h>

#include <unordered_map>
#include <utility>

namespace fasterapi::futures::bindings {

namespace nb = nanobind;

// What EventLoop (loop.py) delegates to: the ready queue, timers, fd watchers and the
// cross-thread queue, all on one reactor. Runs with the GIL held, except in the blocking
// epoll_wait, which releases it (the wait_observer hooks).
class loop_core final : private wait_observer {
public:
    // `loop`: the Python EventLoop that owns this core (borrowed: it outlives the core).
    explicit loop_core(nb::handle loop);
    ~loop_core();
    loop_core(const loop_core&) = delete;
    loop_core& operator=(const loop_core&) = delete;

    nb::object call_soon(nb::handle callback, nb::args args, nb::handle context);
    nb::object call_soon_threadsafe(nb::handle callback, nb::args args, nb::handle context);
    nb::object call_at(double when, nb::handle callback, nb::args args, nb::handle context);
    nb::object call_later(double delay, nb::handle callback, nb::args args, nb::handle context);
    double time() const noexcept;

    nb::object add_reader(int fd, nb::handle callback, nb::args args);
    nb::object add_writer(int fd, nb::handle callback, nb::args args);
    bool remove_reader(int fd);
    bool remove_writer(int fd);
    // (reader handle or None, writer handle or None); (None, None) when not watched.
    nb::tuple watchers(int fd) const;

    void run_once(bool may_block);
    // Drops every queued callback, timer and watcher; later calls raise "Event loop is closed".
    void close();
    bool closed() const noexcept { return closed_; }

    reactor& events() noexcept { return reactor_; }

private:
    void before_wait() noexcept override;
    void after_wait() noexcept override;
    void check_open() const;
    nb::object make_handle(nb::handle callback, nb::args args, nb::handle context,
                           const char* caller);
    void replace_watcher(nb::object& slot, nb::object handle);

    reactor reactor_{thread_binding::unbound};
    PyObject* loop_;
    bool closed_ = false;
    PyThreadState* waiting_thread_ = nullptr;
    std::unordered_map<int, std::pair<nb::object, nb::object>> watchers_;  // reader, writer
};

void bind_loop_core(nb::module_& m);

}  // namespace fasterapi::futures::bindings
