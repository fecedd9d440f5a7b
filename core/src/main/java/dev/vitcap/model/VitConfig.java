package dev.vitcap.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a timm-style Vision Transformer (pre-norm blocks, class token, learned position
 * table, exact GELU, MLP of {@code mlp} units) and the normalisation its input images expect.
 */
public record VitConfig(int imageHeight, int imageWidth, int patch, int channels, int dim, int depth, int heads,
                        int mlp, boolean qkvBias, boolean classToken, float eps, float[] mean, float[] std) {

    public VitConfig {
        if (imageHeight % patch != 0 || imageWidth % patch != 0) {
            throw new IllegalArgumentException("image size " + imageHeight + "x" + imageWidth + " is not a multiple of the patch size " + patch);
        }
        if (dim % heads != 0) throw new IllegalArgumentException("embed_dim " + dim + " is not a multiple of num_heads " + heads);
        if (depth < 0 || mlp <= 0 || channels <= 0) throw new IllegalArgumentException("bad ViT shape: depth " + depth + ", mlp " + mlp);
    }

    public static final float[] HALF = {0.5f, 0.5f, 0.5f};

    public static VitConfig of(int image, int patch, int dim, int depth, int heads, int mlp) {
        return new VitConfig(image, image, patch, 3, dim, depth, heads, mlp, true, true, 1e-6f, HALF, HALF);
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

    private static final Set<String> TIMM_KEYS = Set.of("img_size", "patch_size", "in_chans", "embed_dim", "depth",
            "num_heads", "mlp_ratio", "qkv_bias", "class_token", "num_classes", "global_pool");

    /**
     * Reads the {@code timm_args} object of a config such as {@code vit-a.json}: the keyword arguments
     * of timm's {@code VisionTransformer}, with timm's defaults for those left out. Arguments that would
     * change the architecture in ways this encoder does not implement are refused by name rather than
     * silently ignored.
     */
    public static VitConfig fromTimmArgs(JsonNode args, float eps) {
        for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!TIMM_KEYS.contains(key)) throw new IllegalArgumentException("unsupported timm argument '" + key + "' (supported: " + TIMM_KEYS + ")");
        }
        int[] img = pair(args.get("img_size"), 224);
        int patch = args.path("patch_size").asInt(16);
        int dim = args.path("embed_dim").asInt(768);
        double ratio = args.path("mlp_ratio").asDouble(4.0);
        return new VitConfig(img[0], img[1], patch, args.path("in_chans").asInt(3), dim, args.path("depth").asInt(12),
                args.path("num_heads").asInt(12), (int) (dim * ratio), args.path("qkv_bias").asBoolean(true),
                args.path("class_token").asBoolean(true), eps, HALF, HALF);
    }

    private static int[] pair(JsonNode n, int dflt) {
        if (n == null || n.isNull()) return new int[]{dflt, dflt};
        if (n.isArray()) return new int[]{n.get(0).asInt(), n.get(1).asInt()};
        return new int[]{n.asInt(), n.asInt()};
    }
}
