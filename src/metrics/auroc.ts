/**
 * Area under the ROC curve of a score that should be higher for positives
 * (anomalies): the probability that a random positive scores above a random
 * negative, ties counted one half (Hanley and McNeil 1982; the Mann-Whitney
 * U statistic over n1 n0). Computed from mid-ranks in O(n log n).
 */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const n = scores.length;
  if (positive.length !== n) throw new Error("internal: scores and labels differ in length");
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    // Ranks start..end-1 (0-based) share their mean, 1-based: (start + 1 + end) / 2.
    const midRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) {
      if (positive[order[i]!]) {
        positives++;
        rankSum += midRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
