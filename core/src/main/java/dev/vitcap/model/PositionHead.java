package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.List;
import java.util.Random;

/**
 * An auxiliary loss that keeps where each patch is in the encoder's output: a linear layer names, from
 * each output patch token, which patch of the image it came from (cross-entropy over the patches).
 * A ViT's position table starts small beside its patch features, and nothing in a captioning loss asks
 * the blocks to keep it; the attention decoder reads a weighted sum of these tokens, so when the tokens
 * say where they are, what it reads says where it looked, and words such as "to the left of" can follow
 * from it. (On the synthetic world a captioner trained without it said "to the left of" whatever the
 * layout: docs/benchmarks.md.) Needs no labels; not used at captioning time.
 */
public final class PositionHead {
    /** The checkpoint name of its layer. */
    public static final String NAME = "position_head";

    private final VitConfig vit;
    private final Linear classifier;

    public PositionHead(ParamSet ps, VitConfig vit, Random rng) {
        this.vit = vit;
        this.classifier = new Linear(ps, NAME, vit.dim(), vit.patchesPerImage(), rng);
    }

    /** Its parameters: what its loss trains. */
    public List<Param> parameters() {
        return classifier.params();
    }

    public record Pass(double loss, Tensor enc, Tensor dLogits, int rows) {
    }

    /**
     * The mean cross-entropy over every patch token of {@code enc [batch, tokens, dim]}, times {@code weight}.
     * The class token has no patch and is skipped (its target is ignored), so the whole output is read as
     * one matrix of {@code batch·tokens} rows.
     */
    public Pass forward(Arena a, Tensor enc, int batch, float weight) {
        Kernels k = a.kernels();
        int tokens = vit.tokens(), patches = vit.patchesPerImage(), first = tokens - patches, rows = batch * tokens;
        int[] targets = new int[rows];
        for (int r = 0; r < rows; r++) targets[r] = r % tokens - first;  // -1 on the class token: ignored
        Tensor logits = a.f32(rows, patches), losses = a.f32(rows), dLogits = a.f32(rows, patches);
        classifier.forward(k, enc, rows, logits);
        int counted = batch * patches;
        k.crossEntropy(logits, a.keep(k.uploadInts(targets, rows)), rows, patches, -1, 0f, losses, dLogits, weight / counted);
        return new Pass(weight * k.sum(losses) / counted, enc, dLogits, rows);
    }

    /** Accumulates the classifier's gradients and adds the loss's gradient to {@code dEnc [batch, tokens, dim]}. */
    public void backward(Arena a, Pass p, Tensor dEnc) {
        classifier.backward(a.kernels(), p.enc(), p.dLogits(), p.rows(), dEnc, 1f);
    }
}
