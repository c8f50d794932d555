// SPDX-License-Identifier: MIT
// fasterapi-router/benchmarks/cpp/bench_match.cpp: ns per lookup, C++ only, against a hash map
//
// Usage: router_bench ROUTES.tsv [ROUTES.tsv ...]
// For each route table (the repository's shared/data/routes format) it builds the router,
// makes VARIANTS unique concrete paths per route (fresh parameter values, so no cache can
// help), checks every lookup lands on its route, then times the lookups. The floor is a
// std::unordered_map<std::string_view, int> lookup of the same path strings, in the same run.
// Prints median and MAD over REPEATS passes.
#include <fasterapi/router/router.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace fr = fasterapi::router;

namespace {

constexpr int variants = 64;
// Every table is timed on this many lookups (sampled evenly), so a larger table is compared
// on the same amount of path data and only the route count differs.
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

template <class Body>
double time_per_item(std::size_t items, Body body) {
    const auto start = std::chrono::steady_clock::now();
    body();
    const auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::nano>(stop - start).count() /
           static_cast<double>(items);
}

int bench_file(const char* file) {
    std::ifstream in(file);
    if (!in) {
        std::fprintf(stderr, "cannot open %s\n", file);
        return 1;
    }
    fr::router router;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string method, pattern;
        std::getline(fields, method, '\t');
        std::getline(fields, pattern, '\t');
        if (pattern.empty()) continue;
        const std::string_view methods[] = {method};
        router.add(methods, pattern);
    }

    std::vector<lookup> lookups;
    unsigned counter = 0;
    for (int v = 0; v < variants; ++v) {
        for (fr::route_id id = 0; id < router.size(); ++id) {
            const auto& route = router.route(id);
            std::string path;
            for (const auto& token : route.tokens) {
                path += token.is_param ? fill(token.kind, ++counter) : token.text;
            }
            lookups.push_back({route.methods.front(), std::move(path), id});
        }
    }
    if (lookups.size() > max_lookups) {
        std::vector<lookup> sample;
        const std::size_t stride = lookups.size() / max_lookups;
        for (std::size_t i = 0; sample.size() < max_lookups; i += stride) {
            sample.push_back(std::move(lookups[i]));
        }
        lookups = std::move(sample);
    }
    // Interleave routes so consecutive lookups do not walk the same branch.
    std::rotate(lookups.begin(), lookups.begin() + static_cast<long>(lookups.size() / 3),
                lookups.end());

    fr::match_result result;
    for (const auto& l : lookups) {
        if (!router.match(l.method, l.path, result) || !result.full || result.route != l.expected) {
            std::fprintf(stderr, "%s: %s %s did not match route %u\n", file, l.method.c_str(),
                         l.path.c_str(), l.expected);
            return 1;
        }
    }

    std::unordered_map<std::string_view, int> table;
    for (std::size_t i = 0; i < lookups.size(); ++i)
        table.emplace(lookups[i].path, static_cast<int>(i));

    // The two are timed in alternating passes, so a slow spell of the machine hits both.
    std::size_t sink = 0;
    std::vector<double> tree_samples, hash_samples, ratios;
    for (int r = 0; r < repeats; ++r) {
        tree_samples.push_back(time_per_item(lookups.size(), [&] {
            for (const auto& l : lookups) {
                (void)router.match(l.method, l.path, result);
                sink += result.route + result.param_count;
            }
        }));
        hash_samples.push_back(time_per_item(lookups.size(), [&] {
            for (const auto& l : lookups)
                sink += static_cast<std::size_t>(table.find(l.path)->second);
        }));
        ratios.push_back(tree_samples.back() / hash_samples.back());
    }
    const stats tree = summarize(tree_samples);
    const stats hash = summarize(hash_samples);
    std::printf(
        "%-28s routes=%5zu lookups=%6zu  router %6.1f ns (MAD %4.1f)  hash map %6.1f ns "
        "(MAD %4.1f)  ratio %.2fx  [%zu]\n",
        file, router.size(), lookups.size(), tree.median, tree.mad, hash.median, hash.mad,
        summarize(ratios).median, sink % 10);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s ROUTES.tsv [ROUTES.tsv ...]\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; ++i) {
        if (bench_file(argv[i]) != 0) return 1;
    }
    return 0;
}
