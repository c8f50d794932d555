// SPDX-License-Identifier: MIT
// fasterapi/futures/remote_queue.hpp: the lock-free queue other threads hand a reactor work on
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

#include "unique_function.hpp"

namespace fasterapi::futures {

// Many producers, one consumer. Producers push onto a Treiber stack with one CAS; the consumer
// takes the whole stack with one exchange and handles it oldest first. push() reports whether
// the queue was empty, so a producer signals the consumer only on the empty -> non-empty edge:
// wake-ups coalesce however many producers pile on.
template <typename Item>
class basic_remote_queue {
public:
    basic_remote_queue() = default;
    basic_remote_queue(const basic_remote_queue&) = delete;
    basic_remote_queue& operator=(const basic_remote_queue&) = delete;
    ~basic_remote_queue() {
        drain([](Item&) {});
    }

    // Any thread. True when the queue was empty before (the consumer must be woken).
    bool push(Item item) {
        auto* added = new node{nullptr, std::move(item)};
        node* head = head_.load(std::memory_order_relaxed);
        do {
            added->next = head;
        } while (!head_.compare_exchange_weak(head, added, std::memory_order_release,
                                              std::memory_order_relaxed));
        return head == nullptr;
    }

    bool empty() const noexcept { return head_.load(std::memory_order_acquire) == nullptr; }

    // Consumer thread only: calls handle(item) for every queued item, oldest first; returns
    // how many.
    template <typename Handle>
    std::size_t drain(Handle&& handle) {
        node* newest = head_.exchange(nullptr, std::memory_order_acquire);
        node* oldest = nullptr;
        while (newest != nullptr) {  // reverse the stack into arrival order
            node* next = newest->next;
            newest->next = oldest;
            oldest = newest;
            newest = next;
        }
        std::size_t count = 0;
        while (oldest != nullptr) {
            node* next = oldest->next;
            handle(oldest->item);
            delete oldest;
            oldest = next;
            ++count;
        }
        return count;
    }

    // Consumer thread only: looks at every queued item without taking it. Producers may push
    // meanwhile (a published node never changes; only the consumer frees nodes).
    template <typename Visit>
    void for_each(Visit&& visit) const {
        for (node* each = head_.load(std::memory_order_acquire); each != nullptr;
             each = each->next) {
            visit(each->item);
        }
    }

private:
    struct node {
        node* next;
        Item item;
    };
    std::atomic<node*> head_{nullptr};
};

// The reactor's queue of tasks from other threads.
using remote_queue = basic_remote_queue<unique_function<void()>>;

}  // namespace fasterapi::futures
