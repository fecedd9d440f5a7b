package dev.vitcap.weights;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitcap.model.VitConfig;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** The keyword arguments of timm's {@code VisionTransformer}, as a config file such as {@code vit-a.json} records them. */
public final class TimmArgs {
    private TimmArgs() {
    }

    private static final Set<String> KEYS = Set.of("img_size", "patch_size", "in_chans", "embed_dim", "depth",
            "num_heads", "mlp_ratio", "qkv_bias", "class_token", "num_classes", "global_pool");

    /**
     * The encoder config of a {@code timm_args} object, with timm's defaults for those left out.
     * Arguments that would change the architecture in ways this encoder does not implement are refused
     * by name rather than silently ignored.
     */
    public static VitConfig vitConfig(JsonNode args, float eps) {
        for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!KEYS.contains(key)) throw new IllegalArgumentException("unsupported timm argument '" + key + "' (supported: " + KEYS + ")");
        }
        int[] img = pair(args.get("img_size"), 224);
        int dim = args.path("embed_dim").asInt(768);
        return VitConfig.builder().image(img[0], img[1]).patch(args.path("patch_size").asInt(16)).channels(args.path("in_chans").asInt(3))
                .dim(dim).depth(args.path("depth").asInt(12)).heads(args.path("num_heads").asInt(12))
                .mlp((int) (dim * args.path("mlp_ratio").asDouble(4.0))).qkvBias(args.path("qkv_bias").asBoolean(true))
                .classToken(args.path("class_token").asBoolean(true)).eps(eps).build();
    }

    private static int[] pair(JsonNode n, int dflt) {
        if (n == null || n.isNull()) return new int[]{dflt, dflt};
        if (n.isArray()) return new int[]{n.get(0).asInt(), n.get(1).asInt()};
        return new int[]{n.asInt(), n.asInt()};
    }
}
