package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The Vision Transformer encoder of {@code reference-model.md}, parameters under timm's names:
 * patch embedding, class token and position table, {@code depth} pre-norm blocks, final layer norm.
 * Its output is every token, {@code [batch, tokens, dim]}.
 */
public final class VitEncoder {
    public final VitConfig c;
    private final Linear patchEmbed;
    private final Param cls, pos;
    private final List<VitBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;

    public VitEncoder(ParamSet ps, VitConfig c, Random rng) {
        this.c = c;
        int d = c.dim(), p = c.patch(), in = c.channels() * p * p;
        patchEmbed = new Linear(ps, "patch_embed.proj", in, d, Init.fanIn(in), Init.zeros(), rng, new int[]{d, c.channels(), p, p});
        cls = c.classToken() ? ps.add("cls_token", new Init.TruncNormal(1e-6), rng, 1, 1, d) : null;
        pos = ps.add("pos_embed", c.posInit().init(c.imageHeight() / p, c.imageWidth() / p, d, c.classToken()), rng, 1, c.tokens(), d);
        for (int i = 0; i < c.depth(); i++) blocks.add(new VitBlock(ps, "blocks." + i, c, rng));
        norm = new LayerNorm(ps, "norm", d, c.eps(), rng);
    }

    /** A forward pass's output and everything its backward pass reads. */
    public static final class Pass {
        public final Tensor out;
        final int batch;
        final Tensor patches;
        final List<VitBlock.Saved> blocks = new ArrayList<>();
        LayerNorm.Saved norm;

        Pass(Tensor out, int batch, Tensor patches) {
            this.out = out;
            this.batch = batch;
            this.patches = patches;
        }
    }

    /** Encodes normalised images {@code [batch, channels, height, width]} into {@code [batch, tokens, dim]}. */
    public Pass forward(Arena a, Tensor images, int batch) {
        Kernels k = a.kernels();
        int n = c.patchesPerImage(), t = c.tokens(), d = c.dim(), first = c.classToken() ? 1 : 0;
        Tensor patches = a.f32(batch * n, patchEmbed.in);
        k.patchify(images, batch, c.channels(), c.imageHeight(), c.imageWidth(), c.patch(), patches);
        Tensor embedded = a.f32(batch * n, d);
        patchEmbed.forward(k, patches, batch * n, embedded);
        Tensor x = a.f32(batch, t, d);
        if (cls != null) k.copy2d(batch, d, cls.value(), 0, x, t * d);
        k.copy2d(batch, n * d, embedded, n * d, x.from((long) first * d), t * d);
        k.addBias(x, batch, t * d, pos.value());
        Tensor out = a.f32(batch, t, d);
        Pass pass = new Pass(out, batch, patches);
        for (VitBlock b : blocks) {
            VitBlock.Saved s = b.forward(a, x, batch);
            pass.blocks.add(s);
            x = s.out();
        }
        pass.norm = norm.forward(a, x, batch * t, out);
        return pass;
    }

    /** Accumulates every parameter gradient from {@code dOut [batch, tokens, dim]} (the images get none). */
    public void backward(Arena a, Pass pass, Tensor dOut) {
        backward(a, pass, dOut, null);
    }

    /**
     * As {@link #backward(Arena, Pass, Tensor)}, and when {@code dPatches} is not null also writes the
     * gradient of the image patches, {@code [batch·patches, channels·patch·patch]} in {@link Kernels#patchify}'s layout.
     */
    public void backward(Arena a, Pass pass, Tensor dOut, Tensor dPatches) {
        Kernels k = a.kernels();
        int batch = pass.batch, n = c.patchesPerImage(), t = c.tokens(), d = c.dim(), first = c.classToken() ? 1 : 0;
        Tensor dx = a.zeros(batch, t, d);
        norm.backward(k, pass.norm, dOut, dx);
        for (int i = blocks.size() - 1; i >= 0; i--) blocks.get(i).backward(k, pass.blocks.get(i), dx);
        k.sumRows(dx, batch, t * d, pos.grad());
        if (cls != null) {
            Tensor dCls = a.f32(batch, d);
            k.copy2d(batch, d, dx, t * d, dCls, d);
            k.sumRows(dCls, batch, d, cls.grad());
        }
        Tensor dEmbedded = a.f32(batch * n, d);
        k.copy2d(batch, n * d, dx.from((long) first * d), t * d, dEmbedded, n * d);
        patchEmbed.backwardWeights(k, pass.patches, patchEmbed.in, dEmbedded, batch * n);
        if (dPatches != null) patchEmbed.backwardInput(k, dEmbedded, batch * n, dPatches, 0f);
    }
}
