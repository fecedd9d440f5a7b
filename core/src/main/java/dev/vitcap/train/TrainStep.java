package dev.vitcap.train;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Param;
import dev.vitcap.model.PassOptions;
import dev.vitcap.optim.AdamW;

import java.util.ArrayList;
import java.util.List;

/**
 * One optimisation step of the whole model: forward with dropout, backward, clipping of the global
 * gradient norm (as {@code torch.nn.utils.clip_grad_norm_}), AdamW.
 */
public final class TrainStep {
    private final Captioner model;
    private final AdamW optimizer;

    public TrainStep(Captioner model, AdamW optimizer) {
        this.model = model;
        this.optimizer = optimizer;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * What a step measured: the loss and its word part, the gradient norm before clipping, and for a
     * self-critical step its rewards (else null).
     */
    public record Result(double loss, double crossEntropy, double gradNorm, SelfCriticalStep.Rewards rewards) {
        public Result(double loss, double crossEntropy, double gradNorm) {
            this(loss, crossEntropy, gradNorm, null);
        }
    }

    /**
     * @param images   normalised images {@code [batch, channels, height, width]}, already on the backend
     * @param captions token ids, {@code [batch][T]}, {@code pad} marking padding
     */
    public Result run(Tensor images, int[][] captions, int pad, StepOptions o) {
        return run(images, captions, pad, null, o);
    }

    /** @param regions each image's region classes for the model's region head, or null */
    public Result run(Tensor images, int[][] captions, int pad, int[][] regions, StepOptions o) {
        Kernels k = model.kernels;
        try (Arena a = new Arena(k)) {
            CaptionBatch batch = CaptionBatch.of(a, captions, pad);
            Tensor regionLabels = regions == null || model.regionHead == null ? null : a.keep(k.uploadInts(concat(regions), captions.length * regions[0].length));
            Captioner.Pass pass = model.forward(a, images, batch,
                    new PassOptions(true, o.seed(), o.labelSmoothing(), o.attentionReg(), o.regionLoss(), o.positionLoss()), regionLabels);
            model.zeroGrads();
            model.backward(a, pass, !o.trainEncoder());
            double norm = applyGradients(o, model.auxiliaryParameters(pass));
            return new Result(pass.loss(), pass.crossEntropy(), norm);
        }
    }

    /**
     * Clips the global norm of the gradients the last backward pass left (the decoder's, and unless the
     * encoder is frozen the encoder's and those of the auxiliary heads that trained, {@code auxiliary}), then
     * takes AdamW's step; returns the norm before clipping.
     */
    double applyGradients(StepOptions o, List<Param> auxiliary) {
        Kernels k = model.kernels;
        List<Param> decoder = model.decoderParameters();
        List<Param> encoder = new ArrayList<>();
        if (o.trainEncoder()) {
            encoder.addAll(model.encoderParams.all());
            encoder.addAll(auxiliary);
        }
        List<Tensor> grads = new ArrayList<>();
        for (Param p : decoder) grads.add(p.grad());
        for (Param p : encoder) grads.add(p.grad());
        double norm = Math.sqrt(k.sumOfSquares(grads));
        float scale = o.clipNorm() > 0 && norm > 0 ? (float) Math.min(1.0, o.clipNorm() / (norm + 1e-6)) : 1f;
        optimizer.step(decoder, o.lr(), scale);
        optimizer.step(encoder, o.encoderLr(), scale);
        return norm;
    }

    private static int[] concat(int[][] rows) {
        int[] out = new int[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
        return out;
    }
}
