"""PyTorch peer of bench/train-steps.ts: the models of bench/models/ in
PyTorch, same layer shapes, losses, Adam lr 1e-3 and batches (MNIST, read
from the raw float32 file the TypeScript side writes), timed the same way:
one optimizer step including reading the loss back, warm-up steps excluded,
median. With --epoch MODEL instead: one shuffled epoch of the whole file
(the VAE 784-400-40 at batch 100), its seconds and the process's peak
resident memory. Prints one JSON object per line. Run by `npm run bench`,
which sets OPENBLAS_NUM_THREADS=1 (and OPENBLAS_CORETYPE=SkylakeX on AVX-512 CPUs).

Initialisation follows PyTorch's defaults, not the tfjs target's: only the
shapes and the arithmetic of a step matter here.
"""
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn

EPS_CLIP = 1e-7  # the tfjs target's Bernoulli clip


def bernoulli_nll(x, r):
    """Binary cross-entropy summed over an example's features, mean over the batch."""
    p = r.clamp(EPS_CLIP, 1 - EPS_CLIP)
    per = -(x * torch.log(p) + (1 - x) * torch.log(1 - p))
    return per.reshape(x.shape[0], -1).sum(1).mean()


def mse(x, r):
    return (x - r).pow(2).reshape(x.shape[0], -1).sum(1).mean()


def dense_trunk():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU())


def dense_decoder():
    return nn.Sequential(nn.Linear(32, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 784), nn.Sigmoid())


class Ae(nn.Module):
    """784-512-256-32-256-512-784, relu, sigmoid output, Bernoulli loss."""

    def __init__(self):
        super().__init__()
        self.encoder = dense_trunk()
        self.bottleneck = nn.Linear(256, 32)
        self.decoder = dense_decoder()

    def loss(self, x):
        r = self.decoder(self.bottleneck(self.encoder(x))).reshape(x.shape)
        return bernoulli_nll(x, r)

    def after_step(self):
        pass


class Vae(nn.Module):
    """The same shape with gaussian(32): two heads, reparameterised sample, KL summed over units, mean over the batch."""

    def __init__(self):
        super().__init__()
        self.encoder = dense_trunk()
        self.mean = nn.Linear(256, 32)
        self.logvar = nn.Linear(256, 32)
        self.decoder = dense_decoder()

    def loss(self, x):
        h = self.encoder(x)
        mu, lv = self.mean(h), self.logvar(h)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        r = self.decoder(z).reshape(x.shape)
        kl = (0.5 * (mu.pow(2) + lv.exp() - 1 - lv)).mean(0).sum()
        return bernoulli_nll(x, r) + kl

    def after_step(self):
        pass


class VqVae(nn.Module):
    """specs/vqvae.aespec: conv encoder, dense projection to 64, 512 codes with EMA 0.99 and dead-code restarts, deconv decoder, mse + 0.25 commitment."""

    K, D, DECAY, SMOOTH, DEAD = 512, 64, 0.99, 1e-5, 0.01

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU())
        self.projection = nn.Linear(64, self.D)
        self.decoder = nn.Sequential(nn.ConvTranspose2d(64, 64, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Sigmoid())
        bound = (3 / self.D) ** 0.5
        self.register_buffer("codebook", torch.empty(self.K, self.D).uniform_(-bound, bound))
        self.register_buffer("ema_count", torch.ones(self.K))
        self.register_buffer("ema_sum", self.codebook.clone())
        self.pending = None

    def loss(self, x):
        # x is [B, 28, 28, 1] like the tfjs batch; convolutions want [B, 1, 28, 28].
        h = self.encoder(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)  # [B, 7, 7, 64]
        encoded = self.projection(h)
        flat = encoded.reshape(-1, self.D)
        dist = flat.pow(2).sum(1, keepdim=True) - 2 * flat @ self.codebook.t() + self.codebook.pow(2).sum(1)
        indices = dist.argmin(1)
        codes = self.codebook[indices].reshape(encoded.shape)
        quantized = encoded + (codes - encoded).detach()
        r = self.decoder(quantized.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)
        commitment = 0.25 * (encoded - codes.detach()).pow(2).sum(-1).mean()
        self.pending = (flat.detach(), indices)
        return mse(x, r) + commitment

    @torch.no_grad()
    def after_step(self):
        flat, indices = self.pending
        self.pending = None
        one_hot = torch.nn.functional.one_hot(indices, self.K).to(flat.dtype)
        n = self.ema_count * self.DECAY + one_hot.sum(0) * (1 - self.DECAY)
        m = self.ema_sum * self.DECAY + (one_hot.t() @ flat) * (1 - self.DECAY)
        total = n.sum()
        smoothed = (n + self.SMOOTH) / (total + self.K * self.SMOOTH) * total
        self.ema_count.copy_(n)
        self.ema_sum.copy_(m)
        self.codebook.copy_(m / smoothed.unsqueeze(1))
        # Restarts read the usage on the host every step, as the tfjs target does.
        use = self.ema_count.tolist()
        mean = sum(use) / self.K
        dead = [k for k, u in enumerate(use) if u < self.DEAD * mean]
        if dead:
            rows = torch.randperm(flat.shape[0])[: len(dead)]
            idx = torch.tensor(dead)
            self.codebook[idx] = flat[rows]
            self.ema_sum[idx] = flat[rows]
            self.ema_count[idx] = 1.0


class ConvVae(nn.Module):
    """bench/models/convvae.aespec: conv 32 and 64 (kernel 4, stride 2, same) to [7, 7, 64], gaussian(32), dense 3136, deconv 32 and 1; Bernoulli and kl."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Flatten())
        self.mean = nn.Linear(3136, 32)
        self.logvar = nn.Linear(3136, 32)
        self.project = nn.Sequential(nn.Linear(32, 3136), nn.ReLU())
        self.decoder = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Sigmoid())

    def loss(self, x):
        h = self.encoder(x.permute(0, 3, 1, 2))
        mu, lv = self.mean(h), self.logvar(h)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        r = self.decoder(self.project(z).reshape(-1, 64, 7, 7)).permute(0, 2, 3, 1)
        kl = (0.5 * (mu.pow(2) + lv.exp() - 1 - lv)).mean(0).sum()
        return bernoulli_nll(x, r) + kl

    def after_step(self):
        pass


class Vae400(nn.Module):
    """bench/models/vae400.aespec: 784-400-40 with gaussian(40), the epoch figure's model."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(784, 400), nn.ReLU())
        self.mean = nn.Linear(400, 40)
        self.logvar = nn.Linear(400, 40)
        self.decoder = nn.Sequential(nn.Linear(40, 400), nn.ReLU(), nn.Linear(400, 784), nn.Sigmoid())

    def loss(self, x):
        h = self.encoder(x)
        mu, lv = self.mean(h), self.logvar(h)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        r = self.decoder(z).reshape(x.shape)
        kl = (0.5 * (mu.pow(2) + lv.exp() - 1 - lv)).mean(0).sum()
        return bernoulli_nll(x, r) + kl

    def after_step(self):
        pass


MODELS = {"ae": Ae, "vae": Vae, "vqvae": VqVae, "convvae": ConvVae, "vae400": Vae400}


def hand_written_step(model):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x):
        opt.zero_grad(set_to_none=True)
        loss = model.loss(x)
        loss.backward()
        opt.step()
        model.after_step()
        return loss.item()  # the tfjs step reads its losses back every step too

    return step


def generated_trainer(package):
    """The aespec PyTorch target's trainer of a generated package (aespec compile --emit pytorch), on the CPU.
    Every package's runtime is the same: the first one's is imported."""
    sys.path.insert(0, package)
    from aespec_torch.trainer import Trainer

    t = Trainer(package, argparse.Namespace(device="cpu", events=False, data=None))
    t.init_weights()
    return t


def generated_step(package):
    """One step as the generated trainer's epoch loop takes it on the CPU: forward, the losses read back, the update, the latent statistics."""
    t = generated_trainer(package)
    from aespec_torch.optim import Optimizer
    from aespec_torch.rng import Rng
    from aespec_torch.stats import latent_stats

    opt = Optimizer(t.train_cfg["optimizer"], t.trainable())
    noise = t.noise_for(Rng(t.train_cfg["seed"], "train"))
    stats = latent_stats(t.ir["bottleneck"])
    t.model.train()

    def step(x):
        out, values, objective = t.forward_step(x, noise, 1.0)
        host = values.tolist()
        t.update(objective, opt, noise)
        stats.add(out)
        return host[0]

    return step


def time_steps(step_of, batches, warmup, min_steps, min_seconds):
    i = 0

    def step():
        nonlocal i
        x = batches[i % len(batches)]
        t0 = time.perf_counter()
        value = step_of(x)
        dt = time.perf_counter() - t0
        if value != value or value in (float("inf"), float("-inf")):
            raise RuntimeError(f"loss not finite at step {i}")
        i += 1
        return dt * 1000

    for _ in range(warmup):
        step()
    times = []
    started = time.perf_counter()
    while len(times) < min_steps or time.perf_counter() - started < min_seconds:
        times.append(step())
    return statistics.median(times), len(times)


def peak_rss_kb():
    """The process's resident-set high-water mark (VmHWM), in KiB; None where /proc is absent."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def time_generated_epoch(package, data):
    """One epoch of the generated trainer's own loop (Trainer.epoch: shuffled order, every step, latent statistics, the epoch's metrics), after an epoch of warm-up on the first batches."""
    t = generated_trainer(package)
    from aespec_torch.optim import Optimizer

    opt = Optimizer(t.train_cfg["optimizer"], t.trainable())
    t.epoch(t.fresh_state(), data[: 3 * t.train_cfg["batch"]], None, opt)
    started = time.perf_counter()
    r = t.epoch(t.fresh_state(), data, None, opt)
    seconds = time.perf_counter() - started
    if r["kind"] != "done":
        raise RuntimeError(f"the generated trainer's epoch ended {r['kind']}")
    return seconds, r["metrics"]["steps"]


def time_epoch(model, data, batch, warmup):
    """One epoch in a fresh order, each batch gathered like the tfjs trainer's, after `warmup` steps on the first batches."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x):
        opt.zero_grad(set_to_none=True)
        loss = model.loss(x)
        loss.backward()
        opt.step()
        model.after_step()
        return loss.item()

    for i in range(warmup):
        step(data[i * batch : (i + 1) * batch])
    order = torch.randperm(data.shape[0])
    started = time.perf_counter()
    steps = 0
    for start in range(0, data.shape[0], batch):
        value = step(data.index_select(0, order[start : start + batch]))
        if value != value:
            raise RuntimeError(f"loss not finite at step {steps}")
        steps += 1
    return time.perf_counter() - started, steps


def blas_library():
    """The BLAS shared object actually mapped (Debian's libblas.so.3 is an alternative)."""
    try:
        with open("/proc/self/maps") as f:
            names = {line.split()[-1].rsplit("/", 1)[-1] for line in f if "blas" in line}
        return ", ".join(sorted(names)) or "none mapped"
    except OSError:
        return "unknown"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="raw float32 [n, 28, 28, 1] MNIST images")
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--batches", type=int, required=True)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--min-steps", type=int, default=21)
    p.add_argument("--min-seconds", type=float, default=2.0)
    p.add_argument("--models", default="ae,vae,vqvae,convvae")
    p.add_argument("--epoch", help="time one epoch of this model over the whole data file instead")
    p.add_argument("--package", action="append", default=[], metavar="MODEL=DIR", help="also time the aespec PyTorch target's package of MODEL in DIR")
    a = p.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(7)
    with open(a.data, "rb") as f:
        raw = bytearray(f.read())
    data = torch.frombuffer(raw, dtype=torch.float32).reshape(-1, 28, 28, 1)
    batches = [data[i * a.batch : (i + 1) * a.batch].contiguous() for i in range(a.batches)]
    # Touch torch.matmul once so the BLAS library is loaded before it is named.
    torch.ones(2, 2) @ torch.ones(2, 2)
    print(json.dumps({"info": f"torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS {blas_library()}"}), flush=True)
    packages = dict(p.split("=", 1) for p in a.package)
    if a.epoch is not None:
        if a.epoch in packages:
            seconds, steps = time_generated_epoch(packages[a.epoch], data)
            print(json.dumps({"epoch": a.epoch, "generated": True, "seconds": seconds, "steps": steps, "examples": data.shape[0], "peakKb": peak_rss_kb()}), flush=True)
            return
        seconds, steps = time_epoch(MODELS[a.epoch](), data, a.batch, a.warmup)
        print(json.dumps({"epoch": a.epoch, "seconds": seconds, "steps": steps, "examples": data.shape[0], "peakKb": peak_rss_kb()}), flush=True)
        return
    for name in a.models.split(","):
        ms, steps = time_steps(hand_written_step(MODELS[name]()), batches, a.warmup, a.min_steps, a.min_seconds)
        print(json.dumps({"model": name, "ms": ms, "steps": steps}), flush=True)
        if name in packages:
            ms, steps = time_steps(generated_step(packages[name]), batches, a.warmup, a.min_steps, a.min_seconds)
            print(json.dumps({"model": name, "generated": True, "ms": ms, "steps": steps}), flush=True)


if __name__ == "__main__":
    main()
