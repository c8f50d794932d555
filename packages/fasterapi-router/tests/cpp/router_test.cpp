// SPDX-License-Identifier: MIT
// fasterapi-router/tests/cpp/router_test.cpp: unit tests of the C++ core (no Python)
#include <fasterapi/router/percent.hpp>
#include <fasterapi/router/router.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <fasterapi/testing/check.hpp>

namespace fr = fasterapi::router;

namespace {

fr::route_id add(fr::router& r, std::string_view method, std::string_view pattern,
                 std::string_view name = {}) {
    const std::string_view methods[] = {method};
    return r.add(methods, pattern, name);
}

std::string param(const fr::match_result& m, std::string_view path, std::size_t i) {
    return std::string(path.substr(m.params[i].begin, m.params[i].end - m.params[i].begin));
}

}  // namespace

TEST(static_beats_param_beats_catch_all) {
    fr::router r;
    const auto all = add(r, "GET", "/users/{rest:path}");
    const auto id = add(r, "GET", "/users/{id}");
    const auto me = add(r, "GET", "/users/me");
    fr::match_result m;
    CHECK(r.match("GET", "/users/me", m) && m.full && m.route == me && m.param_count == 0);
    CHECK(r.match("GET", "/users/7", m) && m.route == id && param(m, "/users/7", 0) == "7");
    CHECK(r.match("GET", "/users/7/x", m) && m.route == all && param(m, "/users/7/x", 0) == "7/x");
}

TEST(typed_before_plain) {
    fr::router r;
    const auto plain = add(r, "GET", "/v/{x}");
    const auto integer = add(r, "GET", "/v/{x:int}");
    fr::match_result m;
    CHECK(r.match("GET", "/v/12", m) && m.route == integer);
    CHECK(r.match("GET", "/v/12a", m) && m.route == plain);
}

TEST(method_table_and_partial_match) {
    fr::router r;
    const auto get = add(r, "GET", "/a");
    fr::match_result m;
    CHECK(r.match("POST", "/a", m) && !m.full && m.route == get);
    CHECK(!r.match("GET", "/b", m));
    const auto methods = r.allowed_methods("/a");
    CHECK(methods.size() == 1 && methods[0] == "GET");
}

TEST(registration_order_first_wins) {
    fr::router r(fr::path_form::raw, fr::match_order::registration);
    const auto first = add(r, "GET", "/a/{x}");
    add(r, "GET", "/a/b");
    fr::match_result m;
    CHECK(r.match("GET", "/a/b", m) && m.route == first);
}

TEST(conflicts_and_pattern_errors_throw) {
    fr::router r;
    add(r, "GET", "/a/{x}");
    CHECK_THROWS(add(r, "GET", "/a/{y}"), fr::conflict_error);
    CHECK_THROWS(add(r, "GET", "/a/{y"), fr::pattern_error);
    CHECK_THROWS(add(r, "GET", "no-slash"), fr::pattern_error);
    CHECK_THROWS(add(r, "G T", "/ok"), fr::pattern_error);
    CHECK(r.size() == 1);
}

TEST(splitting_a_prefix_keeps_both_routes) {
    fr::router r;
    const auto long_route = add(r, "GET", "/abcdef");
    const auto short_route = add(r, "GET", "/abc");
    const auto sibling = add(r, "GET", "/abx");
    fr::match_result m;
    CHECK(r.match("GET", "/abcdef", m) && m.route == long_route);
    CHECK(r.match("GET", "/abc", m) && m.route == short_route);
    CHECK(r.match("GET", "/abx", m) && m.route == sibling);
    CHECK(!r.match("GET", "/ab", m));
}

TEST(backtracking_drops_the_values_of_a_dead_branch) {
    // The walk takes a lone parameter without recursion; when the branch below it fails, the
    // values it took must not stay with the route found instead.
    fr::router r;
    const auto deep = add(r, "GET", "/u/{id}/posts/{post}/edit");
    const auto rest = add(r, "GET", "/u/{tail:path}");
    fr::match_result m;
    const std::string_view dead_end = "/u/5/posts/7/view";
    CHECK(r.match("GET", dead_end, m) && m.route == rest && m.param_count == 1 &&
          param(m, dead_end, 0) == "5/posts/7/view");
    const std::string_view edit = "/u/5/posts/7/edit";
    CHECK(r.match("GET", edit, m) && m.route == deep && m.param_count == 2 &&
          param(m, edit, 0) == "5" && param(m, edit, 1) == "7");
}

TEST(a_route_ending_before_a_merged_slash) {
    // `/items` next to `/items/{id}`: the lookup form merges the '/' into `/items`'s node, and
    // the route that ends before it must still be found, in both orders, with its methods.
    for (const auto order : {fr::match_order::specificity, fr::match_order::registration}) {
        fr::router r(fr::path_form::raw, order);
        const auto list = add(r, "GET", "/items");
        const auto item = add(r, "GET", "/items/{id}");
        const auto files = add(r, "GET", "/files");
        const auto file = add(r, "GET", "/files/{rest:path}");
        fr::match_result m;
        CHECK(r.match("GET", "/items", m) && m.full && m.route == list && m.param_count == 0);
        CHECK(r.match("GET", "/items/5", m) && m.route == item && param(m, "/items/5", 0) == "5");
        CHECK(r.match("POST", "/items", m) && !m.full && m.route == list);
        CHECK(!r.match("GET", "/item", m) && !r.match("GET", "/itemsx", m));
        CHECK(!r.match("GET", "/items/", m));  // parameters are never empty
        CHECK(r.match("GET", "/files", m) && m.route == files);
        CHECK(r.match("GET", "/files/", m) && m.route == file && m.param_count == 1);
        const auto methods = r.allowed_methods("/items");
        CHECK(methods.size() == 1 && methods[0] == "GET");
    }
}

TEST(names_sharing_first_letters_are_found_through_jumps) {
    // Under `/api/v` the versions and then the names branch on one byte at a time (`1/`, `a`,
    // `l`): the lookup jumps over those nodes on the next four path bytes. Every name, paths
    // cut short inside the jump's bytes, near misses, and a parameter beside the jump.
    fr::router r;
    const std::string names[] = {"alerts", "albums", "accounts", "search", "sensors", "tickets"};
    std::vector<fr::route_id> ids;
    for (const char* version : {"1", "2"}) {
        for (const auto& name : names) {
            ids.push_back(add(r, "GET", std::string("/api/v") + version + "/" + name + "/{id}"));
        }
    }
    const auto other = add(r, "GET", "/api/{rest:path}");
    fr::match_result m;
    std::size_t i = 0;
    for (const char* version : {"1", "2"}) {
        for (const auto& name : names) {
            const std::string path = std::string("/api/v") + version + "/" + name + "/7";
            CHECK(r.match("GET", path, m) && m.route == ids[i] && param(m, path, 0) == "7");
            ++i;
        }
    }
    for (const char* path :
         {"/api/v", "/api/v1", "/api/v1/", "/api/v1/a", "/api/v1/al", "/api/v1/alx",
          "/api/v3/alerts/7", "/api/v1/alerts", "/api/v1/alertz/7", "/api/v1/zz/7"}) {
        CHECK(r.match("GET", path, m) && m.route == other);
    }
    const std::string with_nul("/api/v1/\0lerts/7", 16);  // a NUL among the key bytes
    CHECK(r.match("GET", with_nul, m) && m.route == other);
}

TEST(every_prefix_length_compares_every_byte) {
    // Static prefixes are compared a word or a node-held copy at a time, with different code
    // for short, inline (up to 16 bytes) and longer prefixes, and near the path's start: each
    // length, at several depths, must match exactly and reject a change to any one byte.
    for (std::size_t depth = 0; depth < 3; ++depth) {
        for (std::size_t length = 1; length <= 40; ++length) {
            fr::router r;
            const std::string lead = depth == 0 ? "" : "/{p}" + std::string(depth - 1, 'q');
            std::string tail;
            for (std::size_t i = 0; i < length; ++i) tail += static_cast<char>('a' + i % 26);
            // A sibling that shares the first byte splits the prefix off its parent node.
            const auto route = add(r, "GET", lead + "/" + tail);
            add(r, "GET", lead + "/" + tail.substr(0, 1) + "!");
            // A longer path through the same prefix: the bytes after it are read too.
            const std::string more = "/and/then/more";
            const auto longer = add(r, "GET", lead + "/" + tail + more);
            const std::string head = depth == 0 ? "" : "/v" + std::string(depth - 1, 'q');
            fr::match_result m;
            CHECK(r.match("GET", head + "/" + tail, m) && m.route == route);
            CHECK(r.match("GET", head + "/" + tail + more, m) && m.route == longer);
            CHECK(!r.match("GET", head + "/" + tail.substr(0, length - 1), m) || m.route != route);
            for (std::size_t i = 1; i < length; ++i) {
                std::string changed = tail;
                changed[i] = '#';
                CHECK(!r.match("GET", head + "/" + changed, m) || m.route != route);
                CHECK(!r.match("GET", head + "/" + changed + more, m) || m.route != longer);
            }
        }
    }
}

TEST(url_path_encodes_and_validates) {
    fr::router r;
    add(r, "GET", "/u/{id:int}/{name}", "user");
    const std::pair<std::string_view, std::string_view> ok[] = {{"id", "5"}, {"name", "a b/c"}};
    CHECK(r.url_path("user", ok) == "/u/5/a%20b%2Fc");
    const std::pair<std::string_view, std::string_view> bad[] = {{"id", "-5"}, {"name", "x"}};
    CHECK_THROWS(r.url_path("user", bad), fr::url_path_error);
    CHECK_THROWS(r.url_path("nobody", ok), fr::url_path_error);
}

TEST(percent_decode_keeps_malformed_escapes) {
    const std::string_view in = "%41%zz%4";
    std::string out(in.size(), '\0');
    out.resize(fr::percent_decode(in, out.data()));
    CHECK(out == "A%zz%4");
}

TEST(long_paths_never_match) {
    fr::router r;
    add(r, "GET", "/{p:path}");
    fr::match_result m;
    CHECK(r.match("GET", "/" + std::string(1000, 'a'), m));
    CHECK(!r.match("GET", "/" + std::string(fr::max_path_length, 'a'), m));
}

TEST(concurrent_first_lookups_after_adds) {
    // The lookup form is rebuilt by the first lookup after an add; racing lookups must all
    // see a complete one.
    for (int round = 0; round < 20; ++round) {
        fr::router r;
        for (int i = 0; i < 200; ++i) add(r, "GET", "/r" + std::to_string(i) + "/{id:int}");
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                fr::match_result m;
                for (int i = 0; i < 200; ++i) {
                    const int route = (i * 7 + t) % 200;
                    const std::string path = "/r" + std::to_string(route) + "/42";
                    if (!r.match("GET", path, m) || m.route != static_cast<fr::route_id>(route)) {
                        ++wrong;
                    }
                }
            });
        }
        for (auto& thread : threads) thread.join();
        CHECK(wrong.load() == 0);
    }
}

int main() {
    return fasterapi::testing::run_all();
}
