// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/completion_queue.cpp: the per-loop queue of completions
#include "completion_queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "promise.hpp"
#include "py_future.hpp"

namespace fasterapi::futures::bindings {

namespace {

// Completes the future of one queued completion, on the loop thread with the GIL held.
void deliver(completion& done) {
    PyObject* future = done.target.get();
    if (done.make_value) {
        future = promise_future(future);
        if (future == nullptr) {
            return;  // the promise was cleared by the garbage collector: nobody waits
        }
        PyObject* value = done.make_value();
        if (value == nullptr) {
            PyObject *type, *error, *traceback;
            PyErr_Fetch(&type, &error, &traceback);
            PyErr_NormalizeException(&type, &error, &traceback);
            const int status = future_set_exception(future, error, true);
            Py_XDECREF(type);
            Py_XDECREF(error);
            Py_XDECREF(traceback);
            if (status < 0) {
                PyErr_WriteUnraisable(future);
            }
            return;
        }
        const int status = future_set_result(future, value, true);
        Py_DECREF(value);
        if (status < 0) {
            PyErr_WriteUnraisable(future);
        }
        return;
    }
    const int status = done.is_error ? future_set_exception(future, done.value.get(), true)
                                     : future_set_result(future, done.value.get(), true);
    if (status < 0) {
        PyErr_WriteUnraisable(future);
    }
}

}  // namespace

completion_queue::completion_queue() {
    event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (event_fd_ < 0) {
        throw std::system_error(errno, std::generic_category(), "eventfd");
    }
}

completion_queue::~completion_queue() {
    clear();
    ::close(event_fd_);
}

void completion_queue::signal() noexcept {
    const std::uint64_t one = 1;
    // EAGAIN: the counter is already non-zero, the loop will wake anyway.
    [[maybe_unused]] const ssize_t written = ::write(event_fd_, &one, sizeof one);
}

void completion_queue::push(completion done) {
    if (queue_.push(std::move(done)) && armed_.exchange(false)) {
        signal();
    }
}

std::size_t completion_queue::drain() {
    std::uint64_t counter = 0;
    [[maybe_unused]] const ssize_t got = ::read(event_fd_, &counter, sizeof counter);
    std::size_t delivered = 0;
    // Completions that arrive while we deliver are taken in the same wake-up (producers see
    // the queue disarmed and do not write); a few passes at most, so a producer that never
    // pauses cannot starve the loop's other work.
    for (int pass = 0; pass < 8; ++pass) {
        delivered += queue_.drain(deliver);
        armed_.store(true);
        // Re-armed, then looked again: a push between our drain and the store found the
        // queue disarmed and did not signal, so it is ours to take. If a producer disarmed it
        // first, its signal is on the way.
        if (queue_.empty() || !armed_.exchange(false)) {
            return delivered;
        }
    }
    signal();  // still busy: come back after the loop's other work (disarmed until then)
    return delivered;
}

int completion_queue::traverse(visitproc visit, void* arg) const {
    int status = 0;
    queue_.for_each([&](const completion& queued) {
        if (status == 0 && queued.target.get() != nullptr) {
            status = visit(queued.target.get(), arg);
        }
        if (status == 0 && queued.value.get() != nullptr) {
            status = visit(queued.value.get(), arg);
        }
    });
    return status;
}

void completion_queue::clear() {
    queue_.drain([](completion&) {});  // releases the references, delivers nothing
}

}  // namespace fasterapi::futures::bindings
