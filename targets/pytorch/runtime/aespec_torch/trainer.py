"""The trainer of a generated package: `python3 train.py --out RUN` (see the
package's README.md). It trains the model of model.py on the package's data
with the tfjs target's epoch loop (train/epoch-loop.ts): the data order of
each epoch from aespec's "shuffle" stream, the learning rate of every step,
the KL warm-up's progress, example-weighted term means, the validation
objective, the latent statistics, early stopping; and writes the run
directory of the shared run contract (ir.json, spec.aespec, metrics.jsonl,
checkpoint/, best/) that aespec's eval, report, export and encode read."""
import argparse
import importlib.util
import json
import math
import os
import sys
import time

import numpy as np
import torch

from . import distributed as ddp
from .autoencoder import Run
from .checkpoint import CheckpointError, read_checkpoint, write_checkpoint
from .losses import factors, term_values
from .noise import ReplayNoise, TorchNoise
from .optim import Optimizer, learning_rate_at
from .rng import Rng, permutation
from .run_dir import acquire_lock, release_lock, write_file
from .stats import latent_stats

PROGRESS_SECONDS = 10.0
# At most this many points of an epoch's step curve (CURVE_POINTS of src/run/metrics.ts).
CURVE_POINTS = 50
EXIT_DIVERGED = 3
EXIT_REFUSED = 2


def _package_root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load_generated(root):
    spec = importlib.util.spec_from_file_location("aespec_generated_model", os.path.join(root, "model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _seed_from(rng):
    """A 63-bit seed for torch's generator, drawn from an aespec stream."""
    return ((rng.next_uint32() << 32) | rng.next_uint32()) & ((1 << 63) - 1)


class Events:
    """Progress as JSON lines on standard output (--events, read by `aespec train --target pytorch`), or as text."""

    def __init__(self, as_json, silent=False):
        self.as_json = as_json
        # Ranks other than 0 under torchrun say nothing.
        self.silent = silent

    def emit(self, kind, **fields):
        if self.silent:
            return
        if self.as_json:
            sys.stdout.write(json.dumps({"event": kind, **fields}) + "\n")
            sys.stdout.flush()
        elif kind == "epoch":
            m = fields["metrics"]
            terms = "  ".join(f"{k} {v:.4f}" for k, v in m["train"]["terms"].items())
            val = "" if m["validation"] is None else f"  validation {m['validation']['total']:.4f}"
            print(f"epoch {m['epoch']}: loss {m['train']['total']:.4f}  {terms}{val}  {m['examplesPerSecond']:.0f} ex/s", flush=True)
        elif kind == "step":
            print(f"epoch {fields['epoch']} step {fields['step']}/{fields['steps']}: loss {fields['total']:.4f}", flush=True)
        elif kind in ("error", "diverged"):
            print(f"error: {fields['message']}", file=sys.stderr, flush=True)
        elif kind == "start":
            print(f"training {fields['model']}: {fields['trainExamples']} examples, {fields['stepsPerEpoch']} steps an epoch, on {fields['device']}", flush=True)


class Trainer:
    def trained_by(self):
        """What trains the run, as every epoch's metrics line records it (the tfjs target's `trainedBy`)."""
        procs = f", {self.dist.size} processes" if self.dist is not None and self.dist.size > 1 else ""
        return {"aespec": self.meta.get("aespec", "unknown"), "target": "pytorch", "runtime": f"PyTorch {torch.__version__} ({self.device.type}{procs})"}

    def __init__(self, root, args):
        self.root = root
        self.args = args
        with open(os.path.join(root, "aespec.json")) as f:
            self.meta = json.load(f)
        with open(os.path.join(root, "ir.json")) as f:
            self.ir = json.load(f)
        self.generated = _load_generated(root)
        self.train_cfg = self.ir["train"]
        world = ddp.world_from_env() if getattr(args, "distributed", True) else None
        self.device = self._device(args.device, world)
        self.dist = None
        if world is not None:
            ddp.init(world, self.device.type == "cuda")
            self.dist = ddp.Distributed(world, self.device)
        self.is_main = self.dist is None or self.dist.is_main
        self.events = Events(args.events, silent=not self.is_main)
        self.model = self.generated.build_model().to(self.device)
        self.losses = self.generated.LOSSES
        self.contractive = any(t["kind"] == "contractive" for t in self.losses)
        self.tensors = self._check_tensors()

    def _device(self, name, world):
        if name == "auto":
            name = "cuda" if torch.cuda.is_available() else "cpu"
        if name == "cuda" and not torch.cuda.is_available():
            raise SystemExit("error: --device cuda, but torch sees no CUDA device (torch.cuda.is_available() is False)")
        if name == "cuda" and world is not None:
            return torch.device("cuda", world["local_rank"])
        return torch.device(name)

    def _check_tensors(self):
        """The model's tensors against the IR's parameter table: the same names, shapes and trainability, in checkpoint order."""
        params = dict(self.model.named_parameters())
        buffers = dict(self.model.named_buffers())
        table = self.meta["parameters"]
        names = [p["name"] for p in table]
        if set(names) != set(params) | set(buffers):
            extra = sorted((set(params) | set(buffers)) - set(names))
            missing = sorted(set(names) - (set(params) | set(buffers)))
            raise RuntimeError(f"internal: the model's tensors differ from the IR's table: extra {extra}, missing {missing}")
        out = []
        for p in table:
            t = params.get(p["name"], buffers.get(p["name"]))
            if list(t.shape) != p["shape"] or (p["name"] in params) != p["trainable"]:
                raise RuntimeError(f"internal: tensor {p['name']} is {list(t.shape)}, the IR's table says {p['shape']}")
            out.append((p["name"], t))
        return out

    def init_weights(self):
        """The initial weights, drawn on the CPU by a generator seeded from aespec's "init" stream."""
        g = torch.Generator()
        g.manual_seed(_seed_from(Rng(self.train_cfg["seed"], "init")))
        self.model.cpu()
        self.model.init(g)
        self.model.to(self.device)

    def trainable(self):
        return [(n, t) for n, t in self.tensors if isinstance(t, torch.nn.Parameter)]

    def load_weights(self, weights):
        for name, t in self.tensors:
            w = weights.get(name)
            if w is None or list(w.shape) != list(t.shape):
                raise CheckpointError(f"its weights have no tensor {name} of shape {list(t.shape)}")
            with torch.no_grad():
                t.copy_(w.to(t.device))

    def data(self):
        files = self.meta["data"]
        base = self.args.data or os.path.join(self.root, "data")

        def load(name):
            if name is None:
                return None
            a = np.load(os.path.join(base, name), mmap_mode="r")
            if list(a.shape[1:]) != self.ir["input"]["shape"]:
                raise SystemExit(f"error: {name} holds examples of shape {list(a.shape[1:])}, the model takes {self.ir['input']['shape']}")
            return torch.from_numpy(np.array(a, dtype=np.float32)).to(self.device)

        return load(files["train"]), load(files.get("validation"))

    def fresh_state(self):
        seed = self.train_cfg["seed"]
        return {
            "epoch": 0,
            "step": 0,
            "rng": {"train": Rng(seed, "train").state(), "shuffle": Rng(seed, "shuffle").state()},
            "earlyStop": {"best": None, "bestEpoch": 0, "badEpochs": 0},
            "collapsed": {"posterior": False, "codebook": False, "spread": False},
        }

    def noise_for(self, rng_stream):
        g = torch.Generator(device=self.device)
        g.manual_seed(_seed_from(rng_stream))
        return TorchNoise(g, self.device)

    def agree(self, ok):
        """True when every rank says so (alone: ok)."""
        if self.dist is None:
            return ok
        flag = torch.tensor([1 if ok else 0], device=self.device)
        torch.distributed.all_reduce(flag, op=torch.distributed.ReduceOp.MIN)
        return bool(flag.item())

    def slice_of(self, rows, noise):
        """This process's rows of a global batch (its order's indices) and the noise its forward pass draws: all of
        them alone; under torchrun its contiguous slice, with the whole batch's draws sliced (distributed.py)."""
        if self.dist is None:
            return rows, noise
        start, stop = self.dist.batch(rows.shape[0])
        return rows[start:stop], ddp.SlicedNoise(noise, self.dist, start, stop)

    def forward_terms(self, x, run, progress, noise):
        """The outputs (of the whole global batch under torchrun), each term, the total and the objective."""
        out = self.model(x, run)
        if self.dist is not None:
            out = self.dist.gather_outputs(out)
        terms = term_values(self.losses, out, noise)
        fs = factors(self.losses, progress)
        total = sum(terms[1:], terms[0])
        objective = sum((t * f if f != 1 else t for t, f in zip(terms[1:], fs[1:])), terms[0] * fs[0] if fs[0] != 1 else terms[0])
        return out, terms, total, objective

    def forward_step(self, x, noise, progress, pass_noise=None):
        """A training step's forward pass on batch x: the outputs, [total, objective, *terms] (detached, on the device) and the objective."""
        run = Run(True, noise if pass_noise is None else pass_noise, distributed=self.dist, jacobian=self.contractive)
        out, terms, total, objective = self.forward_terms(x, run, progress, noise)
        return out, torch.stack([total.detach(), objective.detach(), *[t.detach() for t in terms]]), objective

    def update(self, objective, opt, noise):
        """A training step's update: the gradients of the objective (summed over ranks under torchrun), the optimizer's step, the bottleneck's own (VQ's EMA, restarts)."""
        opt.zero_grad()
        objective.backward()
        if self.dist is not None:
            self.dist.sum_gradients([t for _, t in self.trainable()])
        opt.step()
        self.model.after_step(noise, self.dist)

    def epoch(self, state, train, validation, opt, replay=None, step_log=None, step_limit=None):
        cfg = self.train_cfg
        batch = cfg["batch"]
        n = train.shape[0]
        steps = math.ceil(n / batch)
        shuffle = Rng.from_state(state["rng"]["shuffle"])
        rng = Rng.from_state(state["rng"]["train"])
        order = torch.tensor(permutation(n, shuffle), dtype=torch.long, device=self.device)
        noise = replay if replay is not None else self.noise_for(rng)
        kinds = [t["kind"] for t in self.losses]
        scheduled = any(f < 1 for f in factors(self.losses, 0))
        stats = latent_stats(self.ir["bottleneck"])
        sums = torch.zeros(2 + len(kinds), dtype=torch.float64, device=self.device)
        # The step curve (src/run/metrics.ts StepCurve, src/target/step-curve.ts): windows of
        # ceil(steps / CURVE_POINTS) steps, summed on the device and read once, at the epoch's end.
        window = max(1, math.ceil(steps / CURVE_POINTS))
        curve_sums = torch.zeros(math.ceil(steps / window), 2 + len(kinds), dtype=torch.float64, device=self.device)
        curve_examples = [0] * curve_sums.shape[0]
        read_every = 1 if self.device.type == "cpu" else 50
        started = time.time()
        last_print = started
        seen = 0
        self.model.train()
        for i in range(steps):
            size = min(batch, n - i * batch)
            rows, pass_noise = self.slice_of(order[seen : seen + size], noise)
            x = train.index_select(0, rows)
            opt.lr = learning_rate_at(cfg["schedule"], cfg["optimizer"]["lr"], state["step"] + i, steps, cfg["epochs"])
            progress = state["epoch"] + i / steps
            out, values, objective = self.forward_step(x, noise, progress, pass_noise)
            if i % read_every == 0 or i == steps - 1 or step_log is not None:
                host = values.tolist()
                bad = next((k for k, v in zip(["total", "objective", *kinds], host) if not math.isfinite(v)), None)
                if bad is not None:
                    culprit = "total" if bad == "objective" else bad
                    return {"kind": "diverged", "culprit": culprit, "batch": i + 1, "batches": steps, "value": host[0]}
                if step_log is not None:
                    step_log.append(host)
                now = time.time()
                if self.args.events or now - last_print >= PROGRESS_SECONDS:
                    last_print = now
                    self.events.emit(
                        "step",
                        epoch=state["epoch"] + 1,
                        step=i + 1,
                        steps=steps,
                        total=host[0],
                        terms=dict(zip(kinds, host[2:])),
                        **({"objective": host[1]} if scheduled else {}),
                        examplesPerSecond=(seen + size) / max(now - started, 1e-9),
                    )
            self.update(objective, opt, noise)
            if validation is None:
                stats.add(out)
            sums += values.double() * size
            curve_sums[i // window] += values.double() * size
            curve_examples[i // window] += size
            seen += size
            if step_limit is not None and len(step_log) >= step_limit:
                return {"kind": "stopped"}
        train_seconds = time.time() - started
        means = sums.tolist()
        train_means = {"total": means[0] / n, "terms": {k: v / n for k, v in zip(kinds, means[2:])}}
        if scheduled:
            train_means["objective"] = means[1] / n
        validation_means = None
        if validation is not None:
            v = self.validate(validation, stats, state["epoch"])
            if v["kind"] == "diverged":
                return v
            validation_means = v["means"]
        epoch = state["epoch"] + 1
        monitor_on = "validation" if validation_means is not None else "train"
        monitored = (validation_means or train_means)["total"]
        es = state["earlyStop"]
        improved = es["best"] is None or monitored < es["best"]
        early = {"best": monitored, "bestEpoch": epoch, "badEpochs": 0} if improved else {**es, "badEpochs": es["badEpochs"] + 1}
        metrics = {
            "epoch": epoch,
            "steps": steps,
            "examples": n,
            "seconds": time.time() - started,
            "examplesPerSecond": n / max(train_seconds, 1e-9),
            "trainedBy": self.trained_by(),
            "lr": learning_rate_at(cfg["schedule"], cfg["optimizer"]["lr"], state["step"] + steps - 1, steps, cfg["epochs"]),
        }
        kl = next((t for t in self.losses if t["kind"] == "kl"), None)
        if kl is not None:
            from .losses import kl_factor

            metrics["klWeight"] = kl["beta"] * kl_factor(kl, state["epoch"] + (steps - 1) / steps)
        cs = curve_sums.tolist()
        curve = {
            "at": [round((state["epoch"] + min((w + 1) * window, steps) / steps) * 1e6) / 1e6 for w in range(len(cs))],
            "examples": curve_examples,
            "total": [row[0] / e for row, e in zip(cs, curve_examples)],
            "terms": {k: [row[2 + j] / e for row, e in zip(cs, curve_examples)] for j, k in enumerate(kinds)},
        }
        metrics.update({"train": train_means, "curve": curve, "validation": validation_means, "statsOn": monitor_on})
        metrics.update(stats.result())
        metrics["monitor"] = {"on": monitor_on, "value": monitored, "bestEpoch": early["bestEpoch"]}
        new_state = {
            "epoch": epoch,
            "step": state["step"] + steps,
            "rng": {"train": rng.state(), "shuffle": shuffle.state()},
            "earlyStop": early,
            "collapsed": state["collapsed"],
        }
        return {"kind": "done", "state": new_state, "metrics": metrics}

    @torch.no_grad()
    def validate(self, data, stats, epoch):
        batch = self.train_cfg["batch"]
        n = data.shape[0]
        noise = self.noise_for(Rng(self.train_cfg["seed"], f"evaluation/{epoch}"))
        kinds = [t["kind"] for t in self.losses]
        sums = torch.zeros(1 + len(kinds), dtype=torch.float64, device=self.device)
        self.model.eval()
        for start in range(0, n, batch):
            rows, pass_noise = self.slice_of(torch.arange(start, min(start + batch, n), device=self.device), noise)
            x = data.index_select(0, rows)
            run = Run(False, pass_noise, sample_latent=True, corrupt=True, distributed=self.dist, jacobian=self.contractive)
            out, terms, total, _ = self.forward_terms(x, run, math.inf, noise)
            sums += torch.stack([total, *terms]).double() * out["input"].shape[0]
            stats.add(out)
        self.model.train()
        means = sums.tolist()
        if not all(math.isfinite(v) for v in means):
            bad = next(k for k, v in zip(["total", *kinds], means) if not math.isfinite(v))
            return {"kind": "diverged", "culprit": bad, "batch": 0, "batches": 0, "value": means[0]}
        return {"kind": "means", "means": {"total": means[0] / n, "terms": {k: v / n for k, v in zip(kinds, means[1:])}}}


def _metrics_up_to(path, epoch):
    if not os.path.exists(path):
        return []
    keep = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                if json.loads(line).get("epoch", 0) <= epoch:
                    keep.append(line)
            except ValueError:
                pass
    return keep


def _batch_too_small(batch, world, train_rows, validation_rows):
    """Why the global batches cannot be split into one slice of at least one example per process, or None."""
    for what, n in (("training", train_rows), ("validation", validation_rows)):
        if n is None:
            continue
        last = n % batch or batch
        smallest = min(batch, n, last)
        if smallest < world:
            return f"{world} processes need at least {world} examples in every batch; the {what} set's {n} examples in batches of {batch} leave a batch of {smallest}"
    return None


def _refuse(events, message, code=EXIT_REFUSED):
    events.emit("error", message=message)
    return code


def _parent_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _lock_held_by_caller():
    """Whether the process that started this one (aespec, or aespec through torchrun) holds RUN/lock for it."""
    held = os.environ.get("AESPEC_LOCK_HELD")
    parent = os.getppid()
    return held is not None and held in (str(parent), str(_parent_of(parent)))


def train(args):
    root = _package_root()
    torch.set_num_threads(args.threads) if args.threads else None
    t = Trainer(root, args)
    try:
        if args.replay is not None:
            if t.dist is not None:
                return _refuse(t.events, "--replay runs in one process, not under torchrun")
            return replay_steps(t, args)
        return _train_run(t, args)
    finally:
        ddp.shutdown()


def _train_run(t, args):
    out = os.path.abspath(args.out)
    held_by_caller = _lock_held_by_caller()
    locked = True
    if t.is_main and not held_by_caller:
        holder = acquire_lock(out)
        locked = holder is None
    # Every rank learns whether rank 0 holds the run, so that none waits on a rank that refused.
    if not t.agree(locked):
        return _refuse(t.events, f"'{args.out}' is in use: process {holder} is writing to it")
    try:
        return _train_locked(t, args, out)
    finally:
        if t.is_main and not held_by_caller:
            release_lock(out)


def _train_locked(t, args, out):
    meta = t.meta
    opt = Optimizer(t.train_cfg["optimizer"], t.trainable())
    ckpt_dir = os.path.join(out, "checkpoint")
    refusal, m = None, None
    if args.resume:
        try:
            m, weights, opt_state = read_checkpoint(ckpt_dir)
            if m["resumeKey"] != meta["resumeKey"]:
                refusal = f"cannot resume '{args.out}': it was trained from a different spec of '{m['model']}'"
        except CheckpointError as e:
            refusal = f"cannot resume from '{args.out}': {e}"
    elif os.path.exists(ckpt_dir) or os.path.exists(os.path.join(out, "best")):
        refusal = f"'{args.out}' already holds a trained run: pass --resume to continue it, or choose another --out"
    # Under torchrun every rank reads the run (on a file system all of them see): all go on, or all refuse.
    if not t.agree(refusal is None):
        if refusal is not None and not t.is_main:
            print(f"error: rank {t.dist.rank}: {refusal}", file=sys.stderr, flush=True)
        return _refuse(t.events, refusal or "another process of this run cannot read it (it says why on its standard error)")
    if args.resume:
        t.load_weights(weights)
        opt.load(*opt_state)
        state = m["state"]
        lines = _metrics_up_to(os.path.join(out, "metrics.jsonl"), state["epoch"])
    else:
        if args.init_weights is not None:
            _, weights, _ = read_checkpoint(args.init_weights)
            t.load_weights(weights)
        else:
            t.init_weights()
        state = t.fresh_state()
        lines = []
        for name in ("ir.json", "spec.aespec") if t.is_main else ():
            with open(os.path.join(t.root, name), "rb") as f:
                write_file(out, name, f.read())
    if t.dist is not None:
        t.dist.broadcast_([x for _, x in t.tensors])
    train_data, validation = t.data()
    if t.dist is not None:
        short = _batch_too_small(t.train_cfg["batch"], t.dist.size, train_data.shape[0], None if validation is None else validation.shape[0])
        if short is not None:
            return _refuse(t.events, short)
    epochs = args.epochs if args.epochs is not None else t.train_cfg["epochs"]
    steps = math.ceil(train_data.shape[0] / t.train_cfg["batch"])
    t.events.emit(
        "start",
        model=meta["model"],
        startEpoch=state["epoch"],
        epochs=epochs,
        stepsPerEpoch=steps,
        trainExamples=train_data.shape[0],
        validationExamples=0 if validation is None else validation.shape[0],
        resumed=bool(args.resume),
        runDir=out,
        device=str(t.device),
        torch=torch.__version__,
    )
    patience = t.train_cfg["earlyStop"]
    status = "completed"
    while state["epoch"] < epochs:
        if patience is not None and state["earlyStop"]["badEpochs"] >= patience:
            status = "early_stopped"
            break
        r = t.epoch(state, train_data, validation, opt)
        if r["kind"] == "diverged":
            t.events.emit(
                "diverged",
                message=f"training diverged: the {r['culprit']} loss became {r['value']} at batch {r['batch']} of {r['batches']} of epoch {state['epoch'] + 1}; the last checkpoint holds epoch {state['epoch']}",
                **{k: v for k, v in r.items() if k != "kind"},
                epoch=state["epoch"] + 1,
            )
            return EXIT_DIVERGED
        state = r["state"]
        lines.append(json.dumps(r["metrics"]))
        weights = [(n, x) for n, x in t.tensors]
        improved = patience is not None and state["earlyStop"]["bestEpoch"] == state["epoch"]
        if t.is_main:
            write_file(out, "metrics.jsonl", "\n".join(lines) + "\n")
            ckpt_meta = {"model": meta["model"], "irHash": meta["irHash"], "resumeKey": meta["resumeKey"]}
            if improved:
                write_checkpoint(out, "best", ckpt_meta, state, weights, (opt.kind, *opt.state()))
            write_checkpoint(out, "checkpoint", ckpt_meta, state, weights, (opt.kind, *opt.state()))
        t.events.emit("epoch", metrics=r["metrics"])
    if patience is not None and state["earlyStop"]["badEpochs"] >= patience and state["epoch"] < t.train_cfg["epochs"]:
        status = "early_stopped"
    t.events.emit("done", status=status, epochs=state["epoch"], resultEpoch=state["earlyStop"]["bestEpoch"] if patience is not None else state["epoch"])
    return 0


def replay_steps(t, args):
    """Test mode: the first --steps optimizer steps from --init-weights with the recorded noise of --replay; each step's
    [total, objective, *terms] written to --step-losses as JSON. No run directory is written."""
    _, weights, _ = read_checkpoint(args.init_weights)
    t.load_weights(weights)
    opt = Optimizer(t.train_cfg["optimizer"], t.trainable())
    train_data, _ = t.data()
    noise = ReplayNoise(args.replay, t.device)
    state = t.fresh_state()
    log = []
    while len(log) < args.steps:
        r = t.epoch(state, train_data, None, opt, replay=noise, step_log=log, step_limit=args.steps)
        if r["kind"] == "diverged":
            break
        if r["kind"] == "done":
            state = r["state"]
    with open(args.step_losses, "w") as f:
        json.dump({"steps": log, "weights": {n: x.detach().cpu().reshape(-1)[:8].tolist() for n, x in t.tensors}}, f)
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="train.py", description="Train the model of this package (generated by aespec) into a run directory.")
    p.add_argument("--out", help="the run directory (required unless --replay)")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its checkpoint")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"], help="where to train (auto: cuda when torch sees one)")
    p.add_argument("--epochs", type=int, help="train until this many epochs (default: the spec's train.epochs)")
    p.add_argument("--data", help="the folder of the NPY files (default: the package's data/)")
    p.add_argument("--threads", type=int, help="torch's CPU threads (default: torch's choice)")
    p.add_argument("--events", action="store_true", help="progress as JSON lines on standard output (for aespec)")
    p.add_argument("--init-weights", help="start from the weights of this aespec checkpoint folder instead of drawing them")
    p.add_argument("--replay", help=argparse.SUPPRESS)
    p.add_argument("--steps", type=int, default=50, help=argparse.SUPPRESS)
    p.add_argument("--step-losses", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.replay is None and args.out is None:
        p.error("--out is required")
    if args.replay is not None and (args.init_weights is None or args.step_losses is None):
        p.error("--replay needs --init-weights and --step-losses")
    return train(args)
