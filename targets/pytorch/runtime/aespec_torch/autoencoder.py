"""The model a generated model.py builds: corruption (training only), encoder,
bottleneck, decoder, with the tfjs target's forward pass (model/build.ts)."""
import torch
from torch import nn

from .corruptions import CORRUPTIONS


class Run:
    """How one pass runs: training (dropout on, batch statistics, corruption, sampled latent),
    or evaluation, optionally sampling the latent and corrupting the input as in training
    (the validation objective)."""

    def __init__(self, training, noise, sample_latent=False, corrupt=False, distributed=None):
        self.training = training
        # Under torchrun: the world whose global batch this pass is a slice of (batch statistics are the global batch's).
        self.distributed = distributed
        self.noise = noise
        self.samples_latent = training or sample_latent
        self.corrupts = training or corrupt
        self.update_statistics = training


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
        return out

    def after_step(self, noise, distributed=None):
        if hasattr(self.bottleneck, "after_step"):
            self.bottleneck.after_step(noise, distributed)

    def encode_mean(self, x):
        """The latent as used (the posterior mean; a VQ's codes), for evaluation."""
        with torch.no_grad():
            return self.bottleneck(self.encoder(x, Run(False, None)), Run(False, None))["latent"]
