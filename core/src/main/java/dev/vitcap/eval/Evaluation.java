package dev.vitcap.eval;

import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.CaptionData;
import dev.vitcap.data.CaptionDataset;
import dev.vitcap.data.synth.Scene;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.data.synth.Truthfulness;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.decode.Decoded;
import dev.vitcap.decode.Decoding;
import dev.vitcap.metrics.CaptionScores;
import dev.vitcap.metrics.CocoMetrics;
import dev.vitcap.model.Captioner;
import dev.vitcap.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/** Captions a dataset and scores the captions with the COCO metrics (and any extra measure, e.g. truthfulness). */
public final class Evaluation {
    private Evaluation() {
    }

    /** The captions by image, the per-image and corpus scores, and the corpus figures by metric name. */
    public record Result(List<String> ids, List<String> captions, CaptionScores scores, Map<String, Double> metrics) {
    }

    /** More corpus figures from the image ids and their captions, such as truthfulness on a synthetic world. */
    public interface Extra extends BiFunction<List<String>, List<String>, Map<String, Double>> {
    }

    /**
     * @param ids        the images' ids
     * @param captions   one caption per image
     * @param references each image's reference captions
     * @param extra      more figures (null for none)
     */
    public static Result score(List<String> ids, List<String> captions, List<List<String>> references, Extra extra) {
        CaptionScores scores = CocoMetrics.score(references, captions);
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String name : CocoMetrics.NAMES) metrics.put(name, scores.corpus(name));
        if (extra != null) metrics.putAll(extra.apply(ids, captions));
        return new Result(ids, captions, scores, metrics);
    }

    /** Captions every image of {@code data} with a model in memory (validation during training) and scores the captions. */
    public static Result run(Captioner model, CaptionData data, Vocabulary vocabulary, DecodeOptions decoding, Extra extra) {
        List<Decoded> decoded = Decoding.all(model, data, decoding, Vocabulary.START, Vocabulary.END, 64);
        List<String> ids = new ArrayList<>(data.size()), captions = new ArrayList<>(data.size());
        List<List<String>> references = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            ids.add(data.id(i));
            captions.add(vocabulary.decode(decoded.get(i).words()));
            references.add(data.references(i));
        }
        return score(ids, captions, references, extra);
    }

    /**
     * Captions every image of {@code data} with an opened checkpoint and scores the captions. An image
     * that cannot be read is reported to {@code skipped} (one line naming it) and left out of the scores.
     */
    public static Result run(ImageCaptioner captioner, CaptionDataset data, DecodeOptions decoding, Extra extra, Consumer<String> skipped) {
        List<CaptionDataset.Item> items = data.items();
        List<ImageCaptioner.FileCaption> captioned = captioner.captionFiles(items.stream().map(CaptionDataset.Item::image).toList(), decoding);
        List<String> ids = new ArrayList<>(), captions = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ImageCaptioner.FileCaption c = captioned.get(i);
            if (!c.ok()) {
                skipped.accept(c.error());
                continue;
            }
            ids.add(items.get(i).imageId());
            captions.add(c.caption().text());
            references.add(items.get(i).captions());
        }
        if (ids.isEmpty()) throw new IllegalArgumentException("no image of the dataset could be read");
        return score(ids, captions, references, extra);
    }

    /**
     * Truthfulness and fact accuracy against a synthetic world's scenes, or null when {@code sceneFile}
     * is null or missing (a dataset that is not synthetic).
     */
    public static Extra truthfulness(Path sceneFile) throws IOException {
        if (sceneFile == null || !Files.exists(sceneFile)) return null;
        Map<Integer, Scene> byId = SynthFiles.readScenes(sceneFile);
        return (ids, captions) -> {
            Map<Integer, String> byImage = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i++) byImage.put(Integer.parseInt(ids.get(i)), captions.get(i));
            Truthfulness.SplitTruth t = Truthfulness.score(byImage, byId);
            return Map.of("truthful", t.truthful(), "fact_accuracy", t.factAccuracy());
        };
    }
}
