"""Writes vitcap's reference fixtures (core/src/test/resources/fixtures), or checks the committed ones.

    python make_fixtures.py [--out DIR] [NAME ...]     write the fixtures (all, or those named)
    python make_fixtures.py --check [--out DIR]        recompute every committed fixture and compare

Names: lstm-a, decoder-a, showtell-a, decoder-r2l-a, showtell-r2l-a, vit-a, vit-b, train-a, metrics-a. Each fixture has its own seed and
recipe below, so a run reproduces the committed tensors. vit-a and vit-b use timm's VisionTransformer
when timm can be imported and the twin's ViT (initialised as timm does, so the same weights) otherwise;
metrics-a needs pycocoevalcap (and Java, for its PTB tokenizer) and is skipped without it.

--check does two things for each fixture: it regenerates it from its seed and compares with the
committed file, and it loads the committed weights and inputs, recomputes every output and gradient with
the twin (vitcap_twin.py) and compares. It prints the largest absolute difference of each and fails when
one is over 1e-5.
"""
import argparse
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import vitcap_twin as twin  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "core", "src", "test", "resources", "fixtures")
CHECK_TOLERANCE = 1e-5


# ------------------------------------------------------------------------------------ file formats

def write_safetensors(path, tensors):
    """float32 tensors in the given order: 8-byte little-endian header length, the JSON header padded
    with spaces to a multiple of 8, then the raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().cpu().view(-1)
        blob = struct.pack(f"<{data.numel()}f", *data.tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        start, end = h["data_offsets"]
        values = struct.unpack(f"<{(end - start) // 4}f", raw[8 + n + start:8 + n + end])
        out[name] = torch.tensor(values, dtype=torch.float32).reshape(h["shape"])
    return out


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def perturb(module, scale):
    """Adds scale·N(0, 1) to every parameter, in parameter order, so no tensor keeps a special value."""
    with torch.no_grad():
        for p in module.parameters():
            p.add_(scale * torch.randn_like(p))


def weights(module, prefix=""):
    return {prefix + k: v.detach().clone() for k, v in module.state_dict().items()}


def grads(module, prefix="grad_"):
    return {prefix + k: p.grad.detach().clone() for k, p in module.named_parameters()}


# ------------------------------------------------------------------------------------------- lstm-a

LSTM_ABOUT = ("torch.nn.LSTM(input_size, hidden_size, batch_first=True), one layer. Gate order in the weight rows: input, forget, "
              "cell (g), output. x [B,T,E], h0/c0 [B,H], y [B,T,H], h_n/c_n [B,H]. The loss is sum(y*dy)+sum(h_n*dh_n)+sum(c_n*dc_n); "
              "grad_* are its gradients.")


def lstm_outputs(lstm, t):
    """y, h_n, c_n and the gradients of Σ y·dy + Σ h_n·dh_n + Σ c_n·dc_n."""
    x, h0, c0 = (t[k].clone().requires_grad_() for k in ("x", "h0", "c0"))
    lstm.zero_grad()
    y, (hn, cn) = lstm(x, (h0.unsqueeze(0), c0.unsqueeze(0)))
    ((y * t["dy"]).sum() + (hn[0] * t["dh_n"]).sum() + (cn[0] * t["dc_n"]).sum()).backward()
    return dict(y=y, h_n=hn[0], c_n=cn[0]), dict(grad_x=x.grad, grad_h0=h0.grad, grad_c0=c0.grad, **grads(lstm))


def make_lstm_a():
    E, H, B, T = 12, 16, 3, 5
    torch.manual_seed(2)
    lstm = torch.nn.LSTM(E, H, batch_first=True)
    t = dict(x=torch.randn(B, T, E), h0=torch.randn(B, H), c0=torch.randn(B, H))
    t.update(dy=torch.randn(B, T, H), dh_n=torch.randn(B, H), dc_n=torch.randn(B, H))
    outs, gs = lstm_outputs(lstm, t)
    tensors = {**weights(lstm), **{k: t[k] for k in ("x", "h0", "c0")}, **outs,
               **{k: t[k] for k in ("dy", "dh_n", "dc_n")}, **gs}
    about = {"about": LSTM_ABOUT, "input_size": E, "hidden_size": H, "batch": B, "steps": T}
    return {"lstm-a.safetensors": tensors}, {"lstm-a.json": about}


def recompute_lstm_a(t, about):
    lstm = torch.nn.LSTM(about["input_size"], about["hidden_size"], batch_first=True)
    lstm.load_state_dict({k: t[k] for k in lstm.state_dict()})
    outs, gs = lstm_outputs(lstm, t)
    return {**outs, **gs}


# --------------------------------------------------------------------------- decoder-a, showtell-a

DECODER_ABOUT = ("The reference attention-LSTM decoder (shared/docs/reference-model.md) in evaluation mode (no dropout), weights under "
                 "the PyTorch twin's names. encoder_tokens [B,N,dim]; captions [B,T] (token ids stored as floats); step t reads "
                 "captions[:,t] and predicts captions[:,t+1]; logits [B,T-1,vocab]; alphas [B,T-1,N]; loss = cross_entropy (mean over B "
                 "and T-1) + 1.0 * attention_reg, attention_reg = mean over B,N of (1 - sum_t alpha)^2; grad_* are gradients of loss.")
SHOWTELL_ABOUT = ("The reference show-and-tell decoder (the seed's stack: embedding, LSTM with `layers` layers, dropout, dense relu of "
                  "width `fc`, dense to the vocabulary; state started from the mean encoder token through init_h/init_c, tanh, split per "
                  "layer) in evaluation mode, weights under the PyTorch twin's names (lstm.* as torch.nn.LSTM names them). "
                  "encoder_tokens [B,N,dim]; captions [B,T] (ids as floats); logits [B,T-1,vocab] for inputs captions[:, :-1]; "
                  "loss = mean cross-entropy against captions[:, 1:]; grad_* are its gradients.")


def new_decoder(c, showtell):
    if showtell:
        return twin.ShowTellDecoder(c["dim"], c["vocab"], c["emb"], c["hid"], c["layers"], c["fc"])
    return twin.AttentionDecoder(c["dim"], c["vocab"], c["emb"], c["hid"], c["att"])


def decoder_outputs(dec, enc_tokens, captions, pad=-1, prefix=""):
    """Evaluation mode, targets equal to pad ignored (-1: every one real): logits, (alphas,) the loss and its
    parts, every gradient (named grad_ + prefix + the parameter's name)."""
    dec.eval()
    dec.zero_grad()
    X = enc_tokens.clone().requires_grad_()
    cap = captions.round().long()
    logits, alphas = dec(X, cap)
    ce = twin.cross_entropy(logits, cap[:, 1:], pad)
    out = dict(logits=logits)
    if alphas is None:
        loss = ce
    else:
        reg = twin.attention_regulariser(alphas, (cap[:, 1:] != pad).float())
        loss = ce + 1.0 * reg
        out.update(alphas=alphas, loss=loss.reshape(1), cross_entropy=ce.reshape(1), attention_reg=reg.reshape(1))
    out["loss"] = loss.reshape(1)
    loss.backward()
    return {**out, "grad_encoder_tokens": X.grad, **grads(dec, "grad_" + prefix)}


def seeded_decoder(seed, c, showtell):
    """A decoder of config c drawn from seed, its weights perturbed, and encoder tokens for it, drawn next."""
    torch.manual_seed(seed)
    dec = new_decoder(c, showtell)
    perturb(dec, 0.05)
    return dec, torch.randn(c["batch"], c["tokens"], c["dim"])


def make_decoder(seed, c, showtell, name, about_text):
    dec, enc_tokens = seeded_decoder(seed, c, showtell)
    captions = torch.randint(0, c["vocab"], (c["batch"], c["T"])).float()
    tensors = {**weights(dec), "encoder_tokens": enc_tokens, "captions": captions,
               **decoder_outputs(dec, enc_tokens, captions)}
    return {name + ".safetensors": tensors}, {name + ".json": {"about": about_text, "config": c}}


def make_decoder_a():
    c = dict(dim=8, hid=12, att=6, emb=5, vocab=11, tokens=5, T=6, batch=3)
    return make_decoder(3, c, False, "decoder-a", DECODER_ABOUT)


def make_showtell_a():
    c = dict(dim=8, hid=10, emb=6, vocab=11, tokens=5, T=7, batch=3, layers=2, fc=7)
    return make_decoder(4, c, True, "showtell-a", SHOWTELL_ABOUT)


def recompute_decoder(t, about, showtell):
    dec = new_decoder(about["config"], showtell)
    dec.load_state_dict({k: t[k] for k in dec.state_dict()})
    return decoder_outputs(dec, t["encoder_tokens"], t["captions"])


# ------------------------------------------------------------------------- decoder-r2l-a, showtell-r2l-a

R2L_PREFIX = "decoder_r2l."
R2L_ABOUT = (" Right to left: the weights are a right-to-left decoder's, under decoder_r2l.<name> (and grad_decoder_r2l.<name>), "
             "as in a checkpoint of a model trained with --directions both. captions [B,T] are in reading order (<start> w1 … wN <end>, "
             "then `pad`, a one-element tensor, to T); the decoder reads each reversed, <start> wN … w1 <end> with the padding left at "
             "the end, and logits and alphas are its steps over the reversed captions; targets equal to pad are ignored by the loss "
             "(and by the attention regulariser's sum over steps).")
R2L_SPECIALS = dict(pad=0, start=1, end=2)


def reversed_captions(captions, pad):
    """Each caption's words between <start> and its last token before the padding (its <end>) in reverse order."""
    out = captions.clone()
    for b in range(captions.shape[0]):
        last = max(i for i in range(captions.shape[1]) if captions[b, i] != pad)
        out[b, 1:last] = captions[b, 1:last].flip(0)
    return out


def r2l_captions(c):
    """Reading-order captions of random lengths (at least one word): <start>, words, <end>, padding."""
    captions = torch.full((c["batch"], c["T"]), float(R2L_SPECIALS["pad"]))
    for b in range(c["batch"]):
        n = int(torch.randint(1, c["T"] - 1, (1,)))
        captions[b, 0] = R2L_SPECIALS["start"]
        captions[b, 1:n + 1] = torch.randint(4, c["vocab"], (n,)).float()
        captions[b, n + 1] = R2L_SPECIALS["end"]
    return captions


def r2l_outputs(dec, enc_tokens, captions):
    return decoder_outputs(dec, enc_tokens, reversed_captions(captions, R2L_SPECIALS["pad"]), R2L_SPECIALS["pad"], R2L_PREFIX)


def make_decoder_r2l(seed, c, showtell, name, about_text):
    dec, enc_tokens = seeded_decoder(seed, c, showtell)
    captions = r2l_captions(c)
    tensors = {**weights(dec, R2L_PREFIX), "encoder_tokens": enc_tokens, "captions": captions,
               "pad": torch.tensor([float(R2L_SPECIALS["pad"])]), **r2l_outputs(dec, enc_tokens, captions)}
    return {name + ".safetensors": tensors}, {name + ".json": {"about": about_text + R2L_ABOUT, "config": c}}


def make_decoder_r2l_a():
    c = dict(dim=8, hid=12, att=6, emb=5, vocab=11, tokens=5, T=7, batch=4)
    return make_decoder_r2l(5, c, False, "decoder-r2l-a", DECODER_ABOUT)


def make_showtell_r2l_a():
    c = dict(dim=8, hid=10, emb=6, vocab=11, tokens=5, T=7, batch=4, layers=2, fc=7)
    return make_decoder_r2l(6, c, True, "showtell-r2l-a", SHOWTELL_ABOUT)


def recompute_decoder_r2l(t, about, showtell):
    dec = new_decoder(about["config"], showtell)
    dec.load_state_dict({k: t[R2L_PREFIX + k] for k in dec.state_dict()})
    return r2l_outputs(dec, t["encoder_tokens"], t["captions"])


# ------------------------------------------------------------------------------------- vit-a, vit-b

VIT_A_ABOUT = ("A timm VisionTransformer with these arguments (num_classes=0, global_pool=''), weights in the .safetensors beside this "
               "file under timm's own names; -io.safetensors holds an input batch [N,3,H,W] (already normalised) and timm's "
               "forward_features output [N,1+patches,dim] (after the final LayerNorm).")
VIT_B_ABOUT = ("The backward pass of a timm VisionTransformer with these arguments (num_classes=0, global_pool=''): weights under "
               "timm's own names, an input batch `input` [N,3,H,W] (already normalised), `forward_features` [N,1+patches,dim] (after "
               "the final LayerNorm), a fixed tensor `loss_weights` of the same shape, loss = sum(forward_features * loss_weights), "
               "`grad_input` its gradient with respect to the input and grad_<name> with respect to each weight.")


def timm_vit(args, eps):
    """timm's VisionTransformer, or None (with the reason on stderr) when timm cannot be imported."""
    try:
        from functools import partial
        from timm.models.vision_transformer import VisionTransformer
    except Exception as e:  # a missing timm, or a torchvision build that does not match torch
        print(f"timm not usable ({type(e).__name__}: {e}); using the twin's ViT", file=sys.stderr)
        return None
    norm = {} if eps == 1e-6 else {"norm_layer": partial(torch.nn.LayerNorm, eps=eps)}  # timm's default eps is 1e-6
    return VisionTransformer(**args, num_classes=0, global_pool="", **norm)


def new_vit(args, eps, use_timm=True):
    """timm's model when it is there, else the twin's; both draw the same weights from the same seed."""
    model = timm_vit(args, eps) if use_timm else None
    return (model, "timm") if model is not None else (twin.ViT.from_timm_args(args, eps), "twin")


def vit_backward(model, images, loss_weights):
    model.eval()
    model.zero_grad()
    x = images.clone().requires_grad_()
    y = model.forward_features(x)
    loss = (y * loss_weights).sum()
    loss.backward()
    return dict(forward_features=y, loss=loss.reshape(1)), dict(grad_input=x.grad, **grads(model))


def vit_json(about_text, args, eps, images, out_shape):
    return {"about": about_text, "timm_args": args, "layer_norm_eps": eps, "activation": "gelu (exact, erf)",
            "input_shape": list(images.shape), "output_shape": list(out_shape)}


def make_vit_a():
    args, eps = dict(img_size=32, patch_size=8, embed_dim=64, depth=2, num_heads=4), 1e-6
    torch.manual_seed(1)
    model, made_by = new_vit(args, eps)
    perturb(model, 0.02)
    images = torch.randn(2, 3, 32, 32)
    model.eval()
    with torch.no_grad():
        y = model.forward_features(images)
    print(f"vit-a: made with {made_by}")
    return ({"vit-a.safetensors": weights(model), "vit-a-io.safetensors": {"input": images, "forward_features": y}},
            {"vit-a.json": vit_json(VIT_A_ABOUT, args, eps, images, y.shape)})


def make_vit_b():
    # Non-square images, three heads and an MLP ratio of 2, so that nothing square or default hides a mistake.
    args, eps = dict(img_size=[24, 32], patch_size=8, embed_dim=48, depth=2, num_heads=3, mlp_ratio=2.0), 1e-6
    torch.manual_seed(5)
    model, made_by = new_vit(args, eps)
    perturb(model, 0.02)
    images = torch.randn(2, 3, 24, 32)
    loss_weights = 0.02 * torch.randn(2, 1 + 3 * 4, 48)     # keeps the gradients of order 1
    outs, gs = vit_backward(model, images, loss_weights)
    print(f"vit-b: made with {made_by}")
    tensors = {**weights(model), "input": images, "loss_weights": loss_weights, **outs, **gs}
    return {"vit-b.safetensors": tensors}, {"vit-b.json": vit_json(VIT_B_ABOUT, args, eps, images, outs["forward_features"].shape)}


def recompute_vit_a(t, io, about):
    model = twin.ViT.from_timm_args(about["timm_args"], about["layer_norm_eps"])
    model.load_state_dict({k: t[k] for k in model.state_dict()})
    model.eval()
    with torch.no_grad():
        return {"forward_features": model.forward_features(io["input"])}


def recompute_vit_b(t, about):
    model = twin.ViT.from_timm_args(about["timm_args"], about["layer_norm_eps"])
    model.load_state_dict({k: t[k] for k in model.state_dict()})
    outs, gs = vit_backward(model, t["input"], t["loss_weights"])
    return {**outs, **gs}


# ------------------------------------------------------------------------------------------ train-a

TRAIN_ABOUT = ("Ten training steps of a small ViT + attention-LSTM captioner, as vitcap's TrainStep takes them: teacher-forced "
               "forward in training mode with dropout 0, loss = mean cross-entropy with label smoothing over the real targets "
               "(target != pad) + attention_reg * mean over images and tokens of (1 - sum over real steps of alpha)^2, backward through "
               "decoder and encoder, the global gradient norm clipped to clip_norm (coefficient min(1, clip_norm / (norm + 1e-6))), "
               "AdamW (torch.optim.AdamW) at lr[s] for the decoder and encoder_lr[s] for the encoder, both from the schedule "
               "(linear warm-up, then cosine to min_ratio of the peak; s counts from 0). encoder.* and decoder.* are the initial "
               "weights under vitcap's checkpoint names, final.* the weights after the last step; images [B,3,H,W]; captions [B,T] "
               "(ids as floats); loss, cross_entropy and grad_norm (before clipping) have one entry per step.")


def train_config():
    return {
        "timm_args": dict(img_size=16, patch_size=8, embed_dim=16, depth=2, num_heads=2, mlp_ratio=2.0),
        "layer_norm_eps": 1e-6,
        "decoder": dict(kind="attention", vocab=13, emb=6, hid=10, att=7, dropout=0.0),
        "T": 7, "batch": 3, "pad": 0, "start": 1, "end": 2, "steps": 10,
        "options": dict(label_smoothing=0.1, attention_reg=1.0, clip_norm=1.0, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8),
        "schedule": dict(peak=1e-3, encoder_peak=3e-4, warmup=3, total=10, min_ratio=0.05),
    }


def f32(x):
    """The float32 value nearest x (what Java's float arithmetic hands on)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def new_captioner(cfg):
    d = cfg["decoder"]
    enc = twin.ViT.from_timm_args(cfg["timm_args"], cfg["layer_norm_eps"])
    dec = twin.AttentionDecoder(enc.pos_embed.shape[2], d["vocab"], d["emb"], d["hid"], d["att"], d["dropout"])
    return twin.Captioner(enc, dec)


def train(model, cfg, images, captions):
    """cfg["steps"] steps of twin.train_step; returns the per-step lr, encoder lr, loss, cross-entropy and norm."""
    o, s = cfg["options"], cfg["schedule"]
    opt = torch.optim.AdamW([{"params": list(model.decoder.parameters())}, {"params": list(model.encoder.parameters())}],
                            lr=0.0, betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weight_decay"])
    model.train()
    cap = captions.round().long()
    rows = {k: [] for k in ("lr", "encoder_lr", "loss", "cross_entropy", "grad_norm")}
    for step in range(cfg["steps"]):
        lr = f32(twin.schedule(f32(s["peak"]), s["warmup"], s["total"], f32(s["min_ratio"]), step))
        enc_lr = f32(twin.schedule(f32(s["encoder_peak"]), s["warmup"], s["total"], f32(s["min_ratio"]), step))
        opts = twin.StepOptions(lr, enc_lr, True, o["label_smoothing"], o["attention_reg"], o["clip_norm"])
        loss, ce, norm = twin.train_step(model, opt, images, cap, cfg["pad"], opts)
        for k, v in zip(rows, (lr, enc_lr, loss, ce, norm)):
            rows[k].append(v)
    return {k: torch.tensor(v, dtype=torch.float64).float() for k, v in rows.items()}


def make_train_a():
    cfg = train_config()
    torch.manual_seed(6)
    model = new_captioner(cfg)
    B, T, V = cfg["batch"], cfg["T"], cfg["decoder"]["vocab"]
    images = torch.randn(B, 3, cfg["timm_args"]["img_size"], cfg["timm_args"]["img_size"])
    captions = torch.full((B, T), cfg["pad"])
    for b, words in enumerate((T - 2, T - 3, T - 5)):        # <start> w… <end>, then padding
        captions[b, 0] = cfg["start"]
        captions[b, 1:1 + words] = torch.randint(3, V, (words,))
        captions[b, 1 + words] = cfg["end"]
    initial = weights(model)
    curves = train(model, cfg, images, captions.float())
    tensors = {**initial, "images": images, "captions": captions.float(), **curves, **weights(model, "final.")}
    return {"train-a.safetensors": tensors}, {"train-a.json": {"about": TRAIN_ABOUT, **cfg}}


def gauge_entries(name):
    """Entries the loss does not depend on (softmax is unchanged by a shift): the attention score bias and the
    key third of each qkv bias. Their gradients are float32 rounding noise, which AdamW's normalisation
    turns into steps of about lr whose sign is the noise's, so they are held to a bound, not compared."""
    if name.endswith("full_att.bias"):
        return slice(None)
    if name.endswith("attn.qkv.bias"):
        return "key"
    return None


def recompute_train_a(t, cfg):
    model = new_captioner(cfg)
    model.load_state_dict({k: t[k] for k in model.state_dict()})
    curves = train(model, cfg, t["images"], t["captions"])
    return {**curves, **weights(model, "final.")}


# ---------------------------------------------------------------------------------------- metrics-a

METRICS_ABOUT = ("Scores from the COCO caption evaluation code (PTB tokenizer of Stanford CoreNLP 3.4.1, BLEU closest-ref, ROUGE-L "
                 "beta 1.2, CIDEr-D sigma 6) on the captions in 'images'.")


def coco_scores(images):
    """Tokens, corpus scores and per-image scores of pycocoevalcap, or None when it is not installed."""
    try:
        from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer
        from pycocoevalcap.bleu.bleu import Bleu
        from pycocoevalcap.rouge.rouge import Rouge
        from pycocoevalcap.cider.cider import Cider
    except ImportError:
        return None
    ids = list(images)
    tok = PTBTokenizer()
    gts = tok.tokenize({i: [{"caption": r} for r in images[i]["refs"]] for i in ids})
    res = tok.tokenize({i: [{"caption": images[i]["cand"]}] for i in ids})
    order = list(gts)                      # the scorers report per-image scores in the order of gts' keys
    corpus, per_image = {}, {i: {} for i in ids}
    bleu, bleus = Bleu(4).compute_score(gts, res)
    for n in range(4):
        corpus[f"Bleu_{n + 1}"] = bleu[n]
        for i, s in zip(order, bleus[n]):
            per_image[i][f"Bleu_{n + 1}"] = s
    for metric, scorer in (("ROUGE_L", Rouge()), ("CIDEr", Cider())):
        score, scores = scorer.compute_score(gts, res)
        corpus[metric] = float(score)
        for i, s in zip(order, scores):
            per_image[i][metric] = float(s)
    out = {i: dict(refs=images[i]["refs"], cand=images[i]["cand"], refs_tokenized=gts[i], cand_tokenized=res[i][0]) for i in ids}
    return {"about": METRICS_ABOUT, "images": out, "corpus": corpus, "per_image": per_image}


def captions_of(out_dir):
    """The caption set of metrics-a (the data scored): the committed file's references and candidates."""
    return {i: dict(refs=v["refs"], cand=v["cand"]) for i, v in read_json(os.path.join(out_dir, "metrics-a.json"))["images"].items()}


def make_metrics_a(out_dir=FIXTURES):
    result = coco_scores(captions_of(out_dir))
    if result is None:
        print("metrics-a: skipped (pycocoevalcap is not installed)")
        return {}, {}
    return {}, {"metrics-a.json": result}


# ------------------------------------------------------------------------------------------- driver

MAKERS = {"lstm-a": make_lstm_a, "decoder-a": make_decoder_a, "showtell-a": make_showtell_a,
          "decoder-r2l-a": make_decoder_r2l_a, "showtell-r2l-a": make_showtell_r2l_a, "vit-a": make_vit_a,
          "vit-b": make_vit_b, "train-a": make_train_a, "metrics-a": make_metrics_a}


def max_diff(a, b):
    return float((a.double() - b.double()).abs().max()) if a.numel() else 0.0


def compare(label, committed, recomputed, ignore=lambda name: None):
    """The largest difference over the tensors both hold; entries `ignore` names are reported apart."""
    worst, where, apart = 0.0, "", 0.0
    for name, value in recomputed.items():
        if name not in committed:
            raise SystemExit(f"{label}: the committed file lacks {name}")
        a, b = committed[name], value.detach().reshape(committed[name].shape)
        gauge = ignore(name)
        if gauge is not None:
            third = a.shape[0] // 3
            part = slice(third, 2 * third) if gauge == "key" else gauge
            apart = max(apart, max_diff(a[part], b[part]))
            a, b = a.clone(), b.clone()
            a[part] = 0
            b[part] = 0
        d = max_diff(a, b)
        if d >= worst:
            worst, where = d, name
    ok = worst <= CHECK_TOLERANCE
    note = f"; loss-independent entries differ by {apart:.1e}" if apart else ""
    place = f"({where})" if worst > 0 else "(identical)"
    print(f"  {label:55s} max |diff| {worst:.2e} {place}{note}  {'ok' if ok else 'OVER 1e-5'}")
    return ok


def check_metrics(committed):
    """pycocoevalcap's tokens and scores for the committed captions against the committed ones."""
    fresh = coco_scores({i: dict(refs=v["refs"], cand=v["cand"]) for i, v in committed["images"].items()})
    if fresh is None:
        print("  skipped: pycocoevalcap is not installed")
        return True
    worst = max(abs(fresh["corpus"][m] - committed["corpus"][m]) for m in committed["corpus"])
    for i, scores in committed["per_image"].items():
        worst = max([worst] + [abs(fresh["per_image"][i][m] - s) for m, s in scores.items()])
    same_tokens = all(fresh["images"][i]["refs_tokenized"] == v["refs_tokenized"] and
                      fresh["images"][i]["cand_tokenized"] == v["cand_tokenized"] for i, v in committed["images"].items())
    print(f"  recomputed scores: max |diff| {worst:.2e}, tokens {'equal' if same_tokens else 'DIFFERENT'}")
    return worst <= 1e-9 and same_tokens


# What the twin recomputes from each committed fixture: (file compared, function of the loader and the .json reader).
RECOMPUTE = {
    "lstm-a": ("lstm-a.safetensors", lambda load, about: recompute_lstm_a(load("lstm-a.safetensors"), about("lstm-a.json"))),
    "decoder-a": ("decoder-a.safetensors",
                  lambda load, about: recompute_decoder(load("decoder-a.safetensors"), about("decoder-a.json"), False)),
    "showtell-a": ("showtell-a.safetensors",
                   lambda load, about: recompute_decoder(load("showtell-a.safetensors"), about("showtell-a.json"), True)),
    "decoder-r2l-a": ("decoder-r2l-a.safetensors",
                      lambda load, about: recompute_decoder_r2l(load("decoder-r2l-a.safetensors"), about("decoder-r2l-a.json"), False)),
    "showtell-r2l-a": ("showtell-r2l-a.safetensors",
                       lambda load, about: recompute_decoder_r2l(load("showtell-r2l-a.safetensors"), about("showtell-r2l-a.json"), True)),
    "vit-a": ("vit-a-io.safetensors",
              lambda load, about: recompute_vit_a(load("vit-a.safetensors"), load("vit-a-io.safetensors"), about("vit-a.json"))),
    "vit-b": ("vit-b.safetensors", lambda load, about: recompute_vit_b(load("vit-b.safetensors"), about("vit-b.json"))),
    "train-a": ("train-a.safetensors", lambda load, about: recompute_train_a(load("train-a.safetensors"), about("train-a.json"))),
}


def check(out_dir):
    ok = True
    load = lambda name: read_safetensors(os.path.join(out_dir, name))
    about = lambda name: read_json(os.path.join(out_dir, name))
    for name, maker in MAKERS.items():
        print(name)
        if name == "metrics-a":
            ok &= check_metrics(about("metrics-a.json"))
            continue
        ignore = gauge_entries if name == "train-a" else (lambda n: None)
        made, _ = maker()
        for file, tensors in made.items():
            ok &= compare(f"{file} regenerated from its seed", load(file), tensors, ignore)
        file, recompute = RECOMPUTE[name]
        ok &= compare(f"{file} recomputed by the twin", load(file), recompute(load, about), ignore)
    print("all within 1e-5" if ok else "SOME DIFFERENCES OVER 1e-5")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="fixtures to write (default: all)")
    ap.add_argument("--out", default=FIXTURES, help="the fixtures folder (default: core's test resources)")
    ap.add_argument("--check", action="store_true", help="compare with the committed fixtures instead of writing")
    a = ap.parse_args()
    torch.set_num_threads(1)  # fixed summation order, and a quiet machine for everyone else
    if a.check:
        sys.exit(0 if check(a.out) else 1)
    for name in a.names or MAKERS:
        if name not in MAKERS:
            sys.exit(f"unknown fixture {name}; known: {', '.join(MAKERS)}")
        tensors, docs = MAKERS[name]()
        for file, t in tensors.items():
            write_safetensors(os.path.join(a.out, file), t)
            print("wrote", file)
        for file, d in docs.items():
            write_json(os.path.join(a.out, file), d)
            print("wrote", file)


if __name__ == "__main__":
    main()
