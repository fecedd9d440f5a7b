package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.Random;

/**
 * One pre-norm transformer block, timm's names under {@code blocks.i}:
 * {@code x = x + attn.proj(MHSA(norm1(x)))}, then {@code x = x + mlp.fc2(GELU(mlp.fc1(norm2(x))))}.
 * The {@code qkv} output is {@code [tokens, 3, heads, headDim]} per image, so each head's query, key
 * and value are strided views of it and attention runs as batched products over the images.
 */
final class VitBlock {
    private final VitConfig c;
    private final LayerNorm norm1, norm2;
    private final Linear qkv, proj, fc1, fc2;

    VitBlock(ParamSet ps, String name, VitConfig c, Random rng) {
        this.c = c;
        int d = c.dim();
        Init w = new Init.TruncNormal(0.02);
        Init b = c.qkvBias() ? Init.zeros() : null;
        norm1 = new LayerNorm(ps, name + ".norm1", d, c.eps(), rng);
        qkv = new Linear(ps, name + ".attn.qkv", d, 3 * d, w, b, rng, null);
        proj = new Linear(ps, name + ".attn.proj", d, d, w, Init.zeros(), rng, null);
        norm2 = new LayerNorm(ps, name + ".norm2", d, c.eps(), rng);
        fc1 = new Linear(ps, name + ".mlp.fc1", d, c.mlp(), w, Init.zeros(), rng, null);
        fc2 = new Linear(ps, name + ".mlp.fc2", c.mlp(), d, w, Init.zeros(), rng, null);
    }

    record Saved(Tensor in, LayerNorm.Saved n1, Tensor ln1, Tensor qkv, Tensor probs, Tensor heads, Tensor mid,
                 LayerNorm.Saved n2, Tensor ln2, Tensor hidden, Tensor act, Tensor out, int batch) {
    }

    Saved forward(Arena a, Tensor x, int batch) {
        Kernels k = a.kernels();
        int t = c.tokens(), d = c.dim(), rows = batch * t, hd = c.headDim(), h = c.heads();
        Tensor ln1 = a.f32(rows, d);
        LayerNorm.Saved n1 = norm1.forward(a, x, rows, ln1);
        Tensor qkvOut = a.f32(rows, 3 * d);
        qkv.forward(k, ln1, rows, qkvOut);
        Tensor probs = a.f32(batch, h, t, t);
        for (int j = 0; j < h; j++) {
            k.gemmBatched(false, true, t, t, hd, 1f, qkvOut.from((long) j * hd), 3 * d, (long) t * 3 * d,
                    qkvOut.from(d + (long) j * hd), 3 * d, (long) t * 3 * d,
                    0f, probs.from((long) j * t * t), t, (long) h * t * t, batch);
        }
        k.softmax(probs, probs, batch * h * t, t, (float) (1 / Math.sqrt(hd)));
        Tensor heads = a.f32(rows, d);
        for (int j = 0; j < h; j++) {
            k.gemmBatched(false, false, t, hd, t, 1f, probs.from((long) j * t * t), t, (long) h * t * t,
                    qkvOut.from(2L * d + (long) j * hd), 3 * d, (long) t * 3 * d,
                    0f, heads.from((long) j * hd), d, (long) t * d, batch);
        }
        Tensor mid = a.f32(rows, d);
        proj.forwardResidual(k, heads, rows, x, mid);
        Tensor ln2 = a.f32(rows, d);
        LayerNorm.Saved n2 = norm2.forward(a, mid, rows, ln2);
        Tensor hidden = a.f32(rows, c.mlp());
        fc1.forward(k, ln2, rows, hidden);
        Tensor act = a.f32(rows, c.mlp());
        k.gelu(hidden, act);
        Tensor out = a.f32(rows, d);
        fc2.forwardResidual(k, act, rows, mid, out);
        return new Saved(x, n1, ln1, qkvOut, probs, heads, mid, n2, ln2, hidden, act, out, batch);
    }

    /**
     * Turns {@code dx}, the gradient of the block's output, into that of its input, in place. The
     * block's temporaries are freed when it is done, so the next block down reuses their memory:
     * kept to the end of the step, they were 8 of the 19.5 GB a {@code base} training step needed.
     */
    void backward(Kernels k, Saved s, Tensor dx) {
        try (Arena a = new Arena(k)) {
            backward(a, s, dx);
        }
    }

    private void backward(Arena a, Saved s, Tensor dx) {
        Kernels k = a.kernels();
        int t = c.tokens(), d = c.dim(), rows = s.batch() * t, hd = c.headDim(), h = c.heads(), batch = s.batch();
        Tensor dAct = a.f32(rows, c.mlp());
        fc2.backward(k, s.act(), dx, rows, dAct, 0f);
        Tensor dHidden = a.f32(rows, c.mlp());
        k.geluBackward(s.hidden(), dAct, dHidden);
        Tensor dLn2 = a.f32(rows, d);
        fc1.backward(k, s.ln2(), dHidden, rows, dLn2, 0f);
        norm2.backward(k, s.n2(), dLn2, dx); // dx now holds the gradient of mid (residual + norm path)
        Tensor dHeads = a.f32(rows, d);
        proj.backward(k, s.heads(), dx, rows, dHeads, 0f);
        Tensor dProbs = a.f32(batch, h, t, t);
        Tensor dQkv = a.f32(rows, 3 * d);
        long sq = (long) t * 3 * d, sp = (long) h * t * t, sh = (long) t * d;
        for (int j = 0; j < h; j++) {
            Tensor dHead = dHeads.from((long) j * hd);
            Tensor prob = s.probs().from((long) j * t * t);
            Tensor dProb = dProbs.from((long) j * t * t);
            Tensor v = s.qkv().from(2L * d + (long) j * hd);
            k.gemmBatched(false, true, t, t, hd, 1f, dHead, d, sh, v, 3 * d, sq, 0f, dProb, t, sp, batch);
            k.gemmBatched(true, false, t, hd, t, 1f, prob, t, sp, dHead, d, sh, 0f,
                    dQkv.from(2L * d + (long) j * hd), 3 * d, sq, batch);
        }
        k.softmaxBackward(s.probs(), dProbs, dProbs, batch * h * t, t, (float) (1 / Math.sqrt(hd)));
        for (int j = 0; j < h; j++) {
            Tensor dScore = dProbs.from((long) j * t * t);
            k.gemmBatched(false, false, t, hd, t, 1f, dScore, t, sp, s.qkv().from(d + (long) j * hd), 3 * d, sq,
                    0f, dQkv.from((long) j * hd), 3 * d, sq, batch);
            k.gemmBatched(true, false, t, hd, t, 1f, dScore, t, sp, s.qkv().from((long) j * hd), 3 * d, sq,
                    0f, dQkv.from(d + (long) j * hd), 3 * d, sq, batch);
        }
        Tensor dLn1 = a.f32(rows, d);
        qkv.backward(k, s.ln1(), dQkv, rows, dLn1, 0f);
        norm1.backward(k, s.n1(), dLn1, dx);
    }
}
