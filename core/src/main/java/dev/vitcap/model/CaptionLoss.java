package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Tensor;

/**
 * The word loss both decoders share: mean cross-entropy over the real targets, and its gradient; with
 * the batch's row weights, each row's cross-entropy is weighed first (still divided by the real count).
 */
record CaptionLoss(double value, Tensor dLogits) {

    static CaptionLoss of(Arena a, Tensor logits, CaptionBatch c, int vocab, float labelSmoothing) {
        int rows = c.batch() * c.steps();
        int count = Math.max(1, c.realCount());
        Tensor losses = a.f32(rows);
        Tensor dLogits = a.f32(rows, vocab);
        a.kernels().crossEntropy(logits, c.targets(), rows, vocab, c.pad(), labelSmoothing, losses, dLogits, 1f / count);
        if (c.weights() != null) {
            a.kernels().mul(losses, c.weights(), losses);
            a.kernels().scaleRows(dLogits, rows, vocab, c.weights());
        }
        return new CaptionLoss(a.kernels().sum(losses) / count, dLogits);
    }
}
