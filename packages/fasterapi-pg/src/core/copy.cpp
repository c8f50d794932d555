// SPDX-License-Identifier: MIT
// fasterapi-pg/src/core/copy.cpp: COPY FROM STDIN and COPY TO STDOUT
//
// The connection is in libpq's non-blocking mode, so PQputCopyData may refuse data while
// the socket buffer is full. The blocking forms (the sync API) wait until writable, flush and
// offer it again, and let PQgetCopyData (async = 0) wait for data; the non-blocking steps
// (the async API) report "not now" and leave the waiting to the event loop.
#include <fasterapi/pg/connection.hpp>

#include <libpq-fe.h>
#include <poll.h>

#include <string>
#include <utility>

namespace fasterapi::pg {

namespace {

void wait_writable(int fd) {
    pollfd ready{fd, POLLOUT, 0};
    ::poll(&ready, 1, -1);
}

}  // namespace

void connection::copy_in_start(std::string_view sql) {
    const std::string text(sql);
    PGconn* conn = live(quoted(sql));
    PGresult* started = PQexec(conn, text.c_str());
    if (started != nullptr && PQresultStatus(started) == PGRES_COPY_IN) {
        PQclear(started);
        return;
    }
    check(started, quoted(sql));  // a server error throws here
    throw interface_error("copy_in: " + quoted(sql) + " is not a COPY ... FROM STDIN");
}

void connection::copy_in_put(std::string_view data) {
    PGconn* conn = live("COPY data");
    for (;;) {
        const int queued = PQputCopyData(conn, data.data(), static_cast<int>(data.size()));
        if (queued == 1) {
            return;
        }
        if (queued < 0) {
            const std::string reason = PQerrorMessage(conn);
            close();
            throw connection_error("connection lost while sending COPY data: " + reason);
        }
        wait_writable(socket());  // the buffer is full: let the socket drain
        PQflush(conn);
    }
}

std::string connection::copy_in_end(std::string_view abort_reason) {
    PGconn* conn = live("the end of COPY");
    const std::string reason(abort_reason);
    int ended;
    while ((ended = PQputCopyEnd(conn, reason.empty() ? nullptr : reason.c_str())) == 0) {
        wait_writable(socket());
    }
    while (ended > 0 && PQflush(conn) == 1) {
        wait_writable(socket());
    }
    if (ended < 0) {
        const std::string message = PQerrorMessage(conn);
        close();
        throw connection_error("connection lost while ending COPY: " + message);
    }
    PGresult* outcome = PQgetResult(conn);
    while (PGresult* extra = PQgetResult(conn)) {
        PQclear(extra);  // nothing follows a COPY's result; drain to be ready for the next
    }
    return std::string(check(outcome, "COPY").status());
}

void connection::copy_out_start(std::string_view sql) {
    const std::string text(sql);
    PGconn* conn = live(quoted(sql));
    PGresult* started = PQexec(conn, text.c_str());
    if (started != nullptr && PQresultStatus(started) == PGRES_COPY_OUT) {
        PQclear(started);
        return;
    }
    check(started, quoted(sql));
    throw interface_error("copy_out: " + quoted(sql) + " is not a COPY ... TO STDOUT");
}

bool connection::copy_out_next(std::string& chunk, std::string& status) {
    PGconn* conn = live("COPY data");
    char* buffer = nullptr;
    const int size = PQgetCopyData(conn, &buffer, 0);
    if (size > 0) {
        chunk.assign(buffer, static_cast<std::size_t>(size));
        PQfreemem(buffer);
        return true;
    }
    if (size == -2) {
        const std::string message = PQerrorMessage(conn);
        close();
        throw connection_error("connection lost while receiving COPY data: " + message);
    }
    PGresult* outcome = PQgetResult(conn);  // -1: the COPY is over; its result follows
    while (PGresult* extra = PQgetResult(conn)) {
        PQclear(extra);
    }
    status = std::string(check(outcome, "COPY").status());
    return false;
}

int connection::take_copy_start(std::string_view what) {
    pg_result* raw = std::exchange(_collected, nullptr);
    if (_lost) {
        PQclear(raw);
        check(nullptr, what);  // throws: lost
    }
    const ExecStatusType status = raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
        PQclear(raw);
        return status == PGRES_COPY_IN ? 1 : 2;
    }
    check(raw, what);  // a server error throws here
    throw interface_error(std::string(what) + " is not a COPY FROM STDIN or TO STDOUT");
}

bool connection::send_copy_data(std::string_view data) {
    PGconn* conn = live("COPY data");
    const int queued = PQputCopyData(conn, data.data(), static_cast<int>(data.size()));
    if (queued < 0) {
        const std::string reason = PQerrorMessage(conn);
        close();
        throw connection_error("connection lost while sending COPY data: " + reason);
    }
    return queued == 1;
}

bool connection::send_copy_end(std::string_view abort_reason) {
    PGconn* conn = live("the end of COPY");
    const std::string reason(abort_reason);
    const int ended = PQputCopyEnd(conn, reason.empty() ? nullptr : reason.c_str());
    if (ended < 0) {
        const std::string message = PQerrorMessage(conn);
        close();
        throw connection_error("connection lost while ending COPY: " + message);
    }
    return ended == 1;
}

int connection::receive_copy_data(std::string& chunk) {
    PGconn* conn = live("COPY data");
    char* buffer = nullptr;
    const int size = PQgetCopyData(conn, &buffer, 1);
    if (size > 0) {
        chunk.assign(buffer, static_cast<std::size_t>(size));
        PQfreemem(buffer);
        return 1;
    }
    if (size == -2) {
        const std::string message = PQerrorMessage(conn);
        close();
        throw connection_error("connection lost while receiving COPY data: " + message);
    }
    return size == 0 ? 0 : -1;
}

}  // namespace fasterapi::pg
