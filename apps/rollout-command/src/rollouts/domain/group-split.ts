/**
 * Sizes of `amountGroups` auto-split groups: group i takes round-half-up of
 * remaining × 1/(N−i+1), so the last group takes the rest (3 targets in 5 groups → 1,1,0,1,0).
 */
export function autoSplitGroupSizes(totalTargets: number, amountGroups: number): number[] {
  const sizes: number[] = [];
  let remaining = totalTargets;
  for (let i = 1; i <= amountGroups; i++) {
    const size = Math.min(remaining, Math.floor(remaining / (amountGroups - i + 1) + 0.5));
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}
