// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/tree_insert.cpp: adding routes to the radix tree
#include <fasterapi/router/errors.hpp>

#include <algorithm>

#include "core/tree.hpp"

namespace fasterapi::router::detail {

namespace {

std::string describe(const route_info& route) {
    std::string text;
    if (route.methods.empty()) {
        text = "*";
    } else {
        for (const auto& method : route.methods) {
            if (!text.empty()) text += ",";
            text += method;
        }
    }
    return text + " '" + route.pattern + "'";
}

}  // namespace

tree::tree(path_form form_, match_order order_) : form(form_), order(order_) {
    nodes.emplace_back();  // the root
}

route_id tree::add(std::span<const std::string_view> method_names, std::string_view pattern,
                   std::string_view name) {
    route_info route;
    route.pattern = pattern;
    route.name = name;
    route.tokens = parse_pattern(pattern, form);
    for (const auto& token : route.tokens) {
        if (token.is_param) {
            route.param_names.push_back(token.text);
            route.param_kinds.push_back(token.kind);
        }
    }

    bool any = method_names.empty();
    std::vector<int> method_ids;
    for (const auto method : method_names) {
        if (method == "*") {
            any = true;
            continue;
        }
        const int id = methods.intern(method);
        if (std::find(method_ids.begin(), method_ids.end(), id) == method_ids.end()) {
            method_ids.push_back(id);
            route.methods.push_back(methods.name(id));
        }
    }
    if (any) {
        method_ids.clear();
        route.methods.clear();
    }
    if (routes.size() == no_route - 1) throw router_error("cannot add a route: the router is full");

    // Walk (and grow) the tree along the pattern. Nothing observable changes until the
    // conflict check passes: new nodes without a leaf match nothing.
    std::uint32_t at = 0;
    std::vector<std::uint32_t> path{0};
    for (const auto& token : route.tokens) {
        at = token.is_param ? param_child(at, token.kind) : insert_static(at, token.text, path);
        path.push_back(at);
    }
    if (nodes[at].leaf == no_index) {
        nodes[at].leaf = static_cast<std::uint32_t>(leaves.size());
        leaves.emplace_back();
    }
    leaf& target = leaves[nodes[at].leaf];
    if (order == match_order::specificity) check_conflicts(target, method_ids, any, route);

    const auto id = static_cast<route_id>(routes.size());
    for (const std::uint32_t node_id : path) {
        if (nodes[node_id].first_route == no_route) nodes[node_id].first_route = id;
    }
    // Ids grow, so "keep the first" is "keep the earliest": what registration order needs.
    if (target.first == no_route) target.first = id;
    if (any) {
        if (target.any == no_route) target.any = id;
    }
    for (const int method : method_ids) {
        auto& slot = target.by_method[static_cast<std::size_t>(method)];
        if (slot == no_route) slot = id;
        target.method_mask |= 1U << method;
    }
    if (!route.name.empty()) routes_by_name[route.name].push_back(id);
    routes.push_back(std::move(route));
    _stale.store(true, std::memory_order_release);
    return id;
}

void tree::check_conflicts(const leaf& target, std::span<const int> method_ids, bool any,
                           const route_info& route) const {
    route_id existing = target.any;
    if (existing == no_route && any) existing = target.first;
    for (const int method : method_ids) {
        if (existing != no_route) break;
        existing = target.by_method[static_cast<std::size_t>(method)];
    }
    if (existing != no_route) {
        throw conflict_error("cannot register route " + describe(route) +
                             ": conflicts with existing route " + describe(routes[existing]) +
                             " (same shape and an overlapping method)");
    }
}

std::uint32_t tree::insert_static(std::uint32_t at, std::string_view static_text,
                                  std::vector<std::uint32_t>& path) {
    while (!static_text.empty()) {
        const auto slot = nodes[at].child_bytes.find(static_text.front());
        if (slot == std::string::npos) {
            node fresh;
            fresh.prefix_offset = static_cast<std::uint32_t>(text.size());
            fresh.prefix_length = static_cast<std::uint32_t>(static_text.size());
            text.append(static_text);
            const auto child = static_cast<std::uint32_t>(nodes.size());
            nodes.push_back(std::move(fresh));
            add_static_child(at, static_text.front(), child);
            return child;
        }
        const std::uint32_t child = nodes[at].static_children[slot];
        const std::string_view prefix(text.data() + nodes[child].prefix_offset,
                                      nodes[child].prefix_length);
        const auto common = static_cast<std::size_t>(
            std::mismatch(prefix.begin(), prefix.end(), static_text.begin(), static_text.end())
                .first -
            prefix.begin());
        if (common < prefix.size()) split(child, common);
        static_text.remove_prefix(common);
        at = child;
        path.push_back(at);
    }
    return at;
}

void tree::add_static_child(std::uint32_t at, char first_byte, std::uint32_t child) {
    node& parent = nodes[at];
    parent.child_bytes.push_back(first_byte);
    parent.static_children.push_back(child);
    if (parent.is_param && first_byte != '/') parent.suffix_in_segment = true;
}

// Rebuild lookup_nodes and lookup_text from the build nodes, breadth first, so that the
// static children of each node are consecutive.
void tree::freeze_now() const {
    const std::lock_guard<std::mutex> hold(_freeze_lock);
    if (!_stale.load(std::memory_order_relaxed)) return;  // another lookup did it meanwhile
    freeze();
    _stale.store(false, std::memory_order_release);
}

// The node a static node SOURCE with a leaf is merged with in the lookup form: its only
// child when that is a '/' with no leaf and SOURCE has no parameter child
// (leaf_before_slash_flag); else SOURCE itself.
const node& tree::slash_to_merge(const node& source) const {
    if (source.is_param || source.leaf == no_index || source.static_children.size() != 1 ||
        std::any_of(source.param_children.begin(), source.param_children.end(),
                    [](std::uint32_t child) { return child != no_index; })) {
        return source;
    }
    const node& only = nodes[source.static_children[0]];
    const bool lone_slash = only.prefix_length == 1 && text[only.prefix_offset] == '/';
    return lone_slash && only.leaf == no_index ? only : source;
}

void tree::freeze() const {
    std::vector<lookup_node> frozen(1);
    std::string frozen_text;
    std::vector<std::uint32_t> queue{0};
    std::vector<std::uint32_t> frozen_index(nodes.size(), no_index);
    frozen_index[0] = 0;
    for (std::size_t next = 0; next < queue.size(); ++next) {
        const node& source = nodes[queue[next]];
        // What the lookup node takes its children from: the source, or the '/' it is merged
        // with (see leaf_before_slash_flag).
        const node& below = slash_to_merge(source);
        const bool merged = &below != &source;
        const auto first_child = static_cast<std::uint32_t>(frozen.size());
        // Static children first, then the parameter children in kind order: the walker finds
        // a parameter child by counting the kinds in param_mask before it.
        const auto place = [&](std::uint32_t child) {
            frozen_index[child] = static_cast<std::uint32_t>(frozen.size());
            frozen.emplace_back();
            queue.push_back(child);
        };
        for (const std::uint32_t child : below.static_children) place(child);
        std::uint8_t flags = source.suffix_in_segment ? suffix_in_segment_flag : 0;
        if (merged) flags |= leaf_before_slash_flag;
        std::uint8_t param_mask = 0;
        for (std::size_t kind = 0; kind < param_kind_count; ++kind) {
            const std::uint32_t child = below.param_children[kind];
            if (child == no_index) continue;
            place(child);
            flags |= has_param_children_flag;
            param_mask = static_cast<std::uint8_t>(param_mask | (1U << kind));
        }
        if (param_mask != 0 && (param_mask & (param_mask - 1U)) == 0) {  // one parameter child
            const node& only = nodes[below.param_children[__builtin_ctz(param_mask)]];
            if (only.kind != param_kind::path && !only.suffix_in_segment) {
                flags |= single_param_flag;
            }
        }
        lookup_node& target = frozen[frozen_index[queue[next]]];
        target.prefix_offset = static_cast<std::uint32_t>(frozen_text.size());
        frozen_text.append(text, source.prefix_offset, source.prefix_length);
        if (merged) frozen_text += '/';
        target.prefix_length = source.prefix_length + (merged ? 1U : 0U);
        target.prefix.fill('\0');
        if (target.prefix_length <= inline_prefix) {
            std::copy(frozen_text.end() - target.prefix_length, frozen_text.end(),
                      target.prefix.end() - target.prefix_length);
        }
        target.leaf = merged ? below.leaf : source.leaf;
        target.slash_leaf = merged ? source.leaf : no_index;
        target.first_route = source.first_route;
        target.first_child = first_child;
        target.child_count = static_cast<std::uint16_t>(below.static_children.size());
        const std::size_t inline_count = std::min(below.static_children.size(), inline_children);
        target.inline_child_slots = static_cast<std::uint16_t>((1U << inline_count) - 1U);
        target.kind = source.kind;
        target.flags = flags;
        target.param_mask = param_mask;
        target.child_bytes.fill('\0');
        std::copy_n(below.child_bytes.begin(), inline_count, target.child_bytes.begin());
    }
    lookup_nodes = std::move(frozen);
    lookup_text = std::move(frozen_text);
    freeze_jumps();
    freeze_leaves();
}

void tree::freeze_leaves() const {
    std::uint32_t named = 0;  // the methods some route names
    for (const leaf& source : leaves) named |= source.method_mask;
    std::array<std::int8_t, max_methods> slots;
    slots.fill(-1);
    std::vector<std::size_t> slot_methods;  // method id by slot
    for (std::size_t id = 0; id < max_methods; ++id) {
        if (((named >> id) & 1U) == 0) continue;
        slots[id] = static_cast<std::int8_t>(slot_methods.size());
        slot_methods.push_back(id);
    }
    const auto stride = static_cast<std::uint32_t>(leaf_header_words + slot_methods.size());
    std::vector<route_id> words;
    words.reserve(leaves.size() * stride);
    for (const leaf& source : leaves) {
        words.insert(words.end(), {source.any, source.first, source.method_mask});
        for (const std::size_t id : slot_methods) words.push_back(source.by_method[id]);
    }
    lookup_leaf_words = std::move(words);
    lookup_leaf_stride = stride;
    lookup_method_slots = slots;
}

// Cut node ID's prefix at AT: ID keeps the head (so its parent's link stays valid) and gets
// one static child, a new node with the tail and everything ID had below it. The bytes stay
// where they are in `text`; only offsets change.
void tree::split(std::uint32_t id, std::size_t at) {
    node tail = std::move(nodes[id]);
    node head;
    head.first_route = tail.first_route;
    head.prefix_offset = tail.prefix_offset;
    head.prefix_length = static_cast<std::uint32_t>(at);
    tail.prefix_offset += static_cast<std::uint32_t>(at);
    tail.prefix_length -= static_cast<std::uint32_t>(at);
    const char first_byte = text[tail.prefix_offset];
    const auto tail_id = static_cast<std::uint32_t>(nodes.size());
    nodes.push_back(std::move(tail));
    nodes[id] = std::move(head);
    add_static_child(id, first_byte, tail_id);
}

std::uint32_t tree::param_child(std::uint32_t at, param_kind kind) {
    const auto slot = static_cast<std::size_t>(kind);
    if (nodes[at].param_children[slot] == no_index) {
        node fresh;
        fresh.is_param = true;
        fresh.kind = kind;
        const auto child = static_cast<std::uint32_t>(nodes.size());
        nodes.push_back(std::move(fresh));
        nodes[at].param_children[slot] = child;
    }
    return nodes[at].param_children[slot];
}

}  // namespace fasterapi::router::detail
