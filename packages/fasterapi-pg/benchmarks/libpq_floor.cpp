// SPDX-License-Identifier: MIT
// fasterapi-pg/benchmarks/libpq_floor.cpp: what plain libpq does, the floor for the drivers
//
//   libpq_floor DSN ROUND_TRIPS PASSES
//
// Prints two lines, medians over PASSES: microseconds per sequential prepared `SELECT $1::int`
// (binary parameter and result), and milliseconds to fetch `SELECT * FROM bench_mixed` in
// binary, touching every value. compare_async.py builds and runs it in the same run as the
// Python drivers.
#include <arpa/inet.h>
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

PGresult* checked(PGconn* conn, PGresult* result) {
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::fprintf(stderr, "libpq_floor: %s", PQerrorMessage(conn));
        std::exit(1);
    }
    return result;
}

double median(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: libpq_floor DSN ROUND_TRIPS PASSES\n");
        return 2;
    }
    const int round_trips = std::atoi(argv[2]);
    const int passes = std::atoi(argv[3]);
    PGconn* conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) {
        std::fprintf(stderr, "libpq_floor: %s", PQerrorMessage(conn));
        return 1;
    }
    PQclear(checked(conn, PQprepare(conn, "one", "SELECT $1::int", 0, nullptr)));
    PQclear(checked(conn, PQprepare(conn, "all", "SELECT * FROM bench_mixed", 0, nullptr)));

    std::vector<double> trips;
    for (int pass = 0; pass <= passes; ++pass) {  // pass 0 warms up
        const auto start = std::chrono::steady_clock::now();
        std::int64_t sum = 0;
        for (int i = 0; i < round_trips; ++i) {
            const std::uint32_t value = htonl(static_cast<std::uint32_t>(i));
            const char* values[] = {reinterpret_cast<const char*>(&value)};
            const int lengths[] = {4};
            const int formats[] = {1};
            PGresult* result =
                checked(conn, PQexecPrepared(conn, "one", 1, values, lengths, formats, 1));
            std::uint32_t got = 0;
            std::memcpy(&got, PQgetvalue(result, 0, 0), 4);
            sum += ntohl(got);
            PQclear(result);
        }
        if (pass > 0) trips.push_back(seconds_since(start) * 1e6 / round_trips);
        if (sum < 0) return 1;  // keeps the loop's work observable
    }

    std::vector<double> fetches;
    for (int pass = 0; pass <= passes; ++pass) {
        const auto start = std::chrono::steady_clock::now();
        PGresult* result =
            checked(conn, PQexecPrepared(conn, "all", 0, nullptr, nullptr, nullptr, 1));
        std::size_t bytes = 0;
        for (int row = 0; row < PQntuples(result); ++row) {
            for (int col = 0; col < PQnfields(result); ++col) {
                bytes += static_cast<std::size_t>(PQgetlength(result, row, col));
                bytes += PQgetvalue(result, row, col)[0] == 0 ? 1 : 0;
            }
        }
        PQclear(result);
        if (pass > 0) fetches.push_back(seconds_since(start) * 1e3);
        if (bytes == 0) return 1;
    }
    std::printf("round_trip_us %.2f\nfetch_ms %.2f\n", median(trips), median(fetches));
    PQfinish(conn);
    return 0;
}
