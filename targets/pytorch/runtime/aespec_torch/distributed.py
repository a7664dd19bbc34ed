"""Data-parallel training under torchrun (gloo on the CPU, nccl on CUDA), with the numbers of one
process training the same global batch.

Each rank takes a contiguous slice of every global batch (the spec's batch), runs the model on it,
and gathers the outputs of all ranks (differentiably): every rank then computes the loss terms on
the whole global batch exactly as one process does, so terms that are not means over examples
(KL with free bits, MMD) need nothing of their own. The backward of the gather hands each rank
the gradient of its own slice; the parameters' gradients are then summed across ranks (one
all-reduce of every gradient, flattened). Batch normalisation uses the global batch's statistics
(differentiable all-reduces of sums), a VQ's EMA statistics, code counts and restarts read the
gathered encoder outputs, and the random draws of the forward pass are drawn for the whole global
batch on every rank (the same generator, seeded alike) and sliced: the same noise as one process.
Rank 0 writes metrics, checkpoints and the progress events."""
import os

import torch
import torch.distributed as dist


def world_from_env():
    """The torchrun world this process is part of, or None when it runs alone."""
    size = int(os.environ.get("WORLD_SIZE", "1"))
    if size <= 1:
        return None
    return {"rank": int(os.environ["RANK"]), "size": size, "local_rank": int(os.environ.get("LOCAL_RANK", "0"))}


def split(n, parts):
    """[(start, stop)] of `parts` contiguous slices of n rows, sizes differing by at most one (the first ones larger)."""
    base, extra = divmod(n, parts)
    out, start = [], 0
    for r in range(parts):
        size = base + (1 if r < extra else 0)
        out.append((start, start + size))
        start += size
    return out


class _Gather(torch.autograd.Function):
    """All ranks' rows, rank by rank; the gradient of this rank's rows is the ranks' mean gradient of them."""

    @staticmethod
    def forward(ctx, x, sizes, rank):
        ctx.sizes, ctx.rank = sizes, rank
        most = max(sizes)
        padded = x.new_zeros((most,) + tuple(x.shape[1:]))
        padded[: x.shape[0]] = x
        parts = [torch.empty_like(padded) for _ in sizes]
        dist.all_gather(parts, padded.contiguous())
        return torch.cat([p[:s] for p, s in zip(parts, sizes)])

    @staticmethod
    def backward(ctx, grad):
        grad = grad.contiguous()
        dist.all_reduce(grad)
        grad = grad / len(ctx.sizes)
        start = sum(ctx.sizes[: ctx.rank])
        return grad[start : start + ctx.sizes[ctx.rank]], None, None


class _AllReduceSum(torch.autograd.Function):
    """The sum over ranks; each rank's gradient is the sum of all ranks' gradients of the result."""

    @staticmethod
    def forward(ctx, x):
        x = x.clone()
        dist.all_reduce(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        dist.all_reduce(grad)
        return grad


class Distributed:
    def __init__(self, world, device):
        self.rank, self.size = world["rank"], world["size"]
        self.device = device
        # The rows of the current batch held by each rank (set by `batch`).
        self.sizes = None

    @property
    def is_main(self):
        return self.rank == 0

    def batch(self, n):
        """This rank's (start, stop) of a global batch of n rows; the gathers of the step use its split."""
        parts = split(n, self.size)
        self.sizes = [b - a for a, b in parts]
        return parts[self.rank]

    def gather(self, x):
        """Every rank's rows of x (the current batch's split), in rank order, on every rank; differentiable."""
        if x.dtype.is_floating_point and x.requires_grad:
            return _Gather.apply(x, self.sizes, self.rank)
        with torch.no_grad():
            return _Gather.apply(x, self.sizes, self.rank)

    def gather_outputs(self, out):
        """The model's outputs (a dict of batch-first tensors, or tuples of them) for the whole global batch."""
        return {k: None if v is None else tuple(self.gather(t) for t in v) if isinstance(v, tuple) else self.gather(v) for k, v in out.items()}

    def gather_rows(self, t, per):
        """Gathers t, whose rows are `per` rows for each example of this rank's slice (VQ's flattened positions)."""
        saved = self.sizes
        self.sizes = [s * per for s in saved]
        try:
            return self.gather(t)
        finally:
            self.sizes = saved

    def sum(self, x):
        """The sum over ranks, differentiable."""
        return _AllReduceSum.apply(x)

    def total_rows(self):
        return sum(self.sizes)

    @torch.no_grad()
    def sum_gradients(self, params):
        """Each parameter's gradient summed over ranks (one all-reduce of them all, flattened)."""
        grads = [p.grad for p in params if p.grad is not None]
        if not grads:
            return
        flat = torch.cat([g.reshape(-1) for g in grads])
        dist.all_reduce(flat)
        offset = 0
        for g in grads:
            n = g.numel()
            g.copy_(flat[offset : offset + n].view_as(g))
            offset += n

    @torch.no_grad()
    def broadcast_(self, tensors):
        """Rank 0's values of these tensors on every rank (the initial weights)."""
        for t in tensors:
            dist.broadcast(t.data, 0)

    def barrier(self):
        dist.barrier()


class SlicedNoise:
    """The draws of the forward pass for the whole global batch, this rank's rows of them: every rank
    draws with the same generator, so the noise is one process's."""

    def __init__(self, inner, distributed, start, stop):
        self.inner, self.start, self.stop = inner, start, stop
        self.total = distributed.total_rows()
        self.device = inner.device

    def _global(self, shape):
        if shape[0] != self.stop - self.start:
            raise RuntimeError(f"internal: a draw of shape {tuple(shape)} in a pass over {self.stop - self.start} rows")
        return (self.total,) + tuple(shape[1:])

    def normal(self, shape):
        return self.inner.normal(self._global(shape))[self.start : self.stop]

    def uniform(self, shape):
        return self.inner.uniform(self._global(shape))[self.start : self.stop]

    def keep_mask(self, shape, rate, kept):
        return self.inner.keep_mask(self._global(shape), rate, kept)[self.start : self.stop]

    def salt_pepper(self, shape, rate):
        keep, pepper = self.inner.salt_pepper(self._global(shape), rate)
        return keep[self.start : self.stop], pepper[self.start : self.stop]

    def hidden_patches(self, batch, patches, hidden):
        return self.inner.hidden_patches(self._global((batch,))[0], patches, hidden)[self.start : self.stop]


def init(world, cuda):
    """Joins the torchrun world: nccl with a GPU per local rank, gloo on the CPU."""
    if cuda:
        torch.cuda.set_device(world["local_rank"])
    dist.init_process_group(backend="nccl" if cuda else "gloo")


def shutdown():
    if dist.is_initialized():
        dist.destroy_process_group()
