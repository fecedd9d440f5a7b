package dev.vitcap.model;

import java.util.List;

/**
 * A whole captioner's shape: the encoder, the decoder, the caption length {@code T} in tokens
 * including {@code <start>} (so {@code T − 1} decoding steps), the optional region head, which way
 * the decoder reads ({@code directions}; both: two decoders of this shape, default and when absent from
 * older files: left to right), and whether it has a {@link PositionHead} (false when absent). The presets
 * are those of {@code reference-model.md} plus {@code tiny} for tests and quick runs.
 */
public record ModelConfig(VitConfig encoder, DecoderConfig decoder, int maxLength, RegionHeadConfig region, Directions directions,
                          boolean positionHead) {

    /**
     * Caption lengths in tokens: {@code <start>} and at least one more, and at most ten times the
     * longest caption decoding allows (100 words), past which a length is a typo that only costs
     * memory. Plain numbers, not a settings range: the model depends on the kernel contract alone
     * (the command line builds its range from them).
     */
    public static final int MIN_LENGTH = 2, MAX_LENGTH = 1024;

    public ModelConfig {
        if (encoder == null || decoder == null) throw new IllegalArgumentException("a model config needs an encoder and a decoder");
        if (maxLength < MIN_LENGTH || maxLength > MAX_LENGTH) {
            throw new IllegalArgumentException("caption length must be between " + MIN_LENGTH + " and " + MAX_LENGTH + " tokens, not " + maxLength);
        }
        if (directions == null) directions = Directions.L2R;
    }

    /** A captioner without a position head. */
    public ModelConfig(VitConfig encoder, DecoderConfig decoder, int maxLength, RegionHeadConfig region, Directions directions) {
        this(encoder, decoder, maxLength, region, directions, false);
    }

    /** A left-to-right captioner. */
    public ModelConfig(VitConfig encoder, DecoderConfig decoder, int maxLength, RegionHeadConfig region) {
        this(encoder, decoder, maxLength, region, Directions.L2R);
    }

    /** A captioner without an auxiliary region head. */
    public ModelConfig(VitConfig encoder, DecoderConfig decoder, int maxLength) {
        this(encoder, decoder, maxLength, null, Directions.L2R);
    }

    /** The presets' names, smallest first. */
    public static final List<String> PRESETS = List.of("tiny", "small", "base");

    public static ModelConfig preset(String name, DecoderConfig.Kind kind) {
        return switch (name) {
            case "tiny" -> new ModelConfig(VitConfig.builder().image(32).patch(8).dim(64).depth(2).heads(2).mlp(128).build(),
                    DecoderConfig.builder(kind).vocab(200).emb(64).hidden(128).att(64).build(), 16);
            case "small" -> new ModelConfig(VitConfig.builder().image(64).patch(8).dim(192).depth(4).heads(3).mlp(768).build(),
                    DecoderConfig.builder(kind).vocab(1000).emb(256).hidden(512).att(256).build(), 20);
            case "base" -> new ModelConfig(VitConfig.builder().image(224).patch(16).dim(768).depth(12).heads(12).mlp(3072).build(),
                    DecoderConfig.builder(kind).vocab(10000).emb(512).hidden(512).att(512).build(), 20);
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "' (" + String.join(", ", PRESETS) + ")");
        };
    }

    public ModelConfig withVocab(int vocab) {
        return new ModelConfig(encoder, decoder.withVocab(vocab), maxLength, region, directions, positionHead);
    }

    public ModelConfig withEncoder(VitConfig vit) {
        return new ModelConfig(vit, decoder, maxLength, region, directions, positionHead);
    }

    public ModelConfig withMaxLength(int tokens) {
        return new ModelConfig(encoder, decoder, tokens, region, directions, positionHead);
    }

    public ModelConfig withRegionHead(RegionHeadConfig head) {
        return new ModelConfig(encoder, decoder, maxLength, head, directions, positionHead);
    }

    public ModelConfig withPositionHead(boolean head) {
        return new ModelConfig(encoder, decoder, maxLength, region, directions, head);
    }

    public ModelConfig withDirections(Directions d) {
        return new ModelConfig(encoder, decoder, maxLength, region, d, positionHead);
    }
}
