"""PyTorch's products on the shapes of the encoder's weight gradients (the small config): dW = dYᵀ·X with
dY as it lies ([rows, out], the transposed operand) and already transposed, GFLOP/s = 2·out·in·rows / time.
vitcap's counterpart is bench's WeightGradientBench (JMH).

    python reference/product_shapes.py [threads]
"""
import sys
import time

import torch

SHAPES = [(768, 192, 2080), (192, 768, 2080), (576, 192, 2080), (192, 192, 2080)]  # out, in, rows


def microseconds(f, seconds=1.0):
    for _ in range(20):
        f()
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        f()
        n += 1
    return (time.perf_counter() - start) / n * 1e6


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    torch.manual_seed(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for out, inp, rows in SHAPES:
        dy, x, dw = torch.randn(rows, out), torch.randn(rows, inp), torch.zeros(out, inp)
        dy_t = dy.t().contiguous()
        flop = 2.0 * out * inp * rows
        for name, f in [("transposed", lambda: dw.addmm_(dy.t(), x)), ("pretransposed", lambda: dw.addmm_(dy_t, x))]:
            us = microseconds(f)
            print(f"{out}x{inp}x{rows} {name:13s} {us:8.1f} us {flop / us / 1e3:6.1f} GFLOP/s")


if __name__ == "__main__":
    main()
