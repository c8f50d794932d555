// SPDX-License-Identifier: MIT
// fasterapi-pg/include/fasterapi/pg/oids.hpp: the built-in type OIDs the codecs know
#pragma once

#include <cstdint>

namespace fasterapi::pg {

using oid = std::uint32_t;

/// Built-in type OIDs (fixed by PostgreSQL's catalog, pg_type.dat).
namespace oids {
inline constexpr oid boolean = 16;
inline constexpr oid bytea = 17;
inline constexpr oid char_ = 18;
inline constexpr oid name = 19;
inline constexpr oid int8 = 20;
inline constexpr oid int2 = 21;
inline constexpr oid int4 = 23;
inline constexpr oid text = 25;
inline constexpr oid oid_ = 26;
inline constexpr oid json = 114;
inline constexpr oid float4 = 700;
inline constexpr oid float8 = 701;
inline constexpr oid unknown = 705;
inline constexpr oid bpchar = 1042;
inline constexpr oid varchar = 1043;
inline constexpr oid date = 1082;
inline constexpr oid timestamp = 1114;
inline constexpr oid timestamptz = 1184;
inline constexpr oid numeric = 1700;
inline constexpr oid uuid = 2950;
inline constexpr oid jsonb = 3802;
inline constexpr oid time = 1083;
inline constexpr oid timetz = 1266;
inline constexpr oid interval = 1186;
inline constexpr oid inet = 869;
inline constexpr oid cidr = 650;
}  // namespace oids

}  // namespace fasterapi::pg
