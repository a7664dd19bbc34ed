"""aespec's seeded generator (src/data/rng.ts), bit for bit: sfc32 seeded
through splitmix32, with named streams. The trainer draws each epoch's data
order from the "shuffle" stream exactly as the tfjs target does, and seeds
torch's own generator for the epoch's noise from the "train" stream, so a
checkpoint's two sfc32 states are all an exact resume needs."""
import math

TWO_POW_32 = 4294967296
M32 = 0xFFFFFFFF


def _imul(a, b):
    return (a * b) & M32


def _mix(x):
    z = x & M32
    z = _imul(z ^ (z >> 16), 0x85EBCA6B)
    z = _imul(z ^ (z >> 13), 0xC2B2AE35)
    return (z ^ (z >> 16)) & M32


def _fnv1a(s):
    h = 0x811C9DC5
    for ch in s:
        # charCodeAt reads UTF-16 code units.
        code = ord(ch)
        units = [code] if code < 0x10000 else [0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)]
        for u in units:
            h ^= u
            h = _imul(h, 0x01000193)
    return h & M32


class Rng:
    def __init__(self, seed=0, stream=""):
        lo = seed & M32
        hi = (seed // TWO_POW_32) & M32
        s = _mix(lo)
        s = _mix(s ^ hi)
        s = _mix(s ^ _fnv1a(stream))
        words = []
        for _ in range(4):
            s = (s + 0x9E3779B9) & M32
            words.append(_mix(s))
        self.a, self.b, self.c, self.d = words
        self.spare = None
        for _ in range(12):
            self.next_uint32()

    @staticmethod
    def from_state(state):
        r = Rng(0)
        r.set_state(state)
        return r

    def next_uint32(self):
        a, b, c, d = self.a, self.b, self.c, self.d
        t = (a + b + d) & M32
        self.d = (d + 1) & M32
        self.a = b ^ (b >> 9)
        self.b = (c + (c << 3)) & M32
        self.c = ((((c << 21) | (c >> 11)) & M32) + t) & M32
        return t

    def next(self):
        return self.next_uint32() / TWO_POW_32

    def normal(self):
        if self.spare is not None:
            v = self.spare
            self.spare = None
            return v
        u1 = 1 - self.next()
        u2 = self.next()
        r = math.sqrt(-2 * math.log(u1))
        theta = 2 * math.pi * u2
        self.spare = r * math.sin(theta)
        return r * math.cos(theta)

    def int(self, n):
        limit = TWO_POW_32 - (TWO_POW_32 % n)
        while True:
            u = self.next_uint32()
            if u < limit:
                return u % n

    def state(self):
        return {"words": [self.a, self.b, self.c, self.d], "spare": self.spare}

    def set_state(self, state):
        words = state["words"]
        if len(words) != 4 or not all(isinstance(w, int) and 0 <= w < TWO_POW_32 for w in words):
            raise ValueError("not an RNG state")
        self.a, self.b, self.c, self.d = words
        self.spare = state["spare"]


def permutation(n, rng):
    """A uniformly random permutation of 0..n-1 (Fisher-Yates from the end), as src/data/rng.ts."""
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.int(i + 1)
        p[i], p[j] = p[j], p[i]
    return p
