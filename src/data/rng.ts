/**
 * The seeded generator behind every random choice of data and training:
 * sfc32 (Chris Doty-Humphrey's small fast chaotic generator, 128-bit state,
 * passes PractRand), seeded through splitmix32. Its whole state is plain
 * numbers, so a checkpoint restores it exactly and the stream continues.
 */
export interface RngState {
  /** The four 32-bit words of sfc32, each an integer in [0, 2^32). */
  readonly words: readonly [number, number, number, number];
  /** The second normal of the last Box-Muller pair, not yet returned. */
  readonly spare: number | null;
}

const TWO_POW_32 = 4294967296;

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private spare: number | null = null;

  /**
   * `seed` is any safe integer (negative ones too); `stream` names an
   * independent stream of the same seed, e.g. "sprites/test".
   */
  constructor(seed: number, stream = "") {
    if (!Number.isSafeInteger(seed)) throw new Error(`internal: seed ${seed} is not a safe integer`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    let s = splitmix32Mix(lo);
    s = splitmix32Mix(s ^ hi);
    s = splitmix32Mix(s ^ fnv1a(stream));
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      s = (s + 0x9e3779b9) | 0;
      words.push(splitmix32Mix(s));
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    // The first outputs of a freshly seeded sfc32 are weakly mixed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    // As PractRand's reference: tmp = a + b + counter++; c = rotl(c, 21) + tmp.
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), in steps of 2^-32. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** A standard normal draw (Box-Muller; the pair's second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const u1 = 1 - this.next(); // in (0, 1]: log stays finite
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Uniform integer in [0, n), without modulo bias; n an integer in [1, 2^32]. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new Error(`internal: int(${n}) needs 1 <= n <= 2^32`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }

  state(): RngState {
    return { words: [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0], spare: this.spare };
  }

  setState(state: RngState): void {
    if (!isRngState(state)) throw new Error("internal: not an RNG state");
    [this.a, this.b, this.c, this.d] = state.words.map((w) => w | 0) as [number, number, number, number];
    this.spare = state.spare;
  }
}

/** For readers of checkpoints: true when `x` is a state that `setState` accepts. */
export function isRngState(x: unknown): x is RngState {
  if (typeof x !== "object" || x === null) return false;
  const { words, spare } = x as { words?: unknown; spare?: unknown };
  if (!Array.isArray(words) || words.length !== 4) return false;
  if (!words.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32)) return false;
  return spare === null || (typeof spare === "number" && Number.isFinite(spare));
}

/** The output function of splitmix32 (a 32-bit finaliser with full avalanche). */
function splitmix32Mix(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  shuffleInPlace(p, rng);
  return p;
}

/** Shuffles in place (Fisher-Yates, from the end). */
export function shuffleInPlace(a: { length: number; [i: number]: number }, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
