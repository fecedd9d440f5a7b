package dev.vitcap.train;

import dev.vitcap.settings.Range;

import java.util.Locale;

/**
 * Self-critical sequence training (Rennie et al., 2017): each step draws {@code samples} captions per
 * image from the model, rewards each by its CIDEr-D against the image's references, and raises the
 * log-probability of those that beat the baseline: the greedy caption's reward ({@code GREEDY}, the
 * paper's), or the mean reward of the image's other samples ({@code MEAN}, which needs two samples or more).
 */
public record SelfCritical(Baseline baseline, int samples) {
    public enum Baseline {
        GREEDY, MEAN;

        /** The name on the command line and in the log. */
        public String spelt() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Range SAMPLES = Range.between(1, 64);

    public SelfCritical {
        if (baseline == null) throw new IllegalArgumentException("self-critical training needs a baseline: greedy or mean");
        SAMPLES.check("samples per image", samples);
        if (baseline == Baseline.MEAN && samples < 2) {
            throw new IllegalArgumentException("the mean baseline averages an image's other samples: it needs at least 2 samples per image, not " + samples);
        }
    }
}
