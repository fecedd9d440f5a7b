package dev.vitcap.metrics;

import dev.vitcap.text.PythonText;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The COCO caption metrics one image at a time, for caption sets too large for one process (a Spark
 * job scores them partition by partition). The only corpus-wide inputs are the number of images and
 * CIDEr-D's document frequencies, which a caller reduces from every image's {@link #documentNgrams};
 * corpus BLEU comes from the images' summed statistics ({@link #corpusBleu}), ROUGE-L and CIDEr-D are
 * means of the per-image scores. The numbers are {@link CocoMetrics#score}'s, which shares this
 * per-image code. One instance scores any number of images of one corpus, on one thread.
 *
 * <p>Captions are tokenised as {@link CocoMetrics#tokenize} leaves them. An n-gram is named by its
 * tokens joined with single spaces (tokens hold no whitespace, so the name is unambiguous).
 */
public final class ImageMetrics {
    /** BLEU's n-gram orders: 1 to 4. */
    public static final int ORDERS = Bleu.N;

    /**
     * One image's scores and the BLEU statistics corpus BLEU sums: candidate length, the closest
     * reference length, and per order the clipped matches and the candidate's n-grams.
     */
    public record Scores(long candidateLength, long referenceLength, long[] matches, long[] candidateNgrams,
                         double[] bleu, double rouge, double cider) {}

    /** CIDEr-D for the corpus's image count; each image renumbers it with its own n-grams' frequencies. */
    private final CiderD corpus;

    /** Scores images of a corpus of {@code documents} images. */
    public ImageMetrics(int documents) {
        // The log-frequency table is built here, once, not for every image.
        corpus = new CiderD(new int[0], documents);
    }

    /** The distinct n-grams of an image's references: what its reference set adds to each n-gram's document frequency. */
    public static Set<String> documentNgrams(List<String> tokenizedReferences) {
        Set<String> ngrams = new LinkedHashSet<>();
        for (String caption : tokenizedReferences) addNgrams(PythonText.split(caption), ngrams);
        return ngrams;
    }

    /** The distinct n-grams of an image's references and candidate: those whose document frequency its CIDEr-D reads. */
    public static Set<String> ngrams(List<String> tokenizedReferences, String tokenizedCandidate) {
        Set<String> ngrams = documentNgrams(tokenizedReferences);
        addNgrams(PythonText.split(tokenizedCandidate), ngrams);
        return ngrams;
    }

    /**
     * Scores one image.
     *
     * @param documentFrequency how many images' references hold an n-gram (0 for one no reference holds)
     */
    public Scores score(List<String> tokenizedReferences, String tokenizedCandidate, ToIntFunction<String> documentFrequency) {
        if (tokenizedReferences.isEmpty()) throw new IllegalArgumentException("an image has no reference caption");
        NgramIndex index = new NgramIndex();
        List<CocoMetrics.Numbered> refs = new ArrayList<>(tokenizedReferences.size());
        // The image's n-grams by number, named, so that their corpus document frequencies can be looked up.
        Map<Integer, String> names = new HashMap<>();
        for (String caption : tokenizedReferences) refs.add(numbered(caption, index, names));
        CocoMetrics.Numbered cand = numbered(tokenizedCandidate, index, names);
        int[] frequency = new int[index.ngramCount()];
        names.forEach((id, name) -> frequency[id] = documentFrequency.applyAsInt(name));
        CocoMetrics.ImageScores s = CocoMetrics.scoreImage(refs, cand, corpus.renumbered(frequency), new NgramScratch(index.ngramCount()));
        Bleu.Stats b = s.bleuStats();
        return new Scores(b.candidateLength(), b.referenceLength(), b.matches(), b.candidateNgrams(), s.bleu(), s.rouge(), s.cider());
    }

    /** Corpus BLEU-1..4 from statistics summed over all images. */
    public static double[] corpusBleu(long candidateLength, long referenceLength, long[] matches, long[] candidateNgrams) {
        return Bleu.corpusScore(List.of(new Bleu.Stats(candidateLength, referenceLength, matches, candidateNgrams)));
    }

    private static CocoMetrics.Numbered numbered(String caption, NgramIndex index, Map<Integer, String> names) {
        List<String> words = PythonText.split(caption);
        CocoMetrics.Numbered n = CocoMetrics.Numbered.of(caption, words, index);
        for (int k = 0; k < n.ngrams().length; k++) {
            for (int i = 0; i < n.ngrams()[k].length; i++) {
                int from = i, order = k;
                names.computeIfAbsent(n.ngrams()[k][i], id -> name(words, from, order));
            }
        }
        return n;
    }

    private static void addNgrams(List<String> words, Set<String> into) {
        for (int k = 0; k < ORDERS; k++) {
            for (int i = 0; i + k < words.size(); i++) into.add(name(words, i, k));
        }
    }

    /** The name of the (order+1)-gram starting at word {@code from}. */
    private static String name(List<String> words, int from, int order) {
        return String.join(" ", words.subList(from, from + order + 1));
    }
}
