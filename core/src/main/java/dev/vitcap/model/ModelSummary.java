package dev.vitcap.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link Captioner} of a config is made of, layer by layer, as Keras' {@code model.summary()}
 * shows it: each layer's name, type, output shape and parameter count, and the totals. Worked out
 * from the config alone (no tensor is allocated), with the names and shapes that {@link VitEncoder},
 * {@link AttentionDecoder}, {@link ShowTellDecoder} and {@link RegionHead} give their parameters.
 */
public final class ModelSummary {
    /** The parts of a model, as {@link Captioner#parameters()} prefixes their parameters' names. */
    public static final String ENCODER = "encoder", DECODER = "decoder", DECODER_R2L = "decoder_r2l", AUX = "aux";

    /**
     * One layer. Its parameters are those of {@link Captioner#parameters()} named {@code part.name}
     * ({@code cls_token}, {@code pos_embed}) or {@code part.name.*} ({@code .weight}, {@code .bias_ih_l0}, ...).
     *
     * @param outputShape per image, without the batch dimension; in the decoder one row per decoding step
     */
    public record Layer(String name, String kind, int[] outputShape, long params, String part) {
        public Layer {
            outputShape = outputShape.clone();
        }

        @Override
        public int[] outputShape() {
            return outputShape.clone();
        }

        /** Whether this layer is the one called {@code prefix} or one inside it ({@code blocks.0} holds {@code blocks.0.attn.qkv}). */
        public boolean isIn(String part, String prefix) {
            return this.part.equals(part) && (name.equals(prefix) || name.startsWith(prefix + "."));
        }

        // A record compares arrays by identity; two layers of the same shape are the same layer.
        @Override
        public boolean equals(Object o) {
            return o instanceof Layer l && name.equals(l.name) && kind.equals(l.kind) && Arrays.equals(outputShape, l.outputShape)
                    && params == l.params && part.equals(l.part);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, kind, Arrays.hashCode(outputShape), params, part);
        }

        @Override
        public String toString() {
            return part + "." + name + " (" + kind + ") " + Arrays.toString(outputShape) + " " + params;
        }
    }

    private final ModelConfig config;
    private final List<Layer> layers = new ArrayList<>();

    private ModelSummary(ModelConfig config) {
        this.config = config;
    }

    public static ModelSummary of(ModelConfig config) {
        ModelSummary s = new ModelSummary(config);
        s.encoder(config.encoder());
        if (config.directions().leftToRight()) s.decoder(DECODER);
        if (config.directions().rightToLeft()) s.decoder(DECODER_R2L);
        if (config.region() != null) {
            int grid = config.region().grid(), classes = config.region().classes();
            s.add(AUX, "region_head", "Linear", linear(config.encoder().dim(), classes, true), grid * grid, classes);
        }
        if (config.positionHead()) {
            int patches = config.encoder().patchesPerImage();
            s.add(AUX, PositionHead.NAME, "Linear", linear(config.encoder().dim(), patches, true), patches, patches);
        }
        return s;
    }

    public ModelConfig config() {
        return config;
    }

    /** Every layer in the order the model creates its parameters: the encoder's, the decoders' (left to right first), then the auxiliary heads' (region, position). */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /** The layer of that part and name. */
    public Layer layer(String part, String name) {
        for (Layer l : layers) if (l.part.equals(part) && l.name.equals(name)) return l;
        throw new IllegalArgumentException("no layer " + part + "." + name);
    }

    /** The parameters of the layers called {@code prefix} or inside it, in that part. */
    public long params(String part, String prefix) {
        long n = 0;
        for (Layer l : layers) if (l.isIn(part, prefix)) n += l.params;
        return n;
    }

    public long total() {
        return partParams(ENCODER) + decoderParams() + partParams(AUX);
    }

    public long encoderParams() {
        return partParams(ENCODER);
    }

    /** Every decoder's parameters: both directions' in a model that has two. */
    public long decoderParams() {
        return partParams(DECODER) + partParams(DECODER_R2L);
    }

    /** The auxiliary heads' parameters (0 without any): trained with the model, not used to caption. */
    public long auxParams() {
        return partParams(AUX);
    }

    private long partParams(String part) {
        long n = 0;
        for (Layer l : layers) if (l.part.equals(part)) n += l.params;
        return n;
    }

    /** Decoding steps per caption: every token but {@code <start>} is predicted. */
    public int steps() {
        return config.maxLength() - 1;
    }

    private void encoder(VitConfig c) {
        int d = c.dim(), t = c.tokens(), p = c.patch();
        add(ENCODER, "patch_embed.proj", "Conv2d", linear(c.channels() * p * p, d, true), c.patchesPerImage(), d);
        if (c.classToken()) add(ENCODER, "cls_token", "ClassToken", d, t, d);
        add(ENCODER, "pos_embed", "PositionEmbedding", (long) t * d, t, d);
        for (int i = 0; i < c.depth(); i++) {
            String b = "blocks." + i;
            add(ENCODER, b + ".norm1", "LayerNorm", 2L * d, t, d);
            add(ENCODER, b + ".attn.qkv", "Linear", linear(d, 3 * d, c.qkvBias()), t, 3 * d);
            add(ENCODER, b + ".attn.proj", "Linear", linear(d, d, true), t, d);
            add(ENCODER, b + ".norm2", "LayerNorm", 2L * d, t, d);
            add(ENCODER, b + ".mlp.fc1", "Linear", linear(d, c.mlp(), true), t, c.mlp());
            add(ENCODER, b + ".mlp.fc2", "Linear", linear(c.mlp(), d, true), t, d);
        }
        add(ENCODER, "norm", "LayerNorm", 2L * d, t, d);
    }

    /** A decoder's layers, in the part that names its direction. */
    private void decoder(String part) {
        if (config.decoder().kind() == DecoderConfig.Kind.ATTENTION) attentionDecoder(part);
        else showTellDecoder(part);
    }

    private void attentionDecoder(String part) {
        DecoderConfig c = config.decoder();
        int dim = config.encoder().dim(), t = config.encoder().tokens(), s = steps(), h = c.hidden(), at = c.att();
        add(part, "emb", "Embedding", (long) c.vocab() * c.emb(), s, c.emb());
        add(part, "enc_att", "Linear", linear(dim, at, true), t, at);
        add(part, "dec_att", "Linear", linear(h, at, true), s, at);
        add(part, "full_att", "Linear", linear(at, 1, true), s, t);
        add(part, "init_h", "Linear", linear(dim, h, true), h);
        add(part, "init_c", "Linear", linear(dim, h, true), h);
        add(part, "f_beta", "Linear", linear(h, dim, true), s, dim);
        add(part, "cell", "LSTMCell", lstmLayer(c.emb() + dim, h), s, h);
        add(part, "out", "Linear", linear(h, c.vocab(), true), s, c.vocab());
    }

    private void showTellDecoder(String part) {
        DecoderConfig c = config.decoder();
        int dim = config.encoder().dim(), s = steps(), h = c.hidden(), l = c.layers();
        add(part, "emb", "Embedding", (long) c.vocab() * c.emb(), s, c.emb());
        add(part, "init_h", "Linear", linear(dim, l * h, true), l * h);
        add(part, "init_c", "Linear", linear(dim, l * h, true), l * h);
        long lstm = 0;
        for (int i = 0; i < l; i++) lstm += lstmLayer(i == 0 ? c.emb() : h, h);
        add(part, "lstm", l == 1 ? "LSTM" : "LSTM, " + l + " layers", lstm, s, h);
        add(part, "fc", "Linear", linear(h, c.fc(), true), s, c.fc());
        add(part, "out", "Linear", linear(c.fc(), c.vocab(), true), s, c.vocab());
    }

    private void add(String part, String name, String kind, long params, int... shape) {
        layers.add(new Layer(name, kind, shape, params, part));
    }

    /** A {@link Linear}: weight {@code [out, in]} and, with a bias, {@code [out]}. */
    private static long linear(int in, int out, boolean bias) {
        return (long) in * out + (bias ? out : 0);
    }

    /** One LSTM layer in PyTorch's layout: {@code weight_ih [4h, in]}, {@code weight_hh [4h, h]} and two biases {@code [4h]}. */
    private static long lstmLayer(int in, int h) {
        return 4L * h * in + 4L * h * h + 8L * h;
    }

    /** The summary as a text table, Keras-style: a row per layer, grouped by part, then the totals. */
    public String table() {
        String[] head = {"Layer (type)", "Output shape", "Param #"};
        List<String[]> rows = new ArrayList<>();
        for (Layer l : layers) rows.add(new String[]{l.name + " (" + l.kind + ")", Arrays.toString(l.outputShape), count(l.params)});
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) w[i] = Math.max(w[i], r[i].length());
        }
        // The first column takes up what the parts' titles need beyond the columns.
        for (Layer l : layers) w[0] = Math.max(w[0], partTitle(l.part).length() - w[1] - w[2] - 6);
        String format = "%-" + w[0] + "s   %-" + w[1] + "s   %" + w[2] + "s%n";
        int width = w[0] + w[1] + w[2] + 6;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, format, (Object[]) head)).append("=".repeat(width)).append('\n');
        String part = null;
        for (int i = 0; i < layers.size(); i++) {
            if (!layers.get(i).part.equals(part)) {
                if (part != null) out.append("-".repeat(width)).append('\n');
                part = layers.get(i).part;
                out.append(partTitle(part)).append('\n');
            }
            out.append(String.format(Locale.ROOT, format, (Object[]) rows.get(i)));
        }
        out.append("=".repeat(width)).append('\n');
        out.append("Total params: ").append(count(total()))
                .append(String.format(Locale.ROOT, " (%.1f MiB as float32)%n", total() * 4.0 / (1 << 20)));
        out.append("Encoder params: ").append(count(encoderParams())).append('\n');
        out.append("Decoder params: ").append(count(decoderParams())).append('\n');
        if (config.region() != null) out.append("Region head params: ").append(count(params(AUX, "region_head"))).append(" (training only)\n");
        if (config.positionHead()) out.append("Position head params: ").append(count(params(AUX, PositionHead.NAME))).append(" (training only)\n");
        out.append("Output shapes are per image; the decoder's have a row for each of its ").append(steps()).append(" steps.\n");
        return out.toString();
    }

    private String partTitle(String part) {
        VitConfig v = config.encoder();
        DecoderConfig d = config.decoder();
        return switch (part) {
            case ENCODER -> "encoder: ViT, depth " + v.depth() + ", width " + v.dim() + ", " + v.heads() + " heads";
            case DECODER, DECODER_R2L -> part + (d.kind() == DecoderConfig.Kind.ATTENTION ? ": LSTM with attention"
                    : ": show-and-tell LSTM, " + d.layers() + (d.layers() == 1 ? " layer" : " layers"))
                    + (part.equals(DECODER_R2L) ? ", reading right to left" : "");
            default -> "auxiliary heads: train the encoder, not used to caption";
        };
    }

    /** A parameter count with thousands separators: 1,234,567. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
