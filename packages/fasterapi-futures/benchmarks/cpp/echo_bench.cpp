// SPDX-License-Identifier: MIT
// fasterapi-futures/benchmarks/cpp/echo_bench.cpp: the TCP echo floor and the load generator
//
//   echo_bench server PORT                          a bare epoll echo server (the floor)
//   echo_bench client PORT CONNECTIONS SIZE SECONDS ping-pong load; prints round trips/s
//
// The client keeps one SIZE-byte message in flight per connection and counts a round trip
// when all of it has come back, so every server is measured by the same C++ client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

[[noreturn]] void fail(const char* what) {
    std::perror(what);
    std::exit(1);
}

void add(int epoll_fd, int fd, unsigned events) {
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) < 0) {
        fail("epoll_ctl");
    }
}

int serve(int port) {
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const int on = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0 ||
        ::listen(listener, 128) < 0) {
        fail("bind/listen");
    }
    const int epoll_fd = ::epoll_create1(0);
    add(epoll_fd, listener, EPOLLIN);
    std::vector<char> buffer(256 * 1024);
    epoll_event events[64];
    for (;;) {
        const int count = ::epoll_wait(epoll_fd, events, 64, -1);
        for (int i = 0; i < count; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listener) {
                const int client = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
                if (client >= 0) {
                    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                    add(epoll_fd, client, EPOLLIN);
                }
                continue;
            }
            const ssize_t got = ::read(fd, buffer.data(), buffer.size());
            if (got <= 0) {
                ::close(fd);
                continue;
            }
            // Loopback with small messages: the write completes (a real server would queue).
            ssize_t sent = 0;
            while (sent < got) {
                const ssize_t n =
                    ::write(fd, buffer.data() + sent, static_cast<size_t>(got - sent));
                if (n < 0 && errno != EAGAIN) {
                    break;
                }
                sent += n > 0 ? n : 0;
            }
        }
    }
}

int drive(int port, int connections, std::size_t size, double seconds) {
    const int epoll_fd = ::epoll_create1(0);
    const std::string message(size, 'x');
    std::vector<std::size_t> pending(static_cast<std::size_t>(connections) + 1024, 0);
    std::vector<char> buffer(256 * 1024);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int on = 1;
    for (int c = 0; c < connections; ++c) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) {
            fail("connect");
        }
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        if (static_cast<std::size_t>(fd) >= pending.size()) {
            pending.resize(static_cast<std::size_t>(fd) + 1);
        }
        add(epoll_fd, fd, EPOLLIN);
        if (::write(fd, message.data(), size) != static_cast<ssize_t>(size)) {
            fail("write");
        }
        pending[static_cast<std::size_t>(fd)] = size;
    }
    long round_trips = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    epoll_event events[64];
    while (std::chrono::steady_clock::now() < end) {
        const int count = ::epoll_wait(epoll_fd, events, 64, 100);
        for (int i = 0; i < count; ++i) {
            const int fd = events[i].data.fd;
            const ssize_t got = ::read(fd, buffer.data(), buffer.size());
            if (got <= 0) {
                fail("the server closed a connection");
            }
            std::size_t& left = pending[static_cast<std::size_t>(fd)];
            left -= static_cast<std::size_t>(got);
            if (left == 0) {
                ++round_trips;
                if (::write(fd, message.data(), size) != static_cast<ssize_t>(size)) {
                    fail("write");
                }
                left = size;
            }
        }
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%.0f\n", static_cast<double>(round_trips) / elapsed);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "server") == 0) {
        return serve(std::atoi(argv[2]));
    }
    if (argc == 6 && std::strcmp(argv[1], "client") == 0) {
        return drive(std::atoi(argv[2]), std::atoi(argv[3]),
                     static_cast<std::size_t>(std::atol(argv[4])), std::atof(argv[5]));
    }
    std::fprintf(
        stderr,
        "usage: echo_bench server PORT | echo_bench client PORT CONNECTIONS SIZE SECONDS\n");
    return 2;
}
