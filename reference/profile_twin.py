"""Where the twin spends a training step, greedy decoding and beam search (torch.profiler, CPU).

    python reference/profile_twin.py [small|base] [threads] [--showtell] [--phase train|greedy|beam5|all]

Prints each phase's time a batch, the encoder's forward pass alone, and the profiler's table of
operators by self time for the phases asked for; vitcap's counterpart is bench's KernelProfile.
"""
import sys
import time

import torch
from torch.profiler import ProfilerActivity, profile

import vitcap_twin as tw


def main(argv):
    name = argv[0] if argv and argv[0] in tw.CONFIGS else "small"
    numbers = [a for a in argv[1:] if a.isdigit()]
    threads = int(numbers[0]) if numbers else 2
    phase = argv[argv.index("--phase") + 1] if "--phase" in argv else "all"
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    c = tw.CONFIGS[name]
    model = tw.Captioner.from_config(c, "--showtell" in argv)
    opt = tw.optimizer(model)
    img = torch.randn(c["batch"], 3, c["img"], c["img"])
    cap = torch.randint(0, c["vocab"], (c["batch"], c["T"]))
    steps = c["T"] - 1

    def encoder():
        with torch.no_grad():
            model.encoder.forward_features(img)

    phases = [("train", lambda: tw.train_step(model, opt, img, cap), "train"),
              ("encoder", encoder, "eval"),
              ("greedy", lambda: tw.greedy(model, img, steps), "eval"),
              ("beam5", lambda: tw.beam_search(model, img, steps, 5), "eval")]
    for label, fn, mode in phases:
        getattr(model, mode)()
        for _ in range(3):
            fn()
        t = time.perf_counter()
        for _ in range(5):
            fn()
        print(f"{label}: {(time.perf_counter() - t) / 5 * 1000:.1f} ms a batch of {c['batch']}")
        if phase in (label, "all") and label != "encoder":
            with profile(activities=[ProfilerActivity.CPU]) as p:
                for _ in range(3):
                    fn()
            print("  (3 batches)")
            print(p.key_averages().table(sort_by="self_cpu_time_total", row_limit=12))


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(sys.argv[1:])
