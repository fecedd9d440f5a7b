package dev.vitcap.data.synth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The backdrop of a scene: a muted base colour ("#rrggbb") with a pattern that moves each channel by at
 * most {@code contrast} levels, low enough that objects stay the most salient thing in the image.
 * {@code period} (pixels) is the repeat of stripes and checks; {@code angle} (degrees) orients stripes
 * and gradients; {@code noise_seed} seeds the noise pattern.
 */
@JsonPropertyOrder({"kind", "base", "contrast", "period", "angle", "noise_seed"})
public record Background(Kind kind, String base, int contrast, double period, int angle,
                         @JsonProperty("noise_seed") long noiseSeed) {

    public enum Kind {
        PLAIN, STRIPES, CHECKER, NOISE, GRADIENT;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind ofWord(String word) {
            return Lexicon.byWord(values(), Kind::word, word, "background kind");
        }
    }

    /** The base colour, packed 0xRRGGBB. */
    public int baseRgb() {
        return Integer.parseInt(base.substring(1), 16);
    }

    static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb);
    }
}
