package dev.vitcap.train;

import dev.vitcap.decode.Decoding;
import dev.vitcap.metrics.CaptionScores;
import dev.vitcap.metrics.CocoMetrics;
import dev.vitcap.model.Captioner;
import dev.vitcap.text.Vocabulary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Captions a dataset and scores the captions with the COCO metrics (and any extra measure, e.g. truthfulness). */
public final class Evaluation {
    private Evaluation() {
    }

    /** The captions by image, the per-image and corpus scores, and the corpus figures by metric name. */
    public record Result(List<String> ids, List<String> captions, CaptionScores scores, Map<String, Double> metrics) {
    }

    /**
     * @param extra more corpus figures from the image ids and their captions (null for none)
     */
    public static Result run(Captioner model, CaptionData data, Vocabulary vocabulary, Decoding decoding, int batchSize,
                             BiFunction<List<String>, List<String>, Map<String, Double>> extra) {
        List<int[]> words = decoding.all(model, data, batchSize);
        List<String> ids = new ArrayList<>(data.size()), captions = new ArrayList<>(data.size());
        List<List<String>> references = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            ids.add(data.id(i));
            captions.add(vocabulary.decode(words.get(i)));
            references.add(data.references(i));
        }
        CaptionScores scores = CocoMetrics.score(references, captions);
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String name : CocoMetrics.NAMES) metrics.put(name, scores.corpus(name));
        if (extra != null) metrics.putAll(extra.apply(ids, captions));
        return new Result(ids, captions, scores, metrics);
    }
}
