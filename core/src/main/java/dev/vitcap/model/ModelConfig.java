package dev.vitcap.model;

/**
 * A whole captioner's shape: the encoder, the decoder, and the caption length {@code T} in tokens
 * including {@code <start>} (so {@code T − 1} decoding steps). The presets are those of
 * {@code reference-model.md} plus {@code tiny} for tests and quick runs.
 */
public record ModelConfig(VitConfig encoder, DecoderConfig decoder, int maxLength, RegionHeadConfig region) {

    /** A captioner without an auxiliary region head. */
    public ModelConfig(VitConfig encoder, DecoderConfig decoder, int maxLength) {
        this(encoder, decoder, maxLength, null);
    }

    public static ModelConfig preset(String name, DecoderConfig.Kind kind) {
        return switch (name) {
            case "tiny" -> of(VitConfig.of(32, 8, 64, 2, 2, 128), kind, 200, 64, 128, 64, 16);
            case "small" -> of(VitConfig.of(64, 8, 192, 4, 3, 768), kind, 1000, 256, 512, 256, 20);
            case "base" -> of(VitConfig.of(224, 16, 768, 12, 12, 3072), kind, 10000, 512, 512, 512, 20);
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "' (tiny, small, base)");
        };
    }

    /** The reference table's columns; the show-and-tell decoder takes L = 1 and F = H/2. */
    public static ModelConfig of(VitConfig vit, DecoderConfig.Kind kind, int vocab, int emb, int hidden, int att, int maxLength) {
        return new ModelConfig(vit, new DecoderConfig(kind, vocab, emb, hidden, att, 1, hidden / 2, 0.5f), maxLength);
    }

    public ModelConfig withVocab(int vocab) {
        DecoderConfig d = decoder;
        return new ModelConfig(encoder, new DecoderConfig(d.kind(), vocab, d.emb(), d.hidden(), d.att(), d.layers(), d.fc(), d.dropout()), maxLength, region);
    }

    public ModelConfig withRegionHead(RegionHeadConfig head) {
        return new ModelConfig(encoder, decoder, maxLength, head);
    }
}
