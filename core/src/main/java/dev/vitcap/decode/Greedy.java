package dev.vitcap.decode;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.DType;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.Decoder;

/** Greedy decoding: the most likely word at every step, for a whole batch at once. */
public final class Greedy {
    private Greedy() {
    }

    /**
     * Decodes up to {@code steps} words per image after {@code <start>}; with {@code end >= 0} an image
     * stops at its {@code <end>} (not included) and decoding stops when every image has.
     */
    public static int[][] decode(Captioner model, Tensor images, int batch, int steps, int start, int end) {
        Kernels k = model.kernels;
        Captions out = new Captions(batch, steps, end);
        try (Arena a = new Arena(k)) {
            Tensor enc = model.encoder.forward(a, images, batch).out;
            Decoder.State state = a.keep(model.decoder.start(a, enc, batch, model.tokens()));
            int[] current = new int[batch];
            java.util.Arrays.fill(current, start);
            Tensor ids = a.i32(batch);
            for (int t = 0; t < steps && out.anyAlive(); t++) {
                k.writeInts(ids, current);
                try (Arena step = new Arena(k)) {
                    Tensor logits = model.decoder.step(step, state, ids);
                    Tensor next = step.i32(batch);
                    k.argmaxRows(logits, batch, model.config.decoder().vocab(), next);
                    k.readInts(next, current);
                }
                out.add(current);
            }
        }
        return out.words();
    }

}
