// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/tree_jumps.cpp: the jump tables of the lookup form (see jump_slot)
//
// A table of 1,000 REST routes branches under `/api/v` into versions, then into 27 resource
// names, many of which share first letters (`a` -> `ccounts/`, `l` -> `bums/`, `erts/`): its
// lookups stepped through two or three nodes that only chose a branch before the one holding
// the name, a tenth more instructions than in a table of 100 routes, and each step waits for
// the one before. A node gets a jump table where the next jump_key_bytes bytes always lead
// through such nodes: every way down from its static children either passes only nodes that
// branch (no leaf, no parameter, no merged '/') in those bytes or reaches a node whose prefix
// covers the last of them. Anything else (a route ending or a parameter inside those bytes)
// and the node keeps the plain walk. Paths with fewer bytes left take the plain walk too,
// which the node keeps beside its table.
#include <string>
#include <string_view>

#include "core/tree.hpp"

namespace fasterapi::router::detail {

namespace {

bool only_branches(const lookup_node& n) {
    return n.leaf == no_index && n.flags == 0 && n.param_mask == 0 && n.child_count > 0;
}

class jump_collector {
public:
    explicit jump_collector(const tree& t) : _tree(t) {}

    // The jumps from node N's static children; false when N cannot have a table.
    bool collect_from(const lookup_node& n) {
        jumps.clear();
        passed.clear();
        for (std::uint32_t slot = 0; slot < n.child_count; ++slot) {
            if (!collect(n.first_child + slot, "")) return false;
        }
        return true;
    }

    std::vector<jump_slot> jumps;       // key and target of every way down
    std::vector<std::uint32_t> passed;  // the branching nodes the jumps step over

private:
    // The jumps down from node ID, which starts after the key bytes in BEFORE.
    bool collect(std::uint32_t id, std::string before) {
        const lookup_node& n = _tree.lookup_nodes[id];
        const std::string_view prefix(_tree.lookup_text.data() + n.prefix_offset, n.prefix_length);
        const std::size_t offset = before.size();
        if (offset + prefix.size() >= jump_key_bytes) {  // the key ends inside this prefix
            if (id >= no_index >> 2) return false;       // no room for it in jump_slot
            before.append(prefix.substr(0, jump_key_bytes - offset));
            jumps.push_back(
                {jump_key(before.data()), id << 2 | static_cast<std::uint32_t>(offset)});
            return true;
        }
        if (prefix.empty() || !only_branches(n)) return false;
        passed.push_back(id);
        before.append(prefix);
        for (std::uint32_t slot = 0; slot < n.child_count; ++slot) {
            if (!collect(n.first_child + slot, before)) return false;
        }
        return true;
    }

    const tree& _tree;
};

}  // namespace

void tree::freeze_jumps() const {
    std::vector<jump_slot> tables;
    // Nodes a table steps over are reached only by paths too short for it: no table of theirs.
    std::vector<bool> stepped_over(lookup_nodes.size(), false);
    jump_collector collector(*this);
    for (std::uint32_t id = 0; id < lookup_nodes.size(); ++id) {
        lookup_node& n = lookup_nodes[id];
        if (stepped_over[id] || (n.flags & leaf_before_slash_flag) != 0) continue;
        if (!collector.collect_from(n) || collector.passed.empty()) continue;  // nothing to skip
        for (const std::uint32_t passed : collector.passed) stepped_over[passed] = true;
        std::uint32_t bits = 1;  // at most half full: a miss ends at an empty slot
        while ((std::size_t{1} << bits) < 2 * collector.jumps.size()) ++bits;
        n.first_jump = static_cast<std::uint32_t>(tables.size());
        n.flags |= jump_flag;
        tables.push_back({bits, 0});
        const std::size_t first_slot = tables.size();
        tables.resize(first_slot + (std::size_t{1} << bits), {0, no_index});
        const std::uint32_t mask = (1U << bits) - 1U;
        for (const jump_slot& jump : collector.jumps) {
            std::uint32_t i = jump_hash(jump.key, bits);
            while (tables[first_slot + i].target != no_index) i = (i + 1) & mask;
            tables[first_slot + i] = jump;
        }
    }
    lookup_jumps = std::move(tables);
}

}  // namespace fasterapi::router::detail
