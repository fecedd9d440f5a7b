package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.List;
import java.util.Random;

/**
 * An auxiliary loss on the encoder where images come with dense labels (the synthetic world's
 * object in each cell of a grid): the patch tokens whose centres fall in each cell are averaged and a
 * linear layer classifies the cell (class 0 = empty). Supervising what is where makes the encoder's
 * tokens name their objects early, which is what the decoder's attention needs to bind words to them.
 * Not used at captioning time.
 */
public final class RegionHead {
    private final VitConfig vit;
    private final RegionHeadConfig c;
    private final Linear classifier;
    private final float[] pooling;

    public RegionHead(ParamSet ps, VitConfig vit, RegionHeadConfig c, Random rng) {
        this.vit = vit;
        this.c = c;
        this.classifier = new Linear(ps, "region_head", vit.dim(), c.classes(), rng);
        this.pooling = poolingMatrix(vit, c.grid());
    }

    /** Its parameters: what its loss trains. */
    public List<Param> parameters() {
        return classifier.params();
    }

    /** {@code [grid², patches]}: row r averages the patches whose centres lie in cell r (row-major cells and patches). */
    static float[] poolingMatrix(VitConfig vit, int grid) {
        int ph = vit.imageHeight() / vit.patch(), pw = vit.imageWidth() / vit.patch(), n = ph * pw;
        float[] m = new float[grid * grid * n];
        int[] counts = new int[grid * grid];
        int[] cellOf = new int[n];
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                int row = Math.min(grid - 1, (int) ((y + 0.5) * grid / ph)), col = Math.min(grid - 1, (int) ((x + 0.5) * grid / pw));
                cellOf[y * pw + x] = row * grid + col;
                counts[row * grid + col]++;
            }
        }
        for (int p = 0; p < n; p++) m[cellOf[p] * n + p] = 1f / counts[cellOf[p]];
        return m;
    }

    public record Pass(double loss, Tensor pooled, Tensor dLogits, int batch) {
    }

    /** The mean cross-entropy of every cell's class ({@code labels [batch·grid²]}), times {@code weight}. */
    public Pass forward(Arena a, Tensor enc, int batch, Tensor labels, float weight) {
        Kernels k = a.kernels();
        int cells = c.grid() * c.grid(), n = vit.patchesPerImage(), d = vit.dim(), first = vit.classToken() ? 1 : 0;
        Tensor pool = a.keep(k.upload(pooling, cells, n));
        Tensor pooled = a.f32(batch * cells, d);
        k.gemmBatched(false, false, cells, d, n, 1f, pool, n, 0, enc.from((long) first * d), d, (long) vit.tokens() * d,
                0f, pooled, d, (long) cells * d, batch);
        Tensor logits = a.f32(batch * cells, c.classes());
        classifier.forward(k, pooled, batch * cells, logits);
        Tensor losses = a.f32(batch * cells), dLogits = a.f32(batch * cells, c.classes());
        int rows = batch * cells;
        k.crossEntropy(logits, labels, rows, c.classes(), -1, 0f, losses, dLogits, weight / rows);
        return new Pass(weight * k.sum(losses) / rows, pooled, dLogits, batch);
    }

    /** Accumulates the classifier's gradients and adds the loss's gradient to {@code dEnc [batch, tokens, dim]}. */
    public void backward(Arena a, Pass p, Tensor dEnc) {
        Kernels k = a.kernels();
        int cells = c.grid() * c.grid(), n = vit.patchesPerImage(), d = vit.dim(), first = vit.classToken() ? 1 : 0;
        Tensor dPooled = a.f32(p.batch() * cells, d);
        classifier.backward(k, p.pooled(), p.dLogits(), p.batch() * cells, dPooled, 0f);
        Tensor pool = a.keep(k.upload(pooling, cells, n));
        k.gemmBatched(true, false, n, d, cells, 1f, pool, n, 0, dPooled, d, (long) cells * d,
                1f, dEnc.from((long) first * d), d, (long) vit.tokens() * d, p.batch());
    }
}
