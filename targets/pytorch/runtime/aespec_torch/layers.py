"""One module per IR layer kind (src/ir/layers.ts), batch-first and channels-last
like the IR, with the tfjs target's definitions. Each module's tensors have the
names, shapes and layouts of the IR's parameter table (src/ir/parameters.ts):
a dense kernel is [in, out], a conv kernel [k, k, in, filters], a deconv kernel
[k, k, filters, in], so a checkpoint maps one to one. Convolutions view their
NHWC input as NCHW (a channels-last layout, no copy) and pad as TensorFlow does."""
import math

import torch
import torch.nn.functional as F
from torch import nn


def uniform_(t, limit, generator):
    """U(-limit, limit) in place, or zeros when limit is 0."""
    with torch.no_grad():
        if limit > 0:
            t.uniform_(-limit, limit, generator=generator)
        else:
            t.zero_()
    return t


class Dense(nn.Module):
    """x @ kernel + bias on the last axis (a map [h, w, c] keeps h and w)."""

    def __init__(self, in_features, units, kernel_limit, bias_limit):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(in_features, units))
        self.bias = nn.Parameter(torch.empty(units))
        self.limits = (kernel_limit, bias_limit)

    def init(self, generator):
        uniform_(self.kernel, self.limits[0], generator)
        uniform_(self.bias, self.limits[1], generator)

    def forward(self, x, run):
        return F.linear(x, self.kernel.t(), self.bias)


def _same_pads(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv(nn.Module):
    def __init__(self, in_channels, filters, kernel, stride, padding, in_shape, kernel_limit, bias_limit):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(kernel, kernel, in_channels, filters))
        self.bias = nn.Parameter(torch.empty(filters))
        self.stride = stride
        self.limits = (kernel_limit, bias_limit)
        if padding == "same":
            top, bottom = _same_pads(in_shape[0], kernel, stride)
            left, right = _same_pads(in_shape[1], kernel, stride)
        else:
            top = bottom = left = right = 0
        self.symmetric = top == bottom and left == right
        self.pads = (left, right, top, bottom)

    init = Dense.init

    def forward(self, x, run):
        x = x.permute(0, 3, 1, 2)
        w = self.kernel.permute(3, 2, 0, 1)
        if self.symmetric:
            y = F.conv2d(x, w, self.bias, self.stride, (self.pads[2], self.pads[0]))
        else:
            y = F.conv2d(F.pad(x, self.pads), w, self.bias, self.stride)
        return y.permute(0, 2, 3, 1)


class Deconv(nn.Module):
    """Transposed convolution, the adjoint of Conv with TensorFlow's padding:
    same gives in * stride, valid in * stride + max(kernel - stride, 0)."""

    def __init__(self, in_channels, filters, kernel, stride, padding, in_shape, out_shape, kernel_limit, bias_limit):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(kernel, kernel, filters, in_channels))
        self.bias = nn.Parameter(torch.empty(filters))
        self.stride = stride
        self.out_hw = (out_shape[0], out_shape[1])
        self.limits = (kernel_limit, bias_limit)
        # The full transposed convolution is (in - 1) * stride + kernel long; TensorFlow keeps out of it from `crop` on.
        total = max(kernel - stride, 0) if padding == "same" else 0
        self.crop = total // 2
        extras = [o - ((i - 1) * stride + kernel - 2 * self.crop) for i, o in zip(in_shape[:2], out_shape[:2])]
        # One torch call when the crop is symmetric and any missing end fits in output_padding; else crop and pad.
        self.direct = total % 2 == 0 and all(0 <= e < stride for e in extras)
        self.output_padding = tuple(extras) if self.direct else (0, 0)

    init = Dense.init

    def forward(self, x, run):
        x = x.permute(0, 3, 1, 2)
        w = self.kernel.permute(3, 2, 0, 1)
        if self.direct:
            return F.conv_transpose2d(x, w, self.bias, self.stride, self.crop, self.output_padding).permute(0, 2, 3, 1)
        h, wd = self.out_hw
        c = self.crop
        y = F.conv_transpose2d(x, w, None, self.stride)[:, :, c : c + h, c : c + wd]
        if y.shape[2] < h or y.shape[3] < wd:
            y = F.pad(y, (0, wd - y.shape[3], 0, h - y.shape[2]))
        return (y + self.bias.view(1, -1, 1, 1)).permute(0, 2, 3, 1)


class Flatten(nn.Module):
    def forward(self, x, run):
        return x.reshape(x.shape[0], -1)


class Reshape(nn.Module):
    def __init__(self, target):
        super().__init__()
        self.target = tuple(target)

    def forward(self, x, run):
        return x.reshape(x.shape[0], *self.target)


class Dropout(nn.Module):
    """Inverted dropout in training: kept units scaled by 1 / (1 - rate)."""

    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x, run):
        if not run.training or self.rate <= 0:
            return x
        return x * run.noise.keep_mask(x.shape, self.rate, 1 / (1 - self.rate))


def _normalise(x, mean, variance, epsilon, gamma, beta):
    return (x - mean) * torch.rsqrt(variance + epsilon) * gamma + beta


class BatchNorm(nn.Module):
    """Batch statistics (biased variance) in training, the moving ones at evaluation;
    moving = momentum * moving + (1 - momentum) * batch after each training pass."""

    def __init__(self, features, epsilon, momentum):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(features))
        self.beta = nn.Parameter(torch.zeros(features))
        self.register_buffer("moving_mean", torch.zeros(features))
        self.register_buffer("moving_variance", torch.ones(features))
        self.epsilon = epsilon
        self.momentum = momentum

    def init(self, generator):
        with torch.no_grad():
            self.gamma.fill_(1)
            self.beta.zero_()
            self.moving_mean.zero_()
            self.moving_variance.fill_(1)

    def forward(self, x, run):
        if not run.training:
            return _normalise(x, self.moving_mean, self.moving_variance, self.epsilon, self.gamma, self.beta)
        axes = tuple(range(x.dim() - 1))
        d = run.distributed
        if d is None:
            mean = x.mean(axes)
            variance = (x - mean).square().mean(axes)
        else:
            # The global batch's statistics (SyncBatchNorm's), differentiable through the all-reduces.
            n = d.total_rows() * math.prod(x.shape[1:-1])
            mean = d.sum(x.sum(axes)) / n
            variance = d.sum((x - mean).square().sum(axes)) / n
        if run.update_statistics:
            m = self.momentum
            with torch.no_grad():
                self.moving_mean.mul_(m).add_(mean.detach() * (1 - m))
                self.moving_variance.mul_(m).add_(variance.detach() * (1 - m))
        return _normalise(x, mean, variance, self.epsilon, self.gamma, self.beta)


class LayerNorm(nn.Module):
    def __init__(self, features, epsilon):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(features))
        self.beta = nn.Parameter(torch.zeros(features))
        self.epsilon = epsilon

    def init(self, generator):
        with torch.no_grad():
            self.gamma.fill_(1)
            self.beta.zero_()

    def forward(self, x, run):
        mean = x.mean(-1, keepdim=True)
        variance = (x - mean).square().mean(-1, keepdim=True)
        return _normalise(x, mean, variance, self.epsilon, self.gamma, self.beta)


ACTIVATIONS = {
    "relu": lambda x, a: F.relu(x),
    "leaky_relu": lambda x, a: F.leaky_relu(x, a),
    "elu": lambda x, a: F.elu(x),
    "gelu": lambda x, a: x * 0.5 * (torch.erf(x * math.sqrt(0.5)) + 1),
    "tanh": lambda x, a: torch.tanh(x),
    "sigmoid": lambda x, a: torch.sigmoid(x),
    "softplus": lambda x, a: F.softplus(x),
}


class Activation(nn.Module):
    def __init__(self, fn, alpha=0.0):
        super().__init__()
        self.fn = fn
        self.alpha = alpha
        self.apply_fn = ACTIVATIONS[fn]

    def forward(self, x, run):
        return self.apply_fn(x, self.alpha)


class Stack(nn.ModuleList):
    """Layers named by their place in the IR list: encoder.3.kernel."""

    def forward(self, x, run):
        for layer in self:
            x = layer(x, run)
        return x
