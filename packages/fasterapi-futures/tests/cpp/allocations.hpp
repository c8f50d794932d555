// SPDX-License-Identifier: MIT
// fasterapi-futures/tests/cpp/allocations.hpp: how many operator new calls the tests made
#pragma once

long allocations_so_far() noexcept;
