// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/loop_core.hpp: the native core of fasterapi_futures.EventLoop
#pragma once

#include <fasterapi/futures/reactor.hpp>

#include <nanobind/nanobind.h>

#include <deque>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace fasterapi::futures::bindings {

namespace nb = nanobind;

// What EventLoop (loop.py) delegates to: the ready queue, timers, fd watchers and the
// cross-thread queue, on one reactor. Runs with the GIL held, except in the blocking
// epoll_wait, which releases it (the wait_observer hooks). Every handle it holds is in a
// container the garbage collector can see (tp_traverse), so an unclosed loop is collected.
class loop_core final : private wait_observer {
public:
    // `loop`: the Python EventLoop that owns this core (borrowed: it outlives the core).
    explicit loop_core(nb::handle loop);
    ~loop_core();
    loop_core(const loop_core&) = delete;
    loop_core& operator=(const loop_core&) = delete;

    // call_soon, call_soon_threadsafe, call_at, call_later and time as builtin functions
    // bound to this core (`self`): the loop installs them as its own methods, so scheduling
    // is one C call with no argument tuple or dict on the way.
    static nb::dict fast_methods(nb::handle self);
    // From Handle.cancel() of a TimerHandle.
    static void cancel_timer(PyObject* core, PyObject* handle);

    nb::object add_reader(int fd, nb::handle callback, nb::args args);
    nb::object add_writer(int fd, nb::handle callback, nb::args args);
    bool remove_reader(int fd);
    bool remove_writer(int fd);
    // (reader handle or None, writer handle or None); (None, None) when not watched.
    nb::tuple watchers(int fd) const;

    // The core of LOOP when futures may queue callbacks on it directly (EventLoop enables it
    // outside debug mode, where its call_soon is this core's native one), else nullptr.
    // Spares a future's completion the method lookup and argument parsing of loop.call_soon.
    static loop_core* direct_scheduler(PyObject* loop) noexcept;
    // From EventLoop: whether direct_scheduler may return this core (see there).
    void set_direct_scheduling(bool enabled);
    // loop.call_soon(callback, argument, context=context), the handle dropped; -1 with a
    // Python error set on failure (a closed loop).
    int schedule_soon(PyObject* callback, PyObject* argument, PyObject* context);

    // The reactor itself, for native watchers (socket transports) that call no Python handle.
    reactor& io() noexcept { return reactor_; }

    void run_once(bool may_block);
    // Turns the loop (run_once, blocking while idle) until request_stop(): asyncio's
    // run_forever loop without a Python call per turn. Pending signals are handled every turn,
    // as the Python loop would (Ctrl+C raises KeyboardInterrupt out of it).
    void run_until_stopped();
    // From EventLoop.stop(): run_until_stopped returns after the current turn, or after one
    // turn when it is not running yet (asyncio's rule for stop() before run_forever()).
    void request_stop() noexcept { stop_requested_ = true; }
    // Drops every queued callback, timer and watcher; later calls raise "Event loop is closed".
    void close();
    bool closed() const noexcept { return closed_; }

    static int traverse(PyObject* self, visitproc visit, void* arg);
    static int clear(PyObject* self);

private:
    static PyObject* call_soon(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                               PyObject* kwnames);
    static PyObject* call_soon_threadsafe(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                          PyObject* kwnames);
    static PyObject* call_at(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                             PyObject* kwnames);
    static PyObject* call_later(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                PyObject* kwnames);
    static PyObject* time(PyObject* self, PyObject* unused);
    static PyMethodDef fast_method_defs[];

    // ready_ holds its handles untracked by the cyclic garbage collector. Tracked, a burst
    // of call_soon fills the youngest generation with handles that survive its collections
    // only because they are queued, get promoted, and bring the full collections sooner: a
    // quarter of call_soon's cost in a burst of 1,000, where uvloop pays it too. Cycles
    // through queued handles are still collected: while the queue is a handle's only owner,
    // traverse() reports the handle's references as the core's own, which is what the
    // collector would have found through the handle; a handle that outlives its turn in the
    // queue (held by the caller, or by an exception report made while it ran) is tracked
    // again. One case is lost: a loop dropped unclosed, with a queued handle that is also
    // held inside the same garbage cycle, stays uncollected.
    void enqueue_ready(PyObject* handle) noexcept;     // steals the reference
    PyObject* dequeue_ready() noexcept;                // the queue's reference, still untracked
    void release_dequeued(PyObject* handle) noexcept;  // drops it, tracking a survivor first

    void before_wait() noexcept override;
    void after_wait() noexcept override;
    PyObject* schedule_at(PyObject* self, double when, PyObject* const* args, Py_ssize_t nargs,
                          PyObject* context, const char* caller);
    nb::object make_watcher(nb::handle callback, nb::args args, const char* caller);
    auto watcher_runner(PyObject* handle);

    reactor reactor_{thread_binding::unbound};
    PyObject* loop_;
    bool closed_ = false;
    bool stop_requested_ = false;
    PyThreadState* waiting_thread_ = nullptr;
    std::deque<PyObject*> ready_;           // owned handles, run in order
    std::unordered_set<PyObject*> timers_;  // owned TimerHandles not yet fired or cancelled
    std::unordered_map<int, std::pair<nb::object, nb::object>> watchers_;  // reader, writer
};

void bind_loop_core(nb::module_& m);

}  // namespace fasterapi::futures::bindings
