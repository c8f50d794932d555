// SPDX-License-Identifier: MIT
// fasterapi-futures/src/core/reactor.cpp: the per-thread event loop on epoll
#include <fasterapi/futures/reactor.hpp>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#ifdef FASTERAPI_DEBUG
#include <cstdlib>
#include <random>
#endif

namespace fasterapi::futures {

namespace {

thread_local reactor* this_thread_reactor = nullptr;

// epoll data for the wake-up eventfd; real fds are stored as themselves (never negative).
constexpr std::uint64_t wake_token = ~std::uint64_t{0};

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

#ifdef FASTERAPI_DEBUG
// Debug builds run each batch of the run queue in a random order, so code that depends on
// an unspecified ordering fails in tests. FASTERAPI_SHUFFLE_SEED makes a failure repeatable.
std::mt19937& shuffle_engine() {
    thread_local std::mt19937 engine([] {
        const char* seed = std::getenv("FASTERAPI_SHUFFLE_SEED");
        return seed != nullptr ? static_cast<unsigned>(std::strtoul(seed, nullptr, 10))
                               : std::random_device{}();
    }());
    return engine;
}
#endif

}  // namespace

reactor::reactor(thread_binding binding) : bound_(binding == thread_binding::bind) {
    if (bound_ && this_thread_reactor != nullptr) {
        throw usage_error("this thread already has a reactor (one reactor per thread)");
    }
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) {
        throw_errno("epoll_create1");
    }
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
        ::close(epoll_fd_);
        throw_errno("eventfd");
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = wake_token;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event) < 0) {
        ::close(wake_fd_);
        ::close(epoll_fd_);
        throw_errno("epoll_ctl(eventfd)");
    }
    if (bound_) {
        this_thread_reactor = this;
    }
}

reactor::~reactor() {
    discard_pending();
    ::close(wake_fd_);
    ::close(epoll_fd_);
    if (bound_) {
        this_thread_reactor = nullptr;
    }
}

void reactor::discard_pending() {
    // Dropping the queued work breaks the promises it holds; waiters see broken_promise.
    run_queue_.clear();
    timers_.clear();
    for (const auto& [fd, waiters] : fds_) {
        if (waiters.registered) {
            ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
        }
    }
    fds_.clear();
    remote_.drain([](unique_function<void()>&) {});
}

reactor& reactor::local() {
    if (this_thread_reactor == nullptr) {
        throw usage_error("no reactor on this thread: create a fasterapi::futures::reactor first");
    }
    return *this_thread_reactor;
}

reactor* reactor::current() noexcept {
    return this_thread_reactor;
}

void reactor::schedule(unique_function<void()> task) {
    run_queue_.push_back(std::move(task));
}

void reactor::submit(unique_function<void()> task) {
    if (remote_.push(std::move(task))) {
        wake();
    }
}

void reactor::wake() noexcept {
    const std::uint64_t one = 1;
    // EAGAIN means the counter is already non-zero: the reactor will wake anyway.
    [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

timer_handle reactor::call_at(steady_clock::time_point when, unique_function<void()> task) {
    const timer_handle handle{when, ++timer_sequence_};
    timers_.emplace(std::make_pair(when, handle.sequence), std::move(task));
    return handle;
}

bool reactor::cancel_timer(const timer_handle& timer) noexcept {
    return timers_.erase(std::make_pair(timer.when, timer.sequence)) > 0;
}

future<> reactor::readable(int fd) {
    fd_waiters& waiters = fds_[fd];
    if (waiters.reading) {
        throw usage_error("readable(" + std::to_string(fd) + "): the fd already has a reader");
    }
    waiters.read = promise<>();
    waiters.reading = true;
    future<> ready = waiters.read.get_future();
    update_interest(fd, waiters);
    return ready;
}

future<> reactor::writable(int fd) {
    fd_waiters& waiters = fds_[fd];
    if (waiters.writing) {
        throw usage_error("writable(" + std::to_string(fd) + "): the fd already has a writer");
    }
    waiters.write = promise<>();
    waiters.writing = true;
    future<> ready = waiters.write.get_future();
    update_interest(fd, waiters);
    return ready;
}

void reactor::forget_fd(int fd) {
    auto found = fds_.find(fd);
    if (found == fds_.end()) {
        return;
    }
    if (found->second.registered) {
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    }
    fds_.erase(found);  // destroys the promises: their waiters get broken_promise
}

void reactor::watch_readable(int fd, unique_function<void()> callback) {
    fd_waiters& waiters = fds_[fd];
    waiters.on_readable = std::make_shared<unique_function<void()>>(std::move(callback));
    update_interest(fd, waiters);
}

void reactor::watch_writable(int fd, unique_function<void()> callback) {
    fd_waiters& waiters = fds_[fd];
    waiters.on_writable = std::make_shared<unique_function<void()>>(std::move(callback));
    update_interest(fd, waiters);
}

bool reactor::unwatch_readable(int fd) {
    auto found = fds_.find(fd);
    if (found == fds_.end() || !found->second.on_readable) {
        return false;
    }
    found->second.on_readable.reset();
    update_interest(fd, found->second);
    forget_if_idle(fd);
    return true;
}

bool reactor::unwatch_writable(int fd) {
    auto found = fds_.find(fd);
    if (found == fds_.end() || !found->second.on_writable) {
        return false;
    }
    found->second.on_writable.reset();
    update_interest(fd, found->second);
    forget_if_idle(fd);
    return true;
}

void reactor::forget_if_idle(int fd) {
    auto found = fds_.find(fd);
    if (found != fds_.end() && !found->second.registered) {
        fds_.erase(found);
    }
}

void reactor::update_interest(int fd, fd_waiters& waiters) {
    epoll_event event{};
    const bool wants_read = waiters.reading || waiters.on_readable;
    const bool wants_write = waiters.writing || waiters.on_writable;
    event.events = (wants_read ? EPOLLIN : 0u) | (wants_write ? EPOLLOUT : 0u);
    event.data.u64 = static_cast<std::uint64_t>(fd);
    if (event.events == 0) {
        if (waiters.registered) {
            ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
            waiters.registered = false;
        }
        return;
    }
    const int operation = waiters.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (::epoll_ctl(epoll_fd_, operation, fd, &event) < 0) {
        // The kernel drops a closed fd from the epoll set by itself, and the number may have
        // been reused since: register it afresh (or update it) instead of failing.
        const int retry = errno == ENOENT ? EPOLL_CTL_ADD : errno == EEXIST ? EPOLL_CTL_MOD : -1;
        if (retry < 0 || ::epoll_ctl(epoll_fd_, retry, fd, &event) < 0) {
            throw_errno("epoll_ctl");
        }
    }
    waiters.registered = true;
}

std::size_t reactor::pending_work() const noexcept {
    return run_queue_.size() + timers_.size() + fds_.size() + (remote_.empty() ? 0 : 1);
}

void reactor::stop() noexcept {
    stopping_.store(true, std::memory_order_release);
    wake();
}

void reactor::run() {
    // A stop() that arrives before run() starts still counts: run() then returns at once.
    while (!stopping_.load(std::memory_order_acquire)) {
        run_queued_tasks();
        fire_expired_timers();
        remote_.drain([](unique_function<void()>& task) { task(); });
        if (stopping_.load(std::memory_order_acquire)) {
            break;
        }
        const bool idle = run_queue_.empty() && remote_.empty();
        poll_io_when_due(!idle, idle);
    }
    stopping_.store(false, std::memory_order_relaxed);  // the reactor can run() again
}

void reactor::run_once(bool may_block, bool caller_has_work) {
    const bool idle = run_queue_.empty() && remote_.empty() && !caller_has_work;
    poll_io_when_due(!idle, may_block && idle);
    fire_expired_timers();
    remote_.drain([this](unique_function<void()>& task) { run_queue_.push_back(std::move(task)); });
    run_queued_tasks();
}

void reactor::poll_io_when_due(bool work_queued, bool block) {
    const auto now = steady_clock::now();
    if (work_queued && now - last_poll_ < busy_poll_interval) {
        return;
    }
    last_poll_ = now;
    poll_io(block ? next_timeout_ms() : 0);
}

void reactor::run_queued_tasks() {
    // Only the tasks queued before this turn: a task that schedules another does not starve
    // timers and I/O. Taken from the front one by one, so a task that throws leaves the rest
    // queued, in order, ahead of newer ones.
    std::size_t due = run_queue_.size();
#ifdef FASTERAPI_DEBUG
    std::shuffle(run_queue_.begin(), run_queue_.begin() + static_cast<std::ptrdiff_t>(due),
                 shuffle_engine());
#endif
    for (; due > 0; --due) {
        unique_function<void()> task = std::move(run_queue_.front());
        run_queue_.pop_front();
        task();
    }
}

void reactor::fire_expired_timers() {
    if (timers_.empty()) {
        return;  // spares the clock read (a turn's other one is the poll's)
    }
    const auto now = steady_clock::now();
    while (!timers_.empty() && timers_.begin()->first.first <= now) {
        auto node = timers_.extract(timers_.begin());
        node.mapped()();
    }
}

int reactor::next_timeout_ms() const noexcept {
    if (timers_.empty()) {
        return -1;
    }
    const auto wait = timers_.begin()->first.first - steady_clock::now();
    if (wait <= steady_clock::duration::zero()) {
        return 0;
    }
    // Round up: waking a little late fires the timer; waking early spins once more.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
    return static_cast<int>(std::min<long long>(ms, INT_MAX));
}

void reactor::poll_io(int timeout_ms) {
    epoll_event events[128];
    if (observer_ != nullptr && timeout_ms != 0) {
        observer_->before_wait();
    }
    const int count = ::epoll_wait(epoll_fd_, events, 128, timeout_ms);
    const int wait_errno = errno;
    if (observer_ != nullptr && timeout_ms != 0) {
        observer_->after_wait();
    }
    errno = wait_errno;
    if (count < 0) {
        if (errno == EINTR) {
            return;
        }
        throw_errno("epoll_wait");
    }
    for (int i = 0; i < count; ++i) {
        if (events[i].data.u64 == wake_token) {
            std::uint64_t counter = 0;
            [[maybe_unused]] const ssize_t got = ::read(wake_fd_, &counter, sizeof counter);
            continue;
        }
        const int fd = static_cast<int>(events[i].data.u64);
        auto found = fds_.find(fd);
        if (found == fds_.end()) {
            continue;
        }
        fd_waiters& waiters = found->second;
        const std::uint32_t happened = events[i].events;
        const bool broken = (happened & (EPOLLERR | EPOLLHUP)) != 0;
        // Move the promises out before resolving: a continuation may wait on this fd again.
        promise<> read_ready;
        promise<> write_ready;
        bool one_shot_fired = false;
        if (waiters.reading && (broken || (happened & EPOLLIN) != 0)) {
            read_ready = std::move(waiters.read);
            waiters.reading = false;
            one_shot_fired = true;
        }
        if (waiters.writing && (broken || (happened & EPOLLOUT) != 0)) {
            write_ready = std::move(waiters.write);
            waiters.writing = false;
            one_shot_fired = true;
        }
        std::shared_ptr<unique_function<void()>> on_readable;
        std::shared_ptr<unique_function<void()>> on_writable;
        if (waiters.on_readable && (broken || (happened & EPOLLIN) != 0)) {
            on_readable = waiters.on_readable;
        }
        if (waiters.on_writable && (broken || (happened & EPOLLOUT) != 0)) {
            on_writable = waiters.on_writable;
        }
        if (one_shot_fired) {
            update_interest(fd, waiters);  // persistent watchers alone keep their interest
        }
        read_ready.set_value();
        write_ready.set_value();
        if (on_readable) {
            (*on_readable)();
        }
        // The reader may have removed the writer (closing the fd): only call a current one.
        if (on_writable) {
            auto still = fds_.find(fd);
            if (still != fds_.end() && still->second.on_writable == on_writable) {
                (*on_writable)();
            }
        }
    }
}

future<> sleep(steady_clock::duration delay) {
    promise<> done;
    future<> slept = done.get_future();
    reactor::local().call_at(steady_clock::now() + delay,
                             [done = std::move(done)]() mutable { done.set_value(); });
    return slept;
}

}  // namespace fasterapi::futures
