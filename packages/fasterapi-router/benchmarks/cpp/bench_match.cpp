// SPDX-License-Identifier: MIT
// fasterapi-router/benchmarks/cpp/bench_match.cpp: ns per lookup, C++ only, against a hash map
//
// Usage: router_bench ROUTES.tsv [ROUTES.tsv ...]
// For each route table (the repository's shared/data/routes format) it builds the router,
// makes unique concrete paths (fresh parameter values, so no cache can help) for one route
// after the other, round after round, and keeps the first MAX_LOOKUPS; it checks every
// lookup lands on its route, then times the lookups in two orders. The floor is a
// std::unordered_map<std::string_view, int> lookup of the same path strings.
//
// Every pass times every table, order and contender once, so all figures of one run come
// from the same minutes: the machines this runs on drift in speed, and a table measured a
// minute after another could not be compared with it. Prints medians and MADs over REPEATS
// passes, and each table's time against the first table's (a per-pass ratio: with
// synthetic_100 first and synthetic_1000 second, what ten times the routes costs).
#include <fasterapi/router/router.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace fr = fasterapi::router;

namespace {

constexpr int variants = 64;  // rounds at most (a large table reaches max_lookups first)
// Every table is timed on this many lookups, so a larger table is compared on the same amount
// of path data and only the route count differs.
constexpr std::size_t max_lookups = 6400;
constexpr int repeats = 21;

struct lookup {
    std::string method;
    std::string path;
    fr::route_id expected;
};

// A fresh value for one parameter; the counter keeps every generated path unique.
std::string fill(fr::param_kind kind, unsigned counter) {
    const std::string n = std::to_string(counter);
    switch (kind) {
        case fr::param_kind::integer:
            return n;
        case fr::param_kind::decimal:
            return n + ".5";
        case fr::param_kind::uuid: {
            std::string hex(32, '0');
            std::snprintf(hex.data(), hex.size() + 1, "%032x", counter);
            return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
                   hex.substr(16, 4) + "-" + hex.substr(20);
        }
        case fr::param_kind::string:
            return "v" + n;
        case fr::param_kind::path:
            return "dir" + n + "/file" + n + ".txt";
    }
    return n;
}

struct stats {
    double median;
    double mad;
};

stats summarize(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    const double median = samples[samples.size() / 2];
    for (auto& s : samples) s = std::abs(s - median);
    std::sort(samples.begin(), samples.end());
    return {median, samples[samples.size() / 2]};
}

// Runs BODY once to warm the caches with its data (the pass before it ran another table),
// then times a second run.
template <class Body>
double time_per_item(std::size_t items, Body body) {
    body();
    const auto start = std::chrono::steady_clock::now();
    body();
    const auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::nano>(stop - start).count() /
           static_cast<double>(items);
}

// One ordering of a table's lookups, its hash map, and the samples of both.
struct ordering {
    const char* name;
    std::vector<lookup> lookups;
    std::unordered_map<std::string_view, int> hash_map;
    std::vector<double> router_ns, hash_ns;

    ordering(const char* order_name, std::vector<lookup> in_order)
        : name(order_name), lookups(std::move(in_order)) {
        for (std::size_t i = 0; i < lookups.size(); ++i)
            hash_map.emplace(lookups[i].path, static_cast<int>(i));
    }
};

struct table {
    std::string file;
    fr::router router;
    std::vector<std::unique_ptr<ordering>> orders;
};

// Builds the router of FILE and its lookups, checked to land on their routes; null on error.
std::unique_ptr<table> load(const char* file) {
    std::ifstream in(file);
    if (!in) {
        std::fprintf(stderr, "cannot open %s\n", file);
        return nullptr;
    }
    auto t = std::make_unique<table>();
    t->file = file;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string method, pattern;
        std::getline(fields, method, '\t');
        std::getline(fields, pattern, '\t');
        if (pattern.empty()) continue;
        const std::string_view methods[] = {method};
        t->router.add(methods, pattern);
    }

    std::vector<lookup> lookups;
    unsigned counter = 0;
    for (int v = 0; v < variants && lookups.size() < max_lookups; ++v) {
        for (fr::route_id id = 0; id < t->router.size() && lookups.size() < max_lookups; ++id) {
            const auto& route = t->router.route(id);
            std::string path;
            for (const auto& token : route.tokens) {
                path += token.is_param ? fill(token.kind, ++counter) : token.text;
            }
            lookups.push_back({route.methods.front(), std::move(path), id});
        }
    }
    fr::match_result result;
    for (const auto& l : lookups) {
        if (!t->router.match(l.method, l.path, result) || !result.full ||
            result.route != l.expected) {
            std::fprintf(stderr, "%s: %s %s did not match route %u\n", file, l.method.c_str(),
                         l.path.c_str(), l.expected);
            return nullptr;
        }
    }
    // Table order is how the classic router benchmarks walk the GitHub API, each route after
    // the one before it: the branch it shares with the previous lookup is still in the cache
    // and the branch predictor. Shuffled (a fixed seed: the same order every run), consecutive
    // lookups are unrelated routes, the harder case that mixed traffic is closer to.
    std::vector<lookup> shuffled = lookups;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(20240611));
    t->orders.push_back(std::make_unique<ordering>("table order", std::move(lookups)));
    t->orders.push_back(std::make_unique<ordering>("shuffled", std::move(shuffled)));
    return t;
}

std::size_t sink = 0;  // keeps the timed lookups observable

void time_pass(table& t, ordering& o) {
    fr::match_result result;
    o.router_ns.push_back(time_per_item(o.lookups.size(), [&] {
        for (const auto& l : o.lookups) {
            (void)t.router.match(l.method, l.path, result);
            sink += result.route + result.param_count;
        }
    }));
    o.hash_ns.push_back(time_per_item(o.lookups.size(), [&] {
        for (const auto& l : o.lookups)
            sink += static_cast<std::size_t>(o.hash_map.find(l.path)->second);
    }));
}

// Median over the passes of A's sample divided by B's in the same pass.
double median_ratio(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> ratios;
    for (std::size_t i = 0; i < a.size(); ++i) ratios.push_back(a[i] / b[i]);
    return summarize(ratios).median;
}

void report(const table& t, const table& first) {
    std::printf("%s (%zu routes, %zu lookups)\n", t.file.c_str(), t.router.size(),
                t.orders.front()->lookups.size());
    for (std::size_t k = 0; k < t.orders.size(); ++k) {
        const ordering& o = *t.orders[k];
        const stats router = summarize(o.router_ns);
        const stats hash = summarize(o.hash_ns);
        std::printf(
            "  %-12s router %6.1f ns (MAD %4.1f)  hash map %6.1f ns (MAD %4.1f)  ratio %.2fx",
            o.name, router.median, router.mad, hash.median, hash.mad,
            median_ratio(o.router_ns, o.hash_ns));
        if (&t != &first) {
            const ordering& base = *first.orders[k];
            std::printf("  vs first table: router %.2fx, hash map %.2fx",
                        median_ratio(o.router_ns, base.router_ns),
                        median_ratio(o.hash_ns, base.hash_ns));
        }
        std::printf("\n");
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s ROUTES.tsv [ROUTES.tsv ...]\n", argv[0]);
        return 2;
    }
    std::vector<std::unique_ptr<table>> tables;
    for (int i = 1; i < argc; ++i) {
        tables.push_back(load(argv[i]));
        if (tables.back() == nullptr) return 1;
    }
    for (int r = 0; r < repeats; ++r) {
        for (auto& t : tables) {
            for (auto& o : t->orders) time_pass(*t, *o);
        }
    }
    for (const auto& t : tables) report(*t, *tables.front());
    std::printf("[%zu]\n", sink % 10);
    return 0;
}
