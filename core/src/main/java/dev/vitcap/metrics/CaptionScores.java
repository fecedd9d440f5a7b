package dev.vitcap.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Corpus and per-image scores of a caption set, by the reference code's metric names. */
public final class CaptionScores {
    private final Map<String, Double> corpus;
    private final Map<String, double[]> perImage;
    private final int images;

    CaptionScores(int images) {
        this(images, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    private CaptionScores(int images, Map<String, Double> corpus, Map<String, double[]> perImage) {
        this.images = images;
        this.corpus = corpus;
        this.perImage = perImage;
    }

    /** These scores and one more metric (for instance METEOR, computed elsewhere). */
    public CaptionScores with(String metric, double corpusScore, double[] imageScores) {
        if (imageScores.length != images) {
            throw new IllegalArgumentException(metric + " has " + imageScores.length + " image scores for "
                    + images + " images");
        }
        CaptionScores more = new CaptionScores(images, new LinkedHashMap<>(corpus), new LinkedHashMap<>(perImage));
        more.put(metric, corpusScore, imageScores);
        return more;
    }

    void put(String metric, double corpusScore, double[] imageScores) {
        corpus.put(metric, corpusScore);
        perImage.put(metric, imageScores.clone());
    }

    public List<String> metrics() {
        return Collections.unmodifiableList(new ArrayList<>(corpus.keySet()));
    }

    public int images() {
        return images;
    }

    public double corpus(String metric) {
        Double score = corpus.get(metric);
        if (score == null) {
            throw new IllegalArgumentException("no metric " + metric);
        }
        return score;
    }

    public double image(String metric, int image) {
        double[] scores = perImage.get(metric);
        if (scores == null) {
            throw new IllegalArgumentException("no metric " + metric);
        }
        return scores[image];
    }
}
