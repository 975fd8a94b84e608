#pragma once
// StableSortUnlessSorted: std::stable_sort, after one linear pass that skips it when the range is
// sorted already. For lists that usually arrive in order (the controller's targets and endpoint
// identifiers come sorted by identifier): a merge sort of sorted input still costs n log n
// comparisons, here string comparisons.

#include <algorithm>

namespace sim {

template <typename It, typename Less>
void StableSortUnlessSorted(It first, It last, Less less) {
  if (!std::is_sorted(first, last, less)) std::stable_sort(first, last, less);
}

}  // namespace sim
