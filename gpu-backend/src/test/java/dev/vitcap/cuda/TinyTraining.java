package dev.vitcap.cuda;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.CaptionBatch;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.Param;
import dev.vitcap.model.PassOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * A few training steps of the {@code tiny} captioner with the twin's recipe (dropout, label smoothing,
 * the attention regulariser, clipping to global norm 5, AdamW), on fixed data and seeds, so that two
 * backends can be held against each other step by step. (A stand-in until core has a trainer.)
 */
final class TinyTraining {
    static final int BATCH = 4, PAD = 0, START = 1, END = 2;
    static final float LR = 1e-3f, CLIP = 5f;

    private TinyTraining() {
    }

    /** The loss of each step; {@code afterStep} is called with the step number once it is done. */
    static double[] lossCurve(Kernels k, DecoderConfig.Kind kind, int steps, IntConsumer afterStep) {
        ModelConfig cfg = ModelConfig.preset("tiny", kind);
        Random data = new Random(7);
        int side = cfg.encoder().imageHeight(), length = cfg.maxLength(), vocab = cfg.decoder().vocab();
        float[] images = new float[BATCH * 3 * side * side];
        for (int i = 0; i < images.length; i++) images[i] = data.nextFloat() * 2 - 1;
        int[][] captions = new int[BATCH][length];
        for (int b = 0; b < BATCH; b++) {
            int words = length - 2 - 2 * b; // shorter captions end in padding
            captions[b][0] = START;
            for (int t = 1; t <= words; t++) captions[b][t] = 3 + data.nextInt(vocab - 3);
            captions[b][words + 1] = END;
        }
        double[] losses = new double[steps];
        try (Captioner model = new Captioner(k, cfg, 42)) {
            List<Param> params = new ArrayList<>();
            model.parameters().forEach(n -> params.add(n.param()));
            List<Tensor> grads = params.stream().map(Param::grad).toList();
            List<Tensor> moments = new ArrayList<>();
            for (Param p : params) {
                moments.add(k.zeros(DType.F32, p.shape()));
                moments.add(k.zeros(DType.F32, p.shape()));
            }
            try {
                for (int step = 1; step <= steps; step++) {
                    model.zeroGrads();
                    try (Arena a = new Arena(k)) {
                        Tensor img = a.keep(k.upload(images, BATCH, 3, side, side));
                        CaptionBatch cap = CaptionBatch.of(a, captions, PAD);
                        Captioner.Pass pass = model.forward(a, img, cap, new PassOptions(true, 1000 + step, 0.1f, 1f));
                        model.backward(a, pass, false);
                        losses[step - 1] = pass.loss();
                        double norm = Math.sqrt(k.sumOfSquares(grads));
                        float scale = norm > CLIP ? (float) (CLIP / norm) : 1f;
                        for (int i = 0; i < params.size(); i++) {
                            Param p = params.get(i);
                            k.adamw(p.value(), p.grad(), moments.get(2 * i), moments.get(2 * i + 1), LR, 0.9f, 0.999f, 1e-8f, 0.01f, step, scale);
                        }
                    }
                    afterStep.accept(step);
                }
            } finally {
                moments.forEach(Tensor::close);
            }
        }
        return losses;
    }
}
