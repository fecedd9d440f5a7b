package dev.vitcap.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The shape of a timm-style Vision Transformer (pre-norm blocks, class token, learned position
 * table, exact GELU, MLP of {@code mlp} units), how its position table starts ({@link PositionInit};
 * absent from older files: timm's) and the normalisation its input images expect.
 * Build one by name: {@code VitConfig.builder().image(224).patch(16).dim(768).depth(12).heads(12).mlp(3072).build()}.
 */
public record VitConfig(int imageHeight, int imageWidth, int patch, int channels, int dim, int depth, int heads,
                        int mlp, boolean qkvBias, boolean classToken, float eps, float[] mean, float[] std, PositionInit posInit) {
    public static final int MAX_DEPTH = 1024;

    public VitConfig {
        if (patch < 1 || imageHeight < patch || imageWidth < patch) throw new IllegalArgumentException("bad ViT shape: image " + imageHeight + "x" + imageWidth + ", patch " + patch);
        if (imageHeight % patch != 0 || imageWidth % patch != 0) {
            throw new IllegalArgumentException("image size " + imageHeight + "x" + imageWidth + " is not a multiple of the patch size " + patch);
        }
        if (heads < 1 || dim % heads != 0) throw new IllegalArgumentException("embed_dim " + dim + " is not a multiple of num_heads " + heads);
        if (depth < 0 || mlp <= 0 || channels <= 0) throw new IllegalArgumentException("bad ViT shape: depth " + depth + ", mlp " + mlp);
        // The deepest published ViTs have 48 blocks; a config past this bound is a typo, and even describing it would exhaust memory.
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("depth must be at most " + MAX_DEPTH + " blocks, not " + depth);
        if (mean == null || std == null || mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("image mean and std need one value per channel (" + channels + ")");
        }
        mean = mean.clone();
        std = std.clone();
        if (posInit == null) posInit = PositionInit.TRUNC_NORMAL;
        if (posInit == PositionInit.SINCOS && dim % 4 != 0) throw new IllegalArgumentException("a sine-cosine position table needs embed_dim a multiple of 4, not " + dim);
    }

    /** The normalisation of timm's ViTs trained from scratch (and of the PyTorch twin): x ↦ (x − 0.5) / 0.5. */
    public static final float[] HALF = {0.5f, 0.5f, 0.5f};

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to change some by name. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.imageHeight = imageHeight;
        b.imageWidth = imageWidth;
        b.patch = patch;
        b.channels = channels;
        b.dim = dim;
        b.depth = depth;
        b.heads = heads;
        b.mlp = mlp;
        b.qkvBias = qkvBias;
        b.classToken = classToken;
        b.eps = eps;
        b.mean = mean;
        b.std = std;
        b.posInit = posInit;
        return b;
    }

    /** The same encoder for square images of another side (a multiple of the patch). */
    public VitConfig withImageSize(int side) {
        return toBuilder().image(side).build();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public int patchesPerImage() {
        return (imageHeight / patch) * (imageWidth / patch);
    }

    /** Tokens out of the encoder per image: the patches, plus the class token. */
    public int tokens() {
        return patchesPerImage() + (classToken ? 1 : 0);
    }

    public int headDim() {
        return dim / heads;
    }

    // A record compares arrays by identity; two configs with the same normalisation are the same config.
    @Override
    public boolean equals(Object o) {
        return o instanceof VitConfig v && imageHeight == v.imageHeight && imageWidth == v.imageWidth && patch == v.patch
                && channels == v.channels && dim == v.dim && depth == v.depth && heads == v.heads && mlp == v.mlp
                && qkvBias == v.qkvBias && classToken == v.classToken && Float.compare(eps, v.eps) == 0
                && Arrays.equals(mean, v.mean) && Arrays.equals(std, v.std) && posInit == v.posInit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(imageHeight, imageWidth, patch, channels, dim, depth, heads, mlp, qkvBias, classToken, eps,
                Arrays.hashCode(mean), Arrays.hashCode(std), posInit);
    }

    @Override
    public String toString() {
        return "VitConfig[image=" + imageHeight + "x" + imageWidth + ", patch=" + patch + ", channels=" + channels + ", dim=" + dim
                + ", depth=" + depth + ", heads=" + heads + ", mlp=" + mlp + ", qkvBias=" + qkvBias + ", classToken=" + classToken
                + ", eps=" + eps + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ", posInit=" + posInit + "]";
    }

    /** Named settings, starting from timm's {@code VisionTransformer} defaults (ViT-B/16 at 224 pixels, mean and std 0.5). */
    public static final class Builder {
        private int imageHeight = 224, imageWidth = 224, patch = 16, channels = 3, dim = 768, depth = 12, heads = 12, mlp = 3072;
        private boolean qkvBias = true, classToken = true;
        private float eps = 1e-6f;
        private float[] mean = HALF, std = HALF;
        private PositionInit posInit = PositionInit.TRUNC_NORMAL;

        private Builder() {
        }

        /** Square images of this side. */
        public Builder image(int side) {
            return image(side, side);
        }

        public Builder image(int height, int width) {
            this.imageHeight = height;
            this.imageWidth = width;
            return this;
        }

        public Builder patch(int v) {
            patch = v;
            return this;
        }

        public Builder channels(int v) {
            channels = v;
            return this;
        }

        public Builder dim(int v) {
            dim = v;
            return this;
        }

        public Builder depth(int v) {
            depth = v;
            return this;
        }

        public Builder heads(int v) {
            heads = v;
            return this;
        }

        public Builder mlp(int v) {
            mlp = v;
            return this;
        }

        public Builder qkvBias(boolean v) {
            qkvBias = v;
            return this;
        }

        public Builder classToken(boolean v) {
            classToken = v;
            return this;
        }

        public Builder eps(float v) {
            eps = v;
            return this;
        }

        /** Per-channel mean and standard deviation of the pixel values in [0, 1]. */
        public Builder normalisation(float[] mean, float[] std) {
            this.mean = mean;
            this.std = std;
            return this;
        }

        public Builder posInit(PositionInit v) {
            posInit = v;
            return this;
        }

        public VitConfig build() {
            return new VitConfig(imageHeight, imageWidth, patch, channels, dim, depth, heads, mlp, qkvBias, classToken, eps, mean, std, posInit);
        }
    }
}
