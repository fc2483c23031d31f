"""The seed write-up's network form, implemented plainly in NumPy (what that design costs).

The write-up (``shared/seeds/``) builds ``SpikingNeuronAstrocyteNetwork(num_neurons =
cells + 4)``: one LIF neuron per state plus 4 action neurons, an all-to-all ``N x N``
recurrent weight matrix, astrocytes that each own a block of ``neuron_per_astrocyte``
consecutive neurons and scale the weights by ``1 - 0.5 sigmoid(Ca - 0.5)``, one spike trace
per neuron (``tau_stdp``) and STDP. Per tick (its ``forward`` plus the learning rule) this
module does exactly that, on full arrays:

1. per-neuron modulation from the block astrocytes, effective weights ``W * modulation``
   (the write-up's ``modulation.unsqueeze(1)``: the presynaptic columns are scaled, cost
   ``N^2`` either way), synaptic input ``W_eff @ trace``;
2. Euler LIF update, threshold 1, reset to 0; trace decay ``(1 - dt / tau_stdp)`` plus spikes;
3. trace STDP on the whole matrix: ``W += A+ outer(spikes, trace) - A- outer(trace, spikes)``
   (the trace form of the write-up's pair rule, which it evaluates as a nested loop over
   spike lists), clipped to [-1, 1] as the write-up's update does;
4. block calcium ``Ca += (-Ca + sum of block spikes) / tau_Ca dt``.

Fixed only where needed to run: the write-up hard-codes 20 astrocytes x 5 neurons, which
cannot cover ``cells + 4`` neurons, so the number of astrocytes is ``ceil(N / 5)``; its state
is not reset before every decision (a defect of the write-up; the reset is cheap anyway). Its
per-astrocyte Python loops are written as block reshapes (same arithmetic, not slower than
the write-up). Dtype float32, PyTorch's default, which favours this form over float64.
"""
import os

import numpy as np


class SeedForm:
    """All-to-all SNAN of the seed write-up with ``n_cells + 4`` neurons (cost O(N^2) a tick)."""

    def __init__(self, n_cells: int, seed: int = 0, neurons_per_astrocyte: int = 5,
                 tau_m: float = 20.0, tau_ca: float = 1000.0, tau_stdp: float = 100.0,
                 a_plus: float = 0.01, a_minus: float = 0.01, dtype=np.float32):
        n = int(n_cells) + 4
        self.n = n
        self.block = int(neurons_per_astrocyte)
        self.n_astro = -(-n // self.block)
        self.tau_m = tau_m
        self.tau_ca = tau_ca
        self.tau_stdp = tau_stdp
        self.a_plus = a_plus
        self.a_minus = a_minus
        rng = np.random.default_rng(seed)
        self.weights = (rng.standard_normal((n, n), dtype=np.float32) * 0.1).astype(dtype)
        self._eff = np.empty_like(self.weights)
        self.v = np.zeros(n, dtype=dtype)
        self.ca = np.zeros(self.n_astro, dtype=dtype)
        self.trace = np.zeros(n, dtype=dtype)
        self._padded = np.zeros(self.n_astro * self.block, dtype=dtype)

    @staticmethod
    def matrix_bytes(n_cells: int, dtype=np.float32) -> int:
        """Return the bytes of one ``N x N`` matrix (the form holds two plus a temporary)."""
        n = int(n_cells) + 4
        return n * n * np.dtype(dtype).itemsize

    def forward(self, input_current: np.ndarray, dt: float = 1.0) -> np.ndarray:
        """Advance one tick with external current ``input_current`` (N,); return the spikes."""
        n = self.n
        suppression = 1.0 / (1.0 + np.exp(-(self.ca - 0.5)))
        modulation = np.repeat((1.0 - 0.5 * suppression).astype(self.v.dtype), self.block)[:n]
        np.multiply(self.weights, modulation[None, :], out=self._eff)
        synaptic = self._eff @ self.trace
        self.v += (-self.v + input_current + synaptic) / self.tau_m * dt
        spikes = (self.v >= 1.0).astype(self.v.dtype)
        self.v *= 1.0 - spikes
        pre_trace = self.trace.copy()
        self.trace *= 1.0 - dt / self.tau_stdp
        self.trace += spikes
        # Trace STDP on every synapse: post spike x pre trace minus post trace x pre spike.
        self.weights += np.outer(self.a_plus * spikes, pre_trace)
        self.weights -= np.outer(self.a_minus * pre_trace, spikes)
        np.clip(self.weights, -1.0, 1.0, out=self.weights)
        self._padded[:n] = spikes
        block_sum = self._padded.reshape(self.n_astro, self.block).sum(axis=1)
        self.ca += (-self.ca + block_sum) / self.tau_ca * dt
        return spikes

    def decide(self, cell: int, n_ticks: int, current: float = 3.0) -> int:
        """Drive state neuron ``cell`` for ``n_ticks`` ticks; return the most active action."""
        inp = np.zeros(self.n, dtype=self.v.dtype)
        inp[cell] = current
        counts = np.zeros(4)
        for _ in range(n_ticks):
            counts += self.forward(inp)[-4:]
        return int(np.argmax(counts))


def fits_in_memory(n_cells: int, available_bytes: int, dtype=np.float32) -> bool:
    """Return True when the form's matrices (weights, effective weights, one temporary) fit."""
    return 3 * SeedForm.matrix_bytes(n_cells, dtype) < 0.8 * available_bytes


def available_memory_bytes() -> int:
    """Return MemAvailable from /proc/meminfo, or the physical memory as a fallback."""
    try:
        with open('/proc/meminfo') as f:
            for line in f:
                if line.startswith('MemAvailable:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES'))
