"""The model a generated model.py builds: corruption (training only), encoder,
bottleneck, decoder, with the tfjs target's forward pass (model/build.ts)."""
import torch
from torch import nn

from .corruptions import CORRUPTIONS

# Random sign vectors per example for the contractive term in training when the code has more units
# (targets/tfjs/train/losses/contractive.ts PROBES).
PROBES = 4


class Run:
    """How one pass runs: training (dropout on, batch statistics, corruption, sampled latent),
    or evaluation, optionally sampling the latent and corrupting the input as in training
    (the validation objective). With `jacobian` (a contractive term) the pass also gives
    |J|_F^2 of the code per example."""

    def __init__(self, training, noise, sample_latent=False, corrupt=False, distributed=None, jacobian=False):
        self.training = training
        # Under torchrun: the world whose global batch this pass is a slice of (batch statistics are the global batch's).
        self.distributed = distributed
        self.noise = noise
        self.samples_latent = training or sample_latent
        self.corrupts = training or corrupt
        self.update_statistics = training
        self.jacobian = jacobian


class Autoencoder(nn.Module):
    def __init__(self, encoder, bottleneck, decoder, corruption=None, input_range=None):
        super().__init__()
        self.encoder = encoder
        self.bottleneck = bottleneck
        self.decoder = decoder
        self.corruption = corruption
        self.input_range = input_range

    def init(self, generator):
        """Draws every weight in the parameter table's order: encoder, bottleneck, decoder."""
        for layer in self.encoder:
            if hasattr(layer, "init"):
                layer.init(generator)
        self.bottleneck.init(generator)
        for layer in self.decoder:
            if hasattr(layer, "init"):
                layer.init(generator)

    def forward(self, x, run):
        encoder_input, hidden = x, None
        if self.corruption is not None and run.corrupts:
            encoder_input, hidden = CORRUPTIONS[self.corruption["kind"]](x, self.corruption, self.input_range, run.noise)
        h = self.encoder(encoder_input, run)
        out = self.bottleneck(h, run)
        out["input"] = x
        out["hidden"] = hidden
        out["reconstruction"] = self.decoder(out["latent"], run)
        if run.jacobian:
            out["jacobian_norms"] = self.code_jacobian_norms(x, run)
        return out

    def code_jacobian_norms(self, x, run):
        """|J|_F^2 per example, J the Jacobian of the code (a deterministic latent, a Gaussian's mean)
        with respect to the clean input, as the tfjs target's contractive term (train/losses/contractive.ts):
        the encoder run again on x (in training a dropout layer draws a fresh mask; no corruption), every
        row of J in evaluation and for a code of at most PROBES units, else PROBES random sign vectors v
        per example (|v^T J|^2 averages to |J|_F^2), drawn after those masks. Rows by autograd: one
        vector-Jacobian product each, differentiable (create_graph) in training."""
        with torch.enable_grad():
            xg = x.detach().requires_grad_(True)
            h = self.encoder(xg, run)
            head = self.bottleneck.mean if hasattr(self.bottleneck, "mean") else self.bottleneck
            code = head(h, run)
            code = (code["latent"] if isinstance(code, dict) else code).reshape(x.shape[0], -1)
            batch, units = code.shape
            exact = not run.training or units <= PROBES
            weights = None if exact else run.noise.keep_mask((batch, PROBES, units), 0.5, 2.0) - 1
            rows = units if exact else PROBES
            total = torch.zeros(batch, device=x.device)
            for r in range(rows):
                picked = code[:, r] if exact else (code * weights[:, r]).sum(1)
                (g,) = torch.autograd.grad(picked.sum(), xg, create_graph=run.training, retain_graph=True)
                total = total + g.reshape(batch, -1).square().sum(1)
            return total if exact else total / PROBES

    def after_step(self, noise, distributed=None):
        if hasattr(self.bottleneck, "after_step"):
            self.bottleneck.after_step(noise, distributed)

    def encode_mean(self, x):
        """The latent as used (the posterior mean; a VQ's codes), for evaluation."""
        with torch.no_grad():
            return self.bottleneck(self.encoder(x, Run(False, None)), Run(False, None))["latent"]
