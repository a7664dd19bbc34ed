/** Numbers, shapes, counts and sizes as messages show them. */
/** A number as a message shows it: integers exactly, others to 5 significant digits (170.67). */
export function fmtNum(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return String(x);
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(5)));
}

export function fmtShape(s: readonly number[]): string {
  return `[${s.map(fmtNum).join(", ")}]`;
}

/** A large count with a readable magnitude: 784000000000000 -> "7.8e14". */
export function fmtCount(n: number): string {
  if (n < 1e6) return String(n);
  const e = Math.floor(Math.log10(n));
  return `${(n / 10 ** e).toFixed(1)}e${e}`;
}

/** Bytes in binary units: "3.7 GiB". */
export function fmtBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}
