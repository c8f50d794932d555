// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/tree.hpp: the radix tree behind `router` (private)
//
// Nodes live in one vector and refer to each other by index, so growing the tree never
// invalidates a lookup's view of it and the whole table is a few contiguous allocations.
// Node 0 is the root: a static node with an empty prefix.
#pragma once

#include <fasterapi/router/router.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/methods.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fasterapi::router::detail {

inline constexpr std::uint32_t no_index = UINT32_MAX;

// A node as routes are added: easy to grow, split and re-link.
struct node {
    std::uint32_t prefix_offset = 0;  // static bytes consumed on entry: tree::text[offset, +length)
    std::uint32_t prefix_length = 0;  // 0 for parameter nodes (and the root)
    std::uint32_t leaf = no_index;    // index into tree::leaves of the routes ending here
    route_id first_route = no_route;  // earliest route at or below this node (for pruning)
    std::string child_bytes;          // first byte of each static child, parallel to the next
    std::vector<std::uint32_t> static_children;
    std::array<std::uint32_t, param_kind_count> param_children;  // by kind, or no_index
    bool is_param = false;
    bool suffix_in_segment = false;        // parameter node: some static child starts with non-'/'
    param_kind kind = param_kind::string;  // parameter nodes only

    node() { param_children.fill(no_index); }
};

// Static children whose first bytes one SIMD compare searches (the rest are scanned).
inline constexpr std::size_t inline_children = 16;

// Prefixes up to this long are kept in the lookup node itself; longer ones are read from
// tree::lookup_text.
inline constexpr std::size_t inline_prefix = 16;

inline constexpr std::uint8_t has_param_children_flag = 1;
inline constexpr std::uint8_t suffix_in_segment_flag = 2;
// The node's only parameter child is one typed or str parameter that fills its segment (no
// static text after it there): the walk takes it without trying alternatives.
inline constexpr std::uint8_t single_param_flag = 4;
// A static node merged with its only child, a '/' without a leaf of its own: routes ending in
// the node's prefix less that '/' (`/items` next to `/items/{id}`) are in slash_leaf. One
// node less to step through on the way to everything below the '/'.
inline constexpr std::uint8_t leaf_before_slash_flag = 8;
// The node has a jump table (see jump_slot), at first_jump in tree::lookup_jumps. Never
// together with leaf_before_slash_flag, whose slash_leaf shares the field.
inline constexpr std::uint8_t jump_flag = 16;

// The read-only form a lookup walks, rebuilt from the build nodes after every add: one cache
// line per node, the children of a node stored next to each other (static child slot i is node
// first_child + i; the parameter children follow them in kind order), and a prefix of up to 16
// bytes inside the node, so that a step down the tree touches one line.
struct alignas(64) lookup_node {
    std::uint32_t prefix_offset;  // into tree::lookup_text
    std::uint32_t prefix_length;
    std::uint32_t leaf;
    route_id first_route;
    std::uint32_t first_child;
    std::uint16_t child_count;         // static children
    std::uint16_t inline_child_slots;  // bit i set when static child slot i < 16 exists
    param_kind kind;
    std::uint8_t flags;       // the *_flag constants above
    std::uint8_t param_mask;  // bit k set when a parameter child of kind k exists
    std::array<char, inline_children> child_bytes;  // first bytes of static children 0..15
    std::array<char, inline_prefix> prefix;         // a short prefix, right-aligned after zeros
    union {
        std::uint32_t slash_leaf;  // see leaf_before_slash_flag
        std::uint32_t first_jump;  // see jump_flag
    };
};
static_assert(sizeof(lookup_node) == 64, "a lookup node is one cache line");

// Where the static children of a node begin chains of nodes that only branch (no leaf, no
// parameter: the next byte picks the way, as the one-letter nodes do where many names share
// their first letters), walking them costs a dependent step per node. A jump table maps the
// next jump_key_bytes bytes of the path, read as one word, straight to the node they lead to
// (built in tree_jumps.cpp): an open-addressing table of a power-of-two size, its header slot
// (key: log2 of the size) first.
inline constexpr std::size_t jump_key_bytes = 4;

struct jump_slot {
    std::uint32_t key;     // the path bytes, as jump_key() reads them
    std::uint32_t target;  // lookup node << 2 | how many key bytes come before its prefix
};

inline std::uint32_t jump_key(const char* at) noexcept {
    std::uint32_t key = 0;
    std::memcpy(&key, at, jump_key_bytes);
    return key;
}

inline std::uint32_t jump_hash(std::uint32_t key, std::uint32_t bits) noexcept {
    return (key * 0x9E3779B1U) >> (32 - bits);  // Fibonacci hashing: the top BITS bits
}

// The routes that end at one node, by method.
struct leaf {
    std::array<route_id, max_methods> by_method;  // earliest route for each method id
    route_id any = no_route;                      // earliest route accepting every method
    route_id first = no_route;                    // earliest route of all (a 405's route)
    std::uint32_t method_mask = 0;                // bit per method id with a route

    leaf() { by_method.fill(no_route); }
};

// The read-only form of the leaves that lookups read, built beside lookup_nodes: one run of
// tree::lookup_leaf_stride words per leaf, these three and then the leaf's earliest route for
// each method that some route of the router names (tree::lookup_method_slots), no_route where
// it has none. A table that uses a handful of methods gets leaves of about 32 bytes; a build
// leaf has a slot for each of the 32 possible methods (140 bytes), and in a large table those
// outgrew the first-level cache along with the nodes.
enum leaf_word : std::uint32_t {
    leaf_any = 0,          // the earliest route accepting every method
    leaf_first = 1,        // the earliest route of all (a 405's route)
    leaf_method_mask = 2,  // bit per method id with a route
    leaf_header_words = 3,
};

class tree {
public:
    tree(path_form form, match_order order);

    route_id add(std::span<const std::string_view> methods, std::string_view pattern,
                 std::string_view name);
    bool match(std::string_view method, std::string_view path, match_result& out) const noexcept;
    std::vector<std::string> allowed_methods(std::string_view path) const;
    std::string url_path(
        std::string_view name,
        std::span<const std::pair<std::string_view, std::string_view>> params) const;

    const path_form form;
    const match_order order;
    std::vector<node> nodes;
    std::string text;  // every node's prefix, back to back (a split only moves offsets)
    // What lookups walk (see lookup_node), rebuilt by the first lookup after an add: building
    // it once per add would make adding n routes cost O(n^2).
    mutable std::vector<lookup_node> lookup_nodes;
    mutable std::string lookup_text;
    mutable std::vector<route_id> lookup_leaf_words;  // see leaf_word
    mutable std::uint32_t lookup_leaf_stride = leaf_header_words;
    // The position of each method id's route in a leaf's words, after the header; -1 for a
    // method that no route names.
    mutable std::array<std::int8_t, max_methods> lookup_method_slots{};
    mutable std::vector<jump_slot> lookup_jumps;  // the tables of nodes with jump_flag
    std::vector<leaf> leaves;
    std::vector<route_info> routes;
    method_table methods;
    std::unordered_map<std::string, std::vector<route_id>> routes_by_name;

private:
    // Walk/grow static nodes for STATIC_TEXT from AT; appends the nodes passed to PATH.
    std::uint32_t insert_static(std::uint32_t at, std::string_view static_text,
                                std::vector<std::uint32_t>& path);
    void add_static_child(std::uint32_t at, char first_byte, std::uint32_t child);
    std::uint32_t param_child(std::uint32_t at, param_kind kind);
    void split(std::uint32_t id, std::size_t at);
    void freeze() const;
    void freeze_leaves() const;
    void freeze_jumps() const;
    const node& slash_to_merge(const node& source) const;

public:
    /// Make lookup_nodes current. Lookups may run concurrently (adds may not): the first to
    /// see a stale form rebuilds it under the lock, the others wait for it.
    void ensure_frozen() const {
        if (_stale.load(std::memory_order_acquire)) freeze_now();
    }

    /// The words of frozen leaf LEAF_ID (see leaf_word).
    const route_id* frozen_leaf(std::uint32_t leaf_id) const noexcept {
        return lookup_leaf_words.data() + std::size_t{leaf_id} * lookup_leaf_stride;
    }

private:
    void freeze_now() const;
    mutable std::atomic<bool> _stale{true};
    mutable std::mutex _freeze_lock;
    void check_conflicts(const leaf& target, std::span<const int> method_ids, bool any,
                         const route_info& route) const;
};

/// The slot of the static child of N whose first byte is BYTE, or no_index. TEXT is
/// tree::lookup_text and NODES tree::lookup_nodes (for children past the first 16).
inline std::uint32_t find_child_slot(const lookup_node& n, char byte, const lookup_node* nodes,
                                     const char* text) noexcept {
    // The usual case, a branch: predicted, it lets the next node's load start before the byte
    // is compared, where a slot computed from a SIMD compare would have to wait for it.
    if (n.child_count == 1) return n.child_bytes[0] == byte ? 0 : no_index;
#if defined(__SSE2__)
    // One compare of all 16 inline bytes; slots that do not exist are masked off.
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(n.child_bytes.data()));
    const auto hits =
        static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(byte)))) &
        n.inline_child_slots;
    if (hits != 0) return static_cast<std::uint32_t>(__builtin_ctz(hits));
#else
    for (std::uint32_t i = 0; i < n.child_count && i < inline_children; ++i) {
        if (n.child_bytes[i] == byte) return i;
    }
#endif
    for (std::uint32_t i = inline_children; i < n.child_count; ++i) {
        if (text[nodes[n.first_child + i].prefix_offset] == byte) return i;
    }
    return no_index;
}

/// The slot of N's jump table (N has jump_flag) for the jump_key_bytes path bytes at AT, or
/// nullptr when no static child leads that way. JUMPS is tree::lookup_jumps.
inline const jump_slot* find_jump(const lookup_node& n, const char* at,
                                  const jump_slot* jumps) noexcept {
    const std::uint32_t key = jump_key(at);
    const jump_slot* table = jumps + n.first_jump;
    const std::uint32_t bits = table[0].key;
    const std::uint32_t mask = (1U << bits) - 1U;
    for (std::uint32_t i = jump_hash(key, bits);; i = (i + 1) & mask) {
        const jump_slot& slot = table[1 + i];
        if (slot.target == no_index) return nullptr;
        if (slot.key == key) return &slot;
    }
}

/// Does VALUE (non-empty, without '/') satisfy the typed convertor KIND?
bool typed_param_accepts(param_kind kind, std::string_view value) noexcept;

/// Does VALUE (non-empty, without '/') satisfy the convertor KIND?
inline bool param_accepts(param_kind kind, std::string_view value) noexcept {
    // str and path take any such value; only typed kinds need a look at the bytes.
    return kind >= param_kind::string || typed_param_accepts(kind, value);
}

}  // namespace fasterapi::router::detail
