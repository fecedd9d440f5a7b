package dev.vitcap.model;

import dev.vitcap.kernel.Arena;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.kernel.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The whole model on one backend: a {@link VitEncoder} whose tokens a {@link Decoder} reads, or two
 * decoders for a model of {@link Directions#BOTH}: one left to right, one right to left (the same class,
 * trained on reversed captions), whose losses add up and both train the shared encoder.
 * Encoder parameters keep timm's names and decoder parameters the twin's, in separate sets (so the encoder
 * can be frozen, loaded from timm weights, or given its own learning rate).
 */
public final class Captioner implements AutoCloseable {
    /** The checkpoint prefixes of the left-to-right and the right-to-left decoder's parameters. */
    public static final String L2R_PREFIX = "decoder.", R2L_PREFIX = "decoder_r2l.";

    public final ModelConfig config;
    public final Kernels kernels;
    /** {@code decoderParams} are {@link #decoder}'s, {@code reverseParams} {@link #reverse}'s (empty without one). */
    public final ParamSet encoderParams, decoderParams, reverseParams, auxParams;
    public final VitEncoder encoder;
    /**
     * The decoder that captions: left to right, or right to left in a model trained only that way (whose
     * captions {@link dev.vitcap.decode.Decoding} turns back into reading order).
     */
    public final Decoder decoder;
    /** The right-to-left decoder beside a left-to-right {@link #decoder} ({@link Directions#BOTH}), or null. */
    public final Decoder reverse;
    /** The auxiliary region head, or null when the config has none. */
    public final RegionHead regionHead;
    /** The auxiliary position head, or null when the config has none. */
    public final PositionHead positionHead;

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
        reverseParams = new ParamSet(k);
        auxParams = new ParamSet(k);
        encoder = new VitEncoder(encoderParams, config.encoder(), rng);
        decoder = newDecoder(decoderParams, rng);
        regionHead = config.region() == null ? null : new RegionHead(auxParams, config.encoder(), config.region(), rng);
        positionHead = config.positionHead() ? new PositionHead(auxParams, config.encoder(), rng) : null;
        // Drawn last, so that the rest starts as a left-to-right model of the same seed does.
        reverse = config.directions() == Directions.BOTH ? newDecoder(reverseParams, rng) : null;
    }

    private Decoder newDecoder(ParamSet params, Random rng) {
        int dim = config.encoder().dim();
        return config.decoder().kind() == DecoderConfig.Kind.ATTENTION
                ? new AttentionDecoder(params, config.decoder(), dim, rng)
                : new ShowTellDecoder(params, config.decoder(), dim, rng);
    }

    /** The decoder that reads left to right, or null in a right-to-left model. */
    public Decoder leftToRight() {
        return config.directions().leftToRight() ? decoder : null;
    }

    /** The decoder that reads right to left, or null in a left-to-right model. */
    public Decoder rightToLeft() {
        return config.directions() == Directions.R2L ? decoder : reverse;
    }

    /** The checkpoint prefix of {@link #decoder}'s parameters. */
    public String decoderPrefix() {
        return config.directions().leftToRight() ? L2R_PREFIX : R2L_PREFIX;
    }

    /** Every decoder's parameters, {@link #decoder}'s first: what trains at the decoder's learning rate. */
    public List<Param> decoderParameters() {
        List<Param> all = new ArrayList<>(decoderParams.all());
        all.addAll(reverseParams.all());
        return all;
    }

    public int tokens() {
        return config.encoder().tokens();
    }

    /**
     * Every parameter, encoder first, with its name in checkpoints ({@code encoder.…}, {@code decoder.…}
     * for the left-to-right decoder, {@code decoder_r2l.…} for the right-to-left one, {@code aux.…}).
     */
    public List<Named> parameters() {
        List<Named> all = new ArrayList<>();
        for (Param p : encoderParams.all()) all.add(new Named("encoder." + p.name(), p));
        for (Param p : decoderParams.all()) all.add(new Named(decoderPrefix() + p.name(), p));
        for (Param p : reverseParams.all()) all.add(new Named(R2L_PREFIX + p.name(), p));
        for (Param p : auxParams.all()) all.add(new Named("aux." + p.name(), p));
        return all;
    }

    /** The parameters of the auxiliary heads whose losses ran in {@code pass}: those its backward pass gave gradients. */
    public List<Param> auxiliaryParameters(Pass pass) {
        List<Param> trained = new ArrayList<>();
        if (pass.region() != null) trained.addAll(regionHead.parameters());
        if (pass.position() != null) trained.addAll(positionHead.parameters());
        return trained;
    }

    public record Named(String name, Param param) {
    }

    public void zeroGrads() {
        encoderParams.zeroGrads();
        decoderParams.zeroGrads();
        reverseParams.zeroGrads();
        auxParams.zeroGrads();
    }

    /**
     * A teacher-forced forward pass over both parts, the right-to-left decoder's beside a left-to-right one
     * ({@code reversed}, or null), and the region and position heads' when they ran.
     */
    public record Pass(VitEncoder.Pass encoded, Decoder.Pass decoded, Decoder.Pass reversed, RegionHead.Pass region, PositionHead.Pass position) {
        /** The decoders' losses plus the weighted region and position losses. */
        public double loss() {
            return decoded.loss() + (reversed == null ? 0 : reversed.loss()) + (region == null ? 0 : region.loss())
                    + (position == null ? 0 : position.loss());
        }

        /** The decoders' cross-entropies, added. */
        public double crossEntropy() {
            return decoded.crossEntropy() + (reversed == null ? 0 : reversed.crossEntropy());
        }
    }

    public Pass forward(Arena a, Tensor images, CaptionBatch captions, PassOptions options) {
        return forward(a, images, captions, options, null);
    }

    /**
     * @param captions     in reading order; a right-to-left decoder reads them {@linkplain CaptionBatch#reversed reversed}
     * @param regionLabels each image's cell classes {@code [batch·grid²]}, or null (no region loss)
     */
    public Pass forward(Arena a, Tensor images, CaptionBatch captions, PassOptions options, Tensor regionLabels) {
        VitEncoder.Pass enc = encoder.forward(a, images, captions.batch());
        RegionHead.Pass region = regionHead != null && regionLabels != null && options.regionLoss() > 0
                ? regionHead.forward(a, enc.out, captions.batch(), regionLabels, options.regionLoss()) : null;
        PositionHead.Pass position = positionHead != null && options.positionLoss() > 0
                ? positionHead.forward(a, enc.out, captions.batch(), options.positionLoss()) : null;
        CaptionBatch forDecoder = config.directions().leftToRight() ? captions : captions.reversed(a);
        Decoder.Pass reversed = reverse == null ? null : reverse.forward(a, enc.out, tokens(), captions.reversed(a), options);
        return new Pass(enc, decoder.forward(a, enc.out, tokens(), forDecoder, options), reversed, region, position);
    }

    /** Accumulates gradients into the decoder and, unless {@code encoderFrozen}, the encoder and the auxiliary heads. */
    public void backward(Arena a, Pass pass, boolean encoderFrozen) {
        int b = pass.encoded().out.shape()[0];
        Tensor dEnc = a.zeros(b, tokens(), config.encoder().dim());
        decoder.backward(a, pass.decoded(), dEnc);
        if (pass.reversed() != null) reverse.backward(a, pass.reversed(), dEnc);
        if (encoderFrozen) return;
        if (pass.region() != null) regionHead.backward(a, pass.region(), dEnc);
        if (pass.position() != null) positionHead.backward(a, pass.position(), dEnc);
        encoder.backward(a, pass.encoded(), dEnc);
    }

    @Override
    public void close() {
        encoderParams.close();
        decoderParams.close();
        reverseParams.close();
        auxParams.close();
    }
}
