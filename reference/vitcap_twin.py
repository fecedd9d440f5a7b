"""The PyTorch twin of vitcap's captioner: the same model, loss, training step and decoding, written
with plain PyTorch so that every number the Java engine computes can be held against it.

Parameter names are the Java checkpoint's: the encoder's are timm's (``cls_token``, ``pos_embed``,
``patch_embed.proj.*``, ``blocks.{i}.norm1.*``, ``blocks.{i}.attn.qkv.*`` ...), the decoders' are the
twin's (``emb``, ``enc_att``, ``dec_att``, ``full_att``, ``init_h``, ``init_c``, ``f_beta``, ``cell``,
``out``; ``lstm``, ``fc`` for show-and-tell), and a whole captioner's are ``encoder.*`` and ``decoder.*``.
The architecture is the one docs/architecture.md describes ("The model") and core/.../model implements.

Run as a script it measures throughput the way the Java benchmark counts it::

    python vitcap_twin.py small|base [threads] [--showtell] [--cuda] [--tf32] [--amp bf16] [--iterations N]

and prints one line, ``torch VERSION CONFIG DEVICE threads=N params=P: train X img/s, greedy Y img/s,
beam5 Z img/s`` (what bench/compare-with-torch.sh reads; ``DEVICE`` is followed by ``amp=bf16`` with
``--amp bf16``). ``--amp bf16`` runs the forward passes (training's, greedy's and the beam's) under
``torch.autocast`` in bfloat16, as people train on GPUs: products in bfloat16, float32 weights, AdamW
state and gradients, and autocast's float32 list (softmax, log-softmax, layer norm, the loss).
``--iterations N`` times N iterations of each instead of 5 on a CPU (20 on a GPU), as vitcap's
``bench --iterations N``: on a shared machine longer runs are steadier.
"""
import contextlib
import math
import sys
import time
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

# The benchmark configurations, as vitcap's ModelConfig presets of the same names.
CONFIGS = {
    "small": dict(img=64, patch=8, dim=192, depth=4, heads=3, mlp=768, vocab=1000, emb=256, hid=512, att=256, T=20, batch=32),
    "base": dict(img=224, patch=16, dim=768, depth=12, heads=12, mlp=3072, vocab=10000, emb=512, hid=512, att=512, T=20, batch=64),
}


# ----------------------------------------------------------------------------------------- encoder

def trunc_normal_(t, std):
    """timm's truncated normal (cut at ±2, absolute), drawn by inverting the normal CDF of one
    uniform draw per element, so that it consumes the generator exactly as timm does."""
    cdf = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
    lo, hi = cdf(-2 / std), cdf(2 / std)
    with torch.no_grad():
        t.uniform_(2 * lo - 1, 2 * hi - 1)
        t.erfinv_()
        t.mul_(std * math.sqrt(2))
        t.clamp_(-2, 2)
    return t


class PatchEmbed(nn.Module):
    """A convolution with kernel = stride = patch: a linear map of each flattened [C, P, P] patch."""

    def __init__(self, patch, channels, dim):
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, patch, patch)

    def forward(self, images):                                     # [B, C, H, W]
        return self.proj(images).flatten(2).transpose(1, 2)        # [B, N, D], patches row by row


class Attention(nn.Module):
    """Multi-head self-attention; qkv's output splits as [3, heads, D/heads]."""

    def __init__(self, dim, heads, qkv_bias=True):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):                                           # [B, T, D]
        B, T, D = x.shape
        hd = D // self.heads
        q, k, v = self.qkv(x).reshape(B, T, 3, self.heads, hd).permute(2, 0, 3, 1, 4)   # each [B, h, T, hd]
        a = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(hd), dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(B, T, D))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))                        # exact (erf) GELU


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(norm1(x)), then + mlp(norm2(x))."""

    def __init__(self, dim, heads, mlp, eps=1e-6, qkv_bias=True):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads, qkv_bias)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, mlp)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    """timm's VisionTransformer(num_classes=0, global_pool='') with class token and learned position
    table: ``forward_features`` returns all 1+N tokens after the final LayerNorm.

    Modules are made in timm's order and initialised as timm initialises them (position table and
    Linear weights truncated normal with std 0.02, class token normal with std 1e-6, Linear biases zero,
    the patch convolution left at PyTorch's default), so a seed gives timm's weights.
    """

    def __init__(self, img, patch, dim, depth, heads, mlp, channels=3, eps=1e-6, qkv_bias=True):
        super().__init__()
        h, w = (img, img) if isinstance(img, int) else img
        self.patch_embed = PatchEmbed(patch, channels, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + (h // patch) * (w // patch), dim))
        self.blocks = nn.ModuleList([Block(dim, heads, mlp, eps, qkv_bias) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=eps)
        trunc_normal_(self.pos_embed, 0.02)
        with torch.no_grad():
            self.cls_token.normal_(std=1e-6)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                trunc_normal_(m.weight, 0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    @staticmethod
    def from_timm_args(args, eps=1e-6):
        """The twin of ``timm.models.vision_transformer.VisionTransformer(**args)``."""
        dim = args.get("embed_dim", 768)
        return ViT(args.get("img_size", 224), args.get("patch_size", 16), dim, args.get("depth", 12),
                   args.get("num_heads", 12), int(dim * args.get("mlp_ratio", 4.0)), args.get("in_chans", 3),
                   eps, args.get("qkv_bias", True))

    def forward_features(self, images):
        x = self.patch_embed(images)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        for b in self.blocks:
            x = b(x)
        return self.norm(x)

    forward = forward_features


# ---------------------------------------------------------------------------------------- decoders

class AttentionDecoder(nn.Module):
    """Show, Attend and Tell with the β gate. Decoding state: (X, enc_att(X), h, c)."""

    def __init__(self, dim, vocab, emb, hid, att, dropout=0.5):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.enc_att = nn.Linear(dim, att)
        self.dec_att = nn.Linear(hid, att)
        self.full_att = nn.Linear(att, 1)
        self.init_h = nn.Linear(dim, hid)
        self.init_c = nn.Linear(dim, hid)
        self.f_beta = nn.Linear(hid, dim)
        self.cell = nn.LSTMCell(emb + dim, hid)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hid, vocab)

    def start(self, X):
        m = X.mean(1)
        return X, self.enc_att(X), torch.tanh(self.init_h(m)), torch.tanh(self.init_c(m))

    def attend(self, X, P, h):
        """α = softmax(full_att(tanh(P + dec_att(h)))) over tokens; the gated context."""
        alpha = torch.softmax(self.full_att(torch.tanh(P + self.dec_att(h).unsqueeze(1))).squeeze(2), 1)
        ctx = (alpha.unsqueeze(2) * X).sum(1) * torch.sigmoid(self.f_beta(h))
        return ctx, alpha

    def step(self, state, words):
        """One word per row in, the next word's logits out (dropout applies in training mode)."""
        X, P, h, c = state
        ctx, alpha = self.attend(X, P, h)
        h, c = self.cell(torch.cat([self.emb(words), ctx], 1), (h, c))
        return self.out(self.drop(h)), (X, P, h, c), alpha

    def forward(self, X, captions):
        """Teacher forcing: step t reads captions[:, t]. Returns logits [B, T-1, V] and α [B, T-1, N]."""
        state = self.start(X)
        logits, alphas = [], []
        for t in range(captions.shape[1] - 1):
            lg, state, a = self.step(state, captions[:, t])
            logits.append(lg)
            alphas.append(a)
        return torch.stack(logits, 1), torch.stack(alphas, 1)

    @staticmethod
    def select(state, rows):
        return tuple(s[rows] for s in state)


class ShowTellDecoder(nn.Module):
    """The seed's stack: embedding, L-layer LSTM started from the image, dropout, ReLU layer, output."""

    def __init__(self, dim, vocab, emb, hid, layers=1, fc=None, dropout=0.5):
        super().__init__()
        fc = fc or hid // 2
        self.layers, self.hid = layers, hid
        self.emb = nn.Embedding(vocab, emb)
        self.init_h = nn.Linear(dim, layers * hid)
        self.init_c = nn.Linear(dim, layers * hid)
        self.lstm = nn.LSTM(emb, hid, num_layers=layers, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(hid, fc)
        self.out = nn.Linear(fc, vocab)

    def start(self, X):
        """(h0, c0), each [L, B, H]: tanh(init(mean token)) split into L consecutive blocks, layer 0 first."""
        m = X.mean(1)
        split = lambda s: s.view(m.shape[0], self.layers, self.hid).transpose(0, 1).contiguous()
        return split(torch.tanh(self.init_h(m))), split(torch.tanh(self.init_c(m)))

    def run(self, words, state):                                    # words [B, S]
        y, state = self.lstm(self.emb(words), state)
        return self.out(F.relu(self.fc(self.drop(y)))), state

    def step(self, state, words):
        logits, state = self.run(words.unsqueeze(1), state)
        return logits[:, 0], state, None

    def forward(self, X, captions):
        """The whole teacher-forced caption in one LSTM call: logits [B, T-1, V] (no attention)."""
        return self.run(captions[:, :-1], self.start(X))[0], None

    @staticmethod
    def select(state, rows):
        return tuple(s[:, rows] for s in state)


class Captioner(nn.Module):
    """Encoder and decoder; parameter names ``encoder.*`` and ``decoder.*`` as in vitcap's checkpoints."""

    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder, self.decoder = encoder, decoder

    @staticmethod
    def from_config(c, showtell=False):
        """A captioner of one of CONFIGS (or the same keys; ``layers`` and ``fc`` for show-and-tell)."""
        enc = ViT(c["img"], c["patch"], c["dim"], c["depth"], c["heads"], c["mlp"])
        drop = c.get("dropout", 0.5)
        dec = (ShowTellDecoder(c["dim"], c["vocab"], c["emb"], c["hid"], c.get("layers", 1), c.get("fc"), drop) if showtell
               else AttentionDecoder(c["dim"], c["vocab"], c["emb"], c["hid"], c["att"], drop))
        return Captioner(enc, dec)

    def forward(self, images, captions):
        return self.decoder(self.encoder(images), captions)


# -------------------------------------------------------------------------------------------- loss

def cross_entropy(logits, targets, pad=-1, label_smoothing=0.0):
    """Mean over the real targets (those != pad) of the cross-entropy against
    (1 − ε)·onehot + ε/V, as vitcap's crossEntropy kernel and CaptionLoss compute it."""
    logp = torch.log_softmax(logits.reshape(-1, logits.shape[-1]), -1)
    targets = targets.reshape(-1)
    real = targets != pad
    nll = -logp.gather(1, targets.clamp(min=0).unsqueeze(1)).squeeze(1)
    row = (1 - label_smoothing) * nll - label_smoothing * logp.mean(1)
    return (row * real).sum() / max(1, int(real.sum()))


def attention_regulariser(alphas, real):
    """mean over images and tokens of (1 − Σ_t α_t)², the sum over real steps only. α [B, S, N], real [B, S]."""
    return ((1 - (alphas * real.unsqueeze(2)).sum(1)) ** 2).mean()


def caption_loss(model, images, captions, pad=-1, label_smoothing=0.0, attention_reg=1.0):
    """(loss, cross-entropy) of a teacher-forced batch: step t reads captions[:, t], predicts captions[:, t+1]."""
    logits, alphas = model(images, captions)
    targets = captions[:, 1:]
    ce = cross_entropy(logits, targets, pad, label_smoothing)
    if alphas is None or attention_reg <= 0:
        return ce, ce
    return ce + attention_reg * attention_regulariser(alphas, (targets != pad).to(alphas.dtype)), ce


# ---------------------------------------------------------------------------------------- training

@dataclass
class StepOptions:
    """As vitcap's StepOptions (dropout masks differ between the two: compare with dropout 0)."""
    lr: float = 3e-4
    encoder_lr: float = 3e-4
    train_encoder: bool = True
    label_smoothing: float = 0.0
    attention_reg: float = 1.0
    clip_norm: float = 5.0


def schedule(peak, warmup, total, min_ratio, step):
    """vitcap's Schedule: linear warm-up to peak, then cosine to min_ratio·peak at the last step (step from 0)."""
    if warmup > 0 and step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def optimizer(model, weight_decay=0.01):
    """AdamW (β 0.9/0.999, eps 1e-8) with the decoder's parameters in group 0 and the encoder's in group 1."""
    return torch.optim.AdamW([{"params": list(model.decoder.parameters())},
                              {"params": list(model.encoder.parameters())}],
                             lr=3e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)


def train_step(model, opt, images, captions, pad=-1, o=StepOptions(), amp=contextlib.nullcontext()):
    """vitcap's TrainStep: forward, backward, clipping of the global gradient norm (coefficient
    min(1, clip / (norm + 1e-6))), AdamW at the decoder's and the encoder's learning rates. A frozen
    encoder gets no gradient and no update. The forward pass runs inside ``amp`` (an autocast context;
    the backward pass follows its casts outside it, as PyTorch advises). Returns (loss, cross-entropy,
    norm before clipping)."""
    for p in model.encoder.parameters():
        p.requires_grad_(o.train_encoder)
    opt.zero_grad(set_to_none=True)
    with amp:
        loss, ce = caption_loss(model, images, captions, pad, o.label_smoothing, o.attention_reg)
    loss.backward()
    params = [p for g in opt.param_groups for p in g["params"] if p.grad is not None]
    norm = torch.nn.utils.clip_grad_norm_(params, o.clip_norm if o.clip_norm > 0 else float("inf"))
    opt.param_groups[0]["lr"], opt.param_groups[1]["lr"] = o.lr, o.encoder_lr
    opt.step()
    return loss.item(), ce.item(), norm.item()


# ---------------------------------------------------------------------------------------- decoding

@torch.no_grad()
def greedy(model, images, steps, start=0, end=-1):
    """The argmax word at each of ``steps`` steps, [B, steps]; after ``end`` (when ≥ 0) a row repeats it."""
    dec = model.decoder
    state = dec.start(model.encoder(images))
    w = torch.full((images.shape[0],), start, dtype=torch.long, device=images.device)
    ended = torch.zeros_like(w, dtype=torch.bool)
    out = []
    for _ in range(steps):
        logits, state, _ = dec.step(state, w)
        w = torch.where(ended, torch.full_like(w, end), logits.argmax(1))
        ended |= w == end
        out.append(w)
    return torch.stack(out, 1)


@torch.no_grad()
def beam_search(model, images, steps, width=5, start=0, end=-1, length_penalty=0.0):
    """Batched beam search, scores summed log-probabilities. With ``end`` < 0 every hypothesis runs
    ``steps`` words (as the benchmark counts it) and the best of each image is returned with its score.
    Otherwise a hypothesis that emits ``end`` leaves the beam for its image's finished list with the score
    divided by ((5 + length) / 6)^α, and the best finished (or, failing that, live) hypothesis wins.
    Returns a list of (words, score) per image."""
    dec, B, dev = model.decoder, images.shape[0], images.device
    rows = torch.arange(B, device=dev).repeat_interleave(width)
    state = dec.select(dec.start(model.encoder(images)), rows)
    w = torch.full((B * width,), start, dtype=torch.long, device=dev)
    score = torch.full((B, width), float("-inf"), device=dev)
    score[:, 0] = 0                                                  # one live start per image
    words = torch.zeros(B * width, 0, dtype=torch.long, device=dev)
    norm = lambda s, n: s / ((5 + n) / 6) ** length_penalty if length_penalty else s
    finished = [[] for _ in range(B)]
    for t in range(steps):
        logits, state, _ = dec.step(state, w)
        lp = torch.log_softmax(logits, 1).view(B, width, -1) + score.unsqueeze(2)
        V = lp.shape[2]
        top, idx = lp.view(B, -1).topk(min(2 * width, width * V), 1)   # 2·width: at most width of them end
        if end >= 0:
            ends = (idx % V) == end
            for b, j in ends.nonzero().tolist():
                if top[b, j] > float("-inf"):
                    src = b * width + int(idx[b, j]) // V
                    finished[b].append((words[src].tolist(), norm(float(top[b, j]), t)))
            top = top.masked_fill(ends, float("-inf"))
            top, order = top.sort(1, descending=True)
            idx = idx.gather(1, order)
        score, idx = top[:, :width], idx[:, :width]
        src = (idx // V + torch.arange(B, device=dev).unsqueeze(1) * width).view(-1)
        w = (idx % V).view(-1)
        words = torch.cat([words[src], w.unsqueeze(1)], 1)
        state = dec.select(state, src)
    results = []
    for b in range(B):
        live = [(words[b * width + h].tolist(), norm(float(score[b, h]), steps)) for h in range(width) if score[b, h] > float("-inf")]
        best = max(finished[b] or live, key=lambda r: r[1])
        results.append(best)
    return results


# --------------------------------------------------------------------------------------- benchmark

def benchmark(name, threads=None, showtell=False, cuda=False, tf32=False, amp=None, iterations=None):
    """Images per second for train / greedy / beam5 on random inputs, as vitcap's bench counts them:
    two warm-up training steps, then 5 timed iterations of each on a CPU (20 on a GPU). ``amp``
    ("bf16" or None) runs every forward pass under autocast in bfloat16."""
    c = CONFIGS[name]
    dev = torch.device("cuda" if cuda else "cpu")
    autocast = (lambda: torch.autocast(dev.type, dtype=torch.bfloat16)) if amp == "bf16" else contextlib.nullcontext
    if threads:
        torch.set_num_threads(threads)
    if tf32:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    torch.manual_seed(0)
    model = Captioner.from_config(c, showtell).to(dev)
    opt = optimizer(model)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    img = torch.randn(c["batch"], 3, c["img"], c["img"], device=dev)
    cap = torch.randint(0, c["vocab"], (c["batch"], c["T"]), device=dev)
    steps, n = c["T"] - 1, iterations or (5 if dev.type == "cpu" else 20)

    def rate(fn):
        sync()
        t = time.perf_counter()
        for _ in range(n):
            fn()
        sync()
        return n * c["batch"] / (time.perf_counter() - t)

    def under_amp(fn):
        def run():
            with autocast():
                fn()
        return run

    model.train()
    for _ in range(2):
        train_step(model, opt, img, cap, amp=autocast())
    tr = rate(lambda: train_step(model, opt, img, cap, amp=autocast()))
    model.eval()
    decode_greedy = under_amp(lambda: greedy(model, img, steps))
    decode_greedy()
    gr = rate(decode_greedy)
    decode_beam = under_amp(lambda: beam_search(model, img, steps, 5))
    decode_beam()
    bm = rate(decode_beam)
    params = sum(p.numel() for p in model.parameters())
    print(f"torch {torch.__version__} {name}{' showtell' if showtell else ''} {dev.type}{' amp=' + amp if amp else ''} "
          f"threads={torch.get_num_threads()} params={params}: train {tr:.1f} img/s, greedy {gr:.1f} img/s, beam5 {bm:.1f} img/s")


def main(argv):
    if not argv or argv[0] not in CONFIGS:
        sys.exit(__doc__)
    amp = None
    if "--amp" in argv:
        at = argv.index("--amp")
        amp = argv[at + 1] if at + 1 < len(argv) else None
        if amp != "bf16":
            sys.exit(f"--amp takes bf16, not {amp!r}")
        argv = argv[:at] + argv[at + 2:]
    iterations = None
    if "--iterations" in argv:
        at = argv.index("--iterations")
        value = argv[at + 1] if at + 1 < len(argv) else ""
        if not value.isdigit() or int(value) < 1:
            sys.exit(f"--iterations takes a whole number of at least 1, not {value!r}")
        iterations = int(value)
        argv = argv[:at] + argv[at + 2:]
    args = [a for a in argv[1:] if not a.startswith("--")]
    benchmark(argv[0], int(args[0]) if args else None, "--showtell" in argv, "--cuda" in argv, "--tf32" in argv, amp, iterations)


if __name__ == "__main__":
    main(sys.argv[1:])
