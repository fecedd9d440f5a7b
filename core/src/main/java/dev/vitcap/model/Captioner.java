package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The whole model on one backend: a {@link VitEncoder} whose tokens a {@link Decoder} reads.
 * Encoder parameters keep timm's names and decoder parameters the twin's, in two sets (so the encoder
 * can be frozen, loaded from timm weights, or given its own learning rate).
 */
public final class Captioner implements AutoCloseable {
    public final ModelConfig config;
    public final Kernels kernels;
    public final ParamSet encoderParams, decoderParams, auxParams;
    public final VitEncoder encoder;
    public final Decoder decoder;
    /** The auxiliary region head, or null when the config has none. */
    public final RegionHead regionHead;

    /** A model initialised as the twin initialises it, from {@code seed}. */
    public Captioner(Kernels k, ModelConfig config, long seed) {
        this(k, config, new Random(seed));
    }

    /** A model whose weights are left unset, for a checkpoint to fill at once (drawing them would be wasted start-up time). */
    public static Captioner toRestore(Kernels k, ModelConfig config) {
        return new Captioner(k, config, (Random) null);
    }

    private Captioner(Kernels k, ModelConfig config, Random rng) {
        this.config = config;
        this.kernels = k;
        encoderParams = new ParamSet(k);
        decoderParams = new ParamSet(k);
        auxParams = new ParamSet(k);
        encoder = new VitEncoder(encoderParams, config.encoder(), rng);
        int dim = config.encoder().dim();
        decoder = config.decoder().kind() == DecoderConfig.Kind.ATTENTION
                ? new AttentionDecoder(decoderParams, config.decoder(), dim, rng)
                : new ShowTellDecoder(decoderParams, config.decoder(), dim, rng);
        regionHead = config.region() == null ? null : new RegionHead(auxParams, config.encoder(), config.region(), rng);
    }

    public int tokens() {
        return config.encoder().tokens();
    }

    /** Every parameter, encoder first, with its name in checkpoints ({@code encoder.…}, {@code decoder.…}, {@code aux.…}). */
    public List<Named> parameters() {
        List<Named> all = new ArrayList<>();
        for (Param p : encoderParams.all()) all.add(new Named("encoder." + p.name(), p));
        for (Param p : decoderParams.all()) all.add(new Named("decoder." + p.name(), p));
        for (Param p : auxParams.all()) all.add(new Named("aux." + p.name(), p));
        return all;
    }

    public record Named(String name, Param param) {
    }

    public void zeroGrads() {
        encoderParams.zeroGrads();
        decoderParams.zeroGrads();
        auxParams.zeroGrads();
    }

    /** A teacher-forced forward pass over both parts, and the region head's when it ran. */
    public record Pass(VitEncoder.Pass encoded, Decoder.Pass decoded, RegionHead.Pass region) {
        /** The decoder's loss plus the weighted region loss. */
        public double loss() {
            return decoded.loss() + (region == null ? 0 : region.loss());
        }
    }

    public Pass forward(Arena a, Tensor images, CaptionBatch captions, PassOptions options) {
        return forward(a, images, captions, options, null);
    }

    /** @param regionLabels each image's cell classes {@code [batch·grid²]}, or null (no region loss) */
    public Pass forward(Arena a, Tensor images, CaptionBatch captions, PassOptions options, Tensor regionLabels) {
        VitEncoder.Pass enc = encoder.forward(a, images, captions.batch());
        RegionHead.Pass region = regionHead != null && regionLabels != null && options.regionLoss() > 0
                ? regionHead.forward(a, enc.out, captions.batch(), regionLabels, options.regionLoss()) : null;
        return new Pass(enc, decoder.forward(a, enc.out, tokens(), captions, options), region);
    }

    /** Accumulates gradients into the decoder and, unless {@code encoderFrozen}, the encoder and region head. */
    public void backward(Arena a, Pass pass, boolean encoderFrozen) {
        int b = pass.encoded().out.shape()[0];
        Tensor dEnc = a.zeros(b, tokens(), config.encoder().dim());
        decoder.backward(a, pass.decoded(), dEnc);
        if (encoderFrozen) return;
        if (pass.region() != null) regionHead.backward(a, pass.region(), dEnc);
        encoder.backward(a, pass.encoded(), dEnc);
    }

    @Override
    public void close() {
        encoderParams.close();
        decoderParams.close();
        auxParams.close();
    }
}
