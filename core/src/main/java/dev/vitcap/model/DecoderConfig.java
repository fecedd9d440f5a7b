package dev.vitcap.model;

/**
 * The decoder's shape. {@code kind} picks the attention LSTM (Show, Attend and Tell with the β gate)
 * or the show-and-tell stack; {@code att} is unused by the latter, {@code layers} and {@code fc} by the
 * former. Build one by name: {@code DecoderConfig.builder(Kind.ATTENTION).vocab(1000).emb(256).hidden(512).att(256).build()}.
 */
public record DecoderConfig(Kind kind, int vocab, int emb, int hidden, int att, int layers, int fc, float dropout) {
    public enum Kind { ATTENTION, SHOWTELL }

    public static final int MAX_LAYERS = 64;

    public DecoderConfig {
        if (kind == null) throw new IllegalArgumentException("the decoder needs a kind (attention or showtell)");
        if (vocab < 2 || emb < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("bad decoder shape: vocab " + vocab + " (at least 2), emb " + emb + ", hidden " + hidden + ", layers " + layers + " (at least 1)");
        }
        // Captioning LSTMs have one to four layers; past this bound a config is a typo that would exhaust memory.
        if (layers > MAX_LAYERS) throw new IllegalArgumentException("layers must be at most " + MAX_LAYERS + ", not " + layers);
        if (kind == Kind.ATTENTION && att < 1) throw new IllegalArgumentException("the attention decoder needs att > 0");
        if (kind == Kind.SHOWTELL && fc < 1) throw new IllegalArgumentException("the show-and-tell decoder needs fc > 0");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1)");
    }

    /** A builder with the reference table's defaults for small models: emb 256, hidden 512, att 256, one layer, fc = hidden / 2, dropout 0.5. */
    public static Builder builder(Kind kind) {
        return new Builder(kind);
    }

    public Builder toBuilder() {
        Builder b = new Builder(kind);
        b.vocab = vocab;
        b.emb = emb;
        b.hidden = hidden;
        b.att = att;
        b.layers = layers;
        b.fc = fc;
        b.dropout = dropout;
        return b;
    }

    public DecoderConfig withVocab(int size) {
        return toBuilder().vocab(size).build();
    }

    public static final class Builder {
        private final Kind kind;
        private int vocab = 1000, emb = 256, hidden = 512, att = 256, layers = 1;
        private Integer fc;
        private float dropout = 0.5f;

        private Builder(Kind kind) {
            this.kind = kind;
        }

        public Builder vocab(int v) {
            vocab = v;
            return this;
        }

        public Builder emb(int v) {
            emb = v;
            return this;
        }

        public Builder hidden(int v) {
            hidden = v;
            return this;
        }

        public Builder att(int v) {
            att = v;
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        /** Width of the show-and-tell decoder's projection of the pooled image (default: hidden / 2). */
        public Builder fc(int v) {
            fc = v;
            return this;
        }

        public Builder dropout(float v) {
            dropout = v;
            return this;
        }

        public DecoderConfig build() {
            return new DecoderConfig(kind, vocab, emb, hidden, att, layers, fc != null ? fc : Math.max(1, hidden / 2), dropout);
        }
    }
}
