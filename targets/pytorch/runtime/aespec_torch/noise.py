"""Where a training pass's random draws come from. `TorchNoise` draws with a
torch generator on the model's device (the trainer seeds it for every epoch
from aespec's "train" stream). `ReplayNoise` replays the draws another target
recorded (normals, uniforms and integers, each a stream in the order they were
drawn): the cross-target parity test feeds the tfjs target's noise through it."""
import numpy as np
import torch


class TorchNoise:
    def __init__(self, generator, device):
        self.generator = generator
        self.device = device

    def normal(self, shape):
        return torch.randn(tuple(shape), generator=self.generator, device=self.device)

    def uniform(self, shape):
        return torch.rand(tuple(shape), generator=self.generator, device=self.device)

    def keep_mask(self, shape, rate, kept):
        """Each entry 0 with probability rate, else kept."""
        u = self.uniform(shape)
        return torch.where(u < rate, torch.zeros((), device=self.device), torch.full((), kept, device=self.device))

    def salt_pepper(self, shape, rate):
        u = self.uniform(shape)
        return u >= rate, u < rate / 2

    def hidden_patches(self, batch, patches, hidden):
        """[batch, hidden] patch indices, each row `hidden` distinct patches chosen uniformly."""
        return torch.rand((batch, patches), generator=self.generator, device=self.device).argsort(1)[:, :hidden]

    def restart_rows(self, rows, dead):
        """For each code, the row of the batch's encoder outputs it restarts from (read where dead):
        distinct rows while the batch has enough of them, no host synchronisation."""
        perm = torch.randperm(rows, generator=self.generator, device=self.device)
        rank = torch.cumsum(dead.long(), 0) - 1
        return perm[rank.clamp(min=0) % rows]


class ReplayNoise:
    """Draws read from `folder`: normals.bin (float32), uniforms.bin (float64), ints.bin (uint32)."""

    def __init__(self, folder, device):
        self.normals = np.fromfile(f"{folder}/normals.bin", dtype="<f4")
        self.uniforms = np.fromfile(f"{folder}/uniforms.bin", dtype="<f8")
        self.ints = np.fromfile(f"{folder}/ints.bin", dtype="<u4").astype(np.int64)
        self.at = {"normals": 0, "uniforms": 0, "ints": 0}
        self.device = device

    def _take(self, name, n):
        data = getattr(self, name)
        start = self.at[name]
        if start + n > len(data):
            raise RuntimeError(f"replay: the recorded {name} ran out ({len(data)} recorded, {start + n} wanted)")
        self.at[name] = start + n
        return data[start : start + n]

    def normal(self, shape):
        n = int(np.prod(shape))
        return torch.from_numpy(self._take("normals", n).copy()).reshape(tuple(shape)).to(self.device)

    def _uniform64(self, shape):
        return self._take("uniforms", int(np.prod(shape))).reshape(tuple(shape))

    def uniform(self, shape):
        return torch.from_numpy(self._uniform64(shape).astype(np.float32)).to(self.device)

    def keep_mask(self, shape, rate, kept):
        u = self._uniform64(shape)
        return torch.from_numpy(np.where(u < rate, 0.0, kept).astype(np.float32)).to(self.device)

    def salt_pepper(self, shape, rate):
        u = self._uniform64(shape)
        return torch.from_numpy(u >= rate).to(self.device), torch.from_numpy(u < rate / 2).to(self.device)

    def _int(self, n):
        # Recorded as drawn (already reduced to [0, n)).
        v = int(self._take("ints", 1)[0])
        if not 0 <= v < n:
            raise RuntimeError(f"replay: recorded integer {v} is not in [0, {n})")
        return v

    def hidden_patches(self, batch, patches, hidden):
        out = np.zeros((batch, hidden), dtype=np.int64)
        order = list(range(patches))
        for b in range(batch):
            # The first `hidden` places of a partial Fisher-Yates shuffle, the order carried across examples.
            for i in range(hidden):
                j = i + self._int(patches - i)
                order[i], order[j] = order[j], order[i]
                out[b, i] = order[i]
        return torch.from_numpy(out).to(self.device)

    def restart_rows(self, rows, dead):
        codes = dead.nonzero().flatten().tolist()
        n = len(codes)
        if n == 0:
            return torch.zeros(dead.shape[0], dtype=torch.long, device=self.device)
        if rows < n:
            picked = [self._int(rows) for _ in range(n)]
        else:
            pool = list(range(rows))
            for i in range(n):
                j = i + self._int(rows - i)
                pool[i], pool[j] = pool[j], pool[i]
            picked = pool[:n]
        out = torch.zeros(dead.shape[0], dtype=torch.long)
        out[torch.tensor(codes)] = torch.tensor(picked)
        return out.to(self.device)
