// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/tree_search.cpp: depth-first lookup with backtracking
#include <algorithm>
#include <cstring>

#include "core/tree.hpp"

namespace fasterapi::router::detail {

namespace {

// Bounds the backtracking one lookup may do, counted in parameter values tried. Ordinary
// tables need a few per lookup; only
// patterns with several parameters inside one segment can multiply them, and a client must
// not be able to turn that into unbounded work.
constexpr int step_budget = 4096;

// Walks every branch of the tree that matches PATH, in priority order, and hands each leaf
// reached (with the parameter spans on the way) to ON_LEAF, which returns true to stop.
template <class OnLeaf, bool Prune>
class walker {
public:
    // Subtrees whose earliest route comes after BOUND are skipped (registration order uses
    // it: once a match is found, only earlier routes can replace it).
    walker(const tree& t, std::string_view path, OnLeaf& on_leaf, const route_id& bound)
        : _nodes(t.lookup_nodes.data()),
          _text(t.lookup_text.data()),
          _jumps(t.lookup_jumps.data()),
          _path(path),
          _on_leaf(on_leaf),
          _bound(bound) {}

    // False when the lookup ran out of budget (the caller then reports no match).
    bool run() {
        follow(&_nodes[0], 0);  // the root has an empty prefix
        return _budget >= 0;
    }

private:
    // Does static node N's prefix match the path at POS? The caller found N by the path byte
    // at POS, the prefix's first byte, so a one-byte prefix (the `/` after a parameter, a
    // letter that two names share) has matched already. A prefix of up to 16 bytes is
    // compared with the copy in the node (no second cache line) as two words: the first 8
    // bytes and the 8 that end where the prefix ends, which overlap when it is shorter than
    // 16. A prefix shorter than 8 bytes is compared as the word that ends where it ends, the
    // path bytes before it shifted out (or, near the path's start, the word that starts where
    // it starts, shifted). A byte loop, whose exit mispredicts, is left for prefixes longer
    // than 16 bytes and for paths shorter than 8.
    bool prefix_matches(const lookup_node& n, std::size_t pos) const noexcept {
        const std::size_t length = n.prefix_length;
        if (length == 1) return true;
        if (_path.size() - pos < length) return false;
        const char* path = _path.data() + pos;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        const char* prefix_end = n.prefix.data() + inline_prefix;
        if (length <= inline_prefix && pos + length >= 8) {     // 8 path bytes end at its end
            const std::size_t first = length < 8 ? 8 : length;  // bytes the two words cover
            const std::size_t unused = 8 * (first - length);    // bits of them before the prefix
            const std::uint64_t head = word(path + length - first) ^ word(prefix_end - first);
            const std::uint64_t tail = word(path + length - 8) ^ word(prefix_end - 8);
            return ((head | tail) >> unused) == 0;
        }
        // A prefix of 2-7 bytes near the path's start (`/api/v`): the 8 path bytes from POS,
        // shifted so that the prefix's bytes end the word as they end the node's copy (which
        // has zeros before it).
        if (length < 8 && _path.size() - pos >= 8) {
            return word(path) << (8 * (8 - length)) == word(prefix_end - 8);
        }
#endif
        const char* prefix = _text + n.prefix_offset;
        for (std::size_t i = 1; i < length; ++i) {  // the caller compared the first byte
            if (path[i] != prefix[i]) return false;
        }
        return true;
    }

    static std::uint64_t word(const char* at) noexcept {
        std::uint64_t value = 0;
        std::memcpy(&value, at, 8);  // memcpy keeps the unaligned load legal
        return value;
    }

    // The end of the path segment that starts at POS (the next '/', or the end of the path).
    std::size_t segment_end(std::size_t pos) const noexcept {
        const char* data = _path.data();
        const std::size_t size = _path.size();
#if defined(__SSE2__)
        const __m128i slash = _mm_set1_epi8('/');
        for (; pos + 16 <= size; pos += 16) {
            const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
            const int hits = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, slash));
            if (hits != 0)
                return pos + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(hits)));
        }
        if (pos < size && size >= 16) {  // the tail: the path's last 16 bytes, those before POS
            const std::size_t start = size - 16;  // masked off
            const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + start));
            const auto hits =
                static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, slash))) >>
                (pos - start);
            return hits != 0 ? pos + static_cast<std::size_t>(__builtin_ctz(hits)) : size;
        }
#endif
        while (pos < size && data[pos] != '/') ++pos;
        return pos;
    }

    // Everything that may come after node N once the path is consumed up to POS.
    bool follow(const lookup_node* n, std::size_t pos) {
        const std::uint32_t depth_at_entry = _depth;  // spans pushed below, dropped on failure
        // Where there is only one way on, the walk goes on in this loop rather than by
        // recursion: runs of static nodes, and a parameter that is its node's only child.
        // That is most of a lookup.
        for (;;) {
            if (follow_static(n, pos)) return true;
            if ((n->flags & has_param_children_flag) == 0) break;
            const lookup_node* child = _nodes + n->first_child + n->child_count;
            if ((n->flags & single_param_flag) == 0) {
                if (follow_params(*n, child, pos)) return true;
                break;
            }
            if (Prune && child->first_route > _bound) break;
            const std::size_t end = segment_end(pos);
            if (end == pos) break;           // parameters are never empty
            if (--_budget < 0) return true;  // stop the whole walk
            if (!param_accepts(child->kind, _path.substr(pos, end - pos))) break;
            push(pos, end);
            n = child;
            pos = end;
        }
        _depth = depth_at_entry;
        return false;
    }

    // Follows static children from N as far as they match, leaving N and POS where none does.
    // True when a leaf took the path (the walk is over).
    bool follow_static(const lookup_node*& n, std::size_t& pos) {
        for (;;) {
            if (pos == _path.size()) {
                return n->leaf != no_index && _on_leaf(n->leaf, _spans.data(), _depth);
            }
            const lookup_node* child = nullptr;
            if (__builtin_expect((n->flags & jump_flag) != 0, 0) &&
                _path.size() - pos >= jump_key_bytes) {
                const jump_slot* jump = find_jump(*n, _path.data() + pos, _jumps);
                if (jump == nullptr) return false;
                child = _nodes + (jump->target >> 2);
                pos += jump->target & 3U;  // the key bytes before the child's prefix
            } else {
                const std::uint32_t slot = find_child_slot(*n, _path[pos], _nodes, _text);
                if (slot == no_index) return false;
                child = _nodes + n->first_child + slot;
            }
            if (Prune && child->first_route > _bound) return false;
            if (!prefix_matches(*child, pos)) return ends_before_slash(*child, pos);
            if ((n->flags & has_param_children_flag) != 0) {  // the parameters, if this fails
                return follow(child, pos + child->prefix_length);
            }
            pos += child->prefix_length;
            n = child;
        }
    }

    // Does the path end at POS + the prefix of N less its last byte, a '/' merged into N
    // (leaf_before_slash_flag), with the route there taking it?
    bool ends_before_slash(const lookup_node& n, std::size_t pos) {
        if ((n.flags & leaf_before_slash_flag) == 0) return false;
        const std::size_t length = n.prefix_length - 1;
        return _path.size() - pos == length &&
               std::memcmp(_path.data() + pos, _text + n.prefix_offset, length) == 0 &&
               _on_leaf(n.slash_leaf, _spans.data(), _depth);
    }

    // Tries the parameter children of N (FIRST is the first of them) in kind order, which is
    // priority order: typed kinds, then str, then the catch-all.
    bool follow_params(const lookup_node& n, const lookup_node* first, std::size_t pos) {
        const lookup_node* child = first;
        constexpr unsigned path_bit = 1U << static_cast<unsigned>(param_kind::path);
        for (unsigned kinds = n.param_mask & (path_bit - 1U); kinds != 0; kinds &= kinds - 1) {
            if ((!Prune || child->first_route <= _bound) && enter_param(*child, pos)) return true;
            ++child;
        }
        if ((n.param_mask & path_bit) != 0 && child->leaf != no_index &&
            (!Prune || child->first_route <= _bound)) {
            push(pos, _path.size());
            if (_on_leaf(child->leaf, _spans.data(), _depth)) return true;
            --_depth;
        }
        return false;
    }

    bool enter_param(const lookup_node& n, std::size_t pos) {
        if (pos == _path.size()) return false;
        const std::size_t end_of_segment = segment_end(pos);
        if (end_of_segment == pos) return false;  // parameters are never empty
        if ((n.flags & suffix_in_segment_flag) == 0) return try_value(n, pos, end_of_segment);
        // Static text follows inside the segment: try the longest value first, as the
        // greedy `[^/]+` of Starlette's regex does, and only where a child could start.
        for (std::size_t end = end_of_segment; end > pos; --end) {
            if (end != end_of_segment && find_child_slot(n, _path[end], _nodes, _text) == no_index)
                continue;
            if (try_value(n, pos, end)) return true;
        }
        return false;
    }

    bool try_value(const lookup_node& n, std::size_t begin, std::size_t end) {
        if (--_budget < 0) return true;  // stop the whole walk
        if (!param_accepts(n.kind, _path.substr(begin, end - begin))) return false;
        push(begin, end);
        if (follow(&n, end)) return true;
        --_depth;
        return false;
    }

    void push(std::size_t begin, std::size_t end) {
        // Safety: patterns hold at most max_params parameters and the depth only grows along
        // one pattern's parameters, so _depth < max_params here.
        _spans[_depth++] = {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
    }

    const lookup_node* _nodes;
    const char* _text;  // tree::lookup_text: the node prefixes
    const jump_slot* _jumps;
    std::string_view _path;
    OnLeaf& _on_leaf;
    const route_id& _bound;
    std::array<param_span, max_params> _spans;  // values of the parameters on the current branch
    std::uint32_t _depth = 0;                   // how many of _spans are in use
    int _budget = step_budget;
};

void record(match_result& into, route_id route, bool full, const param_span* spans,
            std::uint32_t count) noexcept {
    into.route = route;
    into.full = full;
    into.param_count = count;
    std::copy(spans, spans + count, into.params.begin());
}

}  // namespace

bool tree::match(std::string_view method, std::string_view path, match_result& out) const noexcept {
    if (path.size() > max_path_length) return false;
    ensure_frozen();
    const int method_id = methods.find(method);
    const int slot = method_id >= 0 ? lookup_method_slots[static_cast<std::size_t>(method_id)] : -1;
    match_result partial;
    bool has_full = false;
    bool has_partial = false;
    // Registration order: once a full match is found, only subtrees holding an earlier route
    // are worth walking. Specificity order stops at the first full match instead.
    route_id bound = no_route;
    auto on_leaf = [&](std::uint32_t leaf_id, const param_span* spans, std::uint32_t count) {
        const route_id* l = frozen_leaf(leaf_id);
        route_id route = l[leaf_any];
        if (slot >= 0) route = std::min(route, l[leaf_header_words + static_cast<unsigned>(slot)]);
        if (route != no_route) {
            if (!has_full || route < out.route) {
                record(out, route, true, spans, count);
                bound = route;
            }
            has_full = true;
            return order == match_order::specificity;
        }
        if (!has_full) {
            const bool earlier =
                order == match_order::registration && l[leaf_first] < partial.route;
            if (!has_partial || earlier) record(partial, l[leaf_first], false, spans, count);
            has_partial = true;
        }
        return false;
    };
    const bool completed =
        order == match_order::registration
            ? walker<decltype(on_leaf), true>(*this, path, on_leaf, bound).run()
            : walker<decltype(on_leaf), false>(*this, path, on_leaf, bound).run();
    if (!completed) return false;
    if (has_full) return true;
    if (has_partial) out = partial;
    return has_partial;
}

std::vector<std::string> tree::allowed_methods(std::string_view path) const {
    std::vector<std::string> result;
    if (path.size() > max_path_length) return result;
    ensure_frozen();
    std::uint32_t mask = 0;
    bool any = false;
    auto on_leaf = [&](std::uint32_t leaf_id, const param_span*, std::uint32_t) {
        const route_id* l = frozen_leaf(leaf_id);
        mask |= l[leaf_method_mask];
        any = any || l[leaf_any] != no_route;
        return false;
    };
    const route_id everything = no_route;
    if (!walker<decltype(on_leaf), false>(*this, path, on_leaf, everything).run()) return result;
    if (any) result.emplace_back("*");
    for (int id = 0; id < static_cast<int>(max_methods); ++id) {
        if ((mask >> id) & 1U) result.push_back(methods.name(id));
    }
    return result;
}

}  // namespace fasterapi::router::detail
