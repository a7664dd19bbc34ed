import type { Fix } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";

/**
 * "Did you mean": the closest candidate by edit distance (optimal string
 * alignment, so a swapped pair of letters costs 1), or null when nothing is
 * close enough to be a likely typo. Ties go to the earlier candidate, so the
 * answer is deterministic.
 */
export function suggest(name: string, candidates: readonly string[]): string | null {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, c, limit);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit && bestDistance < name.length ? best : null;
}

/**
 * A suggestion as a diagnostic's hint and its fix, the name written at `at`
 * replaced by the suggested one; undefined when nothing is close.
 */
export function suggestion(name: string, candidates: readonly string[], at: Span): { hint: string; fixes: Fix[] } | undefined {
  const s = suggest(name, candidates);
  if (s === null) return undefined;
  return { hint: `did you mean '${s}'?`, fixes: [{ title: `replace '${name}' with '${s}'`, edits: [{ span: at, text: s }] }] };
}

/** The hint text for a suggestion, or undefined when there is none. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  const s = suggest(name, candidates);
  return s === null ? undefined : `did you mean '${s}'?`;
}

/** Optimal string alignment distance; gives up (returns limit + 1) once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}
