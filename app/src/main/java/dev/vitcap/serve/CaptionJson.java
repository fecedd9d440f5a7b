package dev.vitcap.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitcap.caption.Caption;

/** A {@link Caption} as JSON, the same for {@code vitcap caption --json} and {@code POST /v1/captions}. */
public final class CaptionJson {
    private CaptionJson() {
    }

    /**
     * Puts {@code caption}, {@code words}, {@code log_prob}, {@code ended}, {@code alternatives} (each with its
     * caption, score and log_prob) and, when the caption has them, {@code attention} (per word, the
     * patch grid row-major) and {@code grid} ({@code rows}, {@code cols}) into {@code out}.
     */
    public static ObjectNode write(Caption c, ObjectNode out) {
        out.put("caption", c.text());
        ArrayNode words = out.putArray("words");
        c.words().forEach(words::add);
        out.put("log_prob", c.logProb());
        out.put("ended", c.ended());
        ArrayNode alternatives = out.putArray("alternatives");
        for (Caption a : c.alternatives()) alternatives.addObject().put("caption", a.text()).put("score", a.score()).put("log_prob", a.logProb());
        if (c.hasAttention()) {
            ArrayNode attention = out.putArray("attention");
            for (float[] word : c.attention()) {
                ArrayNode row = attention.addArray();
                for (float w : word) row.add(w);
            }
            out.putObject("grid").put("rows", c.gridRows()).put("cols", c.gridCols());
        }
        return out;
    }
}
