package dev.vitcap.metrics;

import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.PythonText;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * BLEU-1..4, ROUGE-L and CIDEr-D of candidate captions against reference captions, equal to what the
 * COCO caption evaluation code (pycocoevalcap) reports, corpus-level and per image.
 *
 * <p>Per-image work runs in parallel; every sum is taken in image order afterwards, so results are
 * the same bit for bit whatever the thread count.
 */
public final class CocoMetrics {
    public static final String BLEU_1 = "Bleu_1";
    public static final String BLEU_2 = "Bleu_2";
    public static final String BLEU_3 = "Bleu_3";
    public static final String BLEU_4 = "Bleu_4";
    public static final String ROUGE_L = "ROUGE_L";
    public static final String CIDER = "CIDEr";
    public static final List<String> NAMES = List.of(BLEU_1, BLEU_2, BLEU_3, BLEU_4, ROUGE_L, CIDER);

    /**
     * Captions after the reference's tokenisation: each a string of tokens separated by single spaces.
     *
     * @param aligned false when a caption held a line break other than a line feed: the reference then
     *     gives later captions the tokens of the wrong line, and so do these
     */
    public record Tokenized(List<List<String>> references, List<String> candidates, boolean aligned) {}

    private CocoMetrics() {}

    /** Tokenises as the reference does: all references as one text, all candidates as another. */
    public static Tokenized tokenize(List<List<String>> references, List<String> candidates) {
        if (references.size() != candidates.size()) {
            throw new IllegalArgumentException(references.size() + " reference sets for " + candidates.size()
                    + " candidates");
        }
        List<String> flat = new ArrayList<>();
        for (List<String> set : references) {
            flat.addAll(set);
        }
        PtbTokenizer tokenizer = PtbTokenizer.instance();
        PtbTokenizer.Captions refs = tokenizer.tokenizeCaptions(flat);
        PtbTokenizer.Captions cands = tokenizer.tokenizeCaptions(candidates);
        List<List<String>> grouped = new ArrayList<>(references.size());
        int at = 0;
        for (List<String> set : references) {
            grouped.add(refs.captions().subList(at, at + set.size()));
            at += set.size();
        }
        return new Tokenized(grouped, cands.captions(), refs.aligned() && cands.aligned());
    }

    /** Tokenises, then scores. */
    public static CaptionScores score(List<List<String>> references, List<String> candidates) {
        return score(tokenize(references, candidates));
    }

    /** Scores tokenised captions; every image needs at least one reference. */
    public static CaptionScores score(Tokenized captions) {
        int images = captions.candidates().size();
        // Numbering is sequential (numbers depend on order); all else is per image, in parallel.
        NgramIndex index = new NgramIndex();
        List<List<Numbered>> refs = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            List<String> set = captions.references().get(i);
            if (set.isEmpty()) {
                throw new IllegalArgumentException("image " + i + " has no reference caption");
            }
            refs.add(set.stream().map(caption -> Numbered.of(caption, index)).toList());
        }
        Numbered[] cands = new Numbered[images];
        for (int i = 0; i < images; i++) {
            cands[i] = Numbered.of(captions.candidates().get(i), index);
        }
        CiderD cider = new CiderD(CiderD.documentFrequencies(
                refs.stream().map(set -> set.stream().map(Numbered::ngrams).toList()).toList(), index.ngramCount()), images);

        ImageScores[] perImage = new ImageScores[images];
        int chunks = Math.min(images, Runtime.getRuntime().availableProcessors());
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            NgramScratch scratch = new NgramScratch(index.ngramCount());
            for (int i = chunk * images / chunks; i < (chunk + 1) * images / chunks; i++) {
                perImage[i] = scoreImage(refs.get(i), cands[i], cider, scratch);
            }
        });

        CaptionScores scores = new CaptionScores(images);
        double[] corpusBleu = Bleu.corpusScore(Stream.of(perImage).map(ImageScores::bleuStats).toList());
        for (int k = 0; k < Bleu.N; k++) {
            int order = k;
            scores.put(NAMES.get(k), corpusBleu[k], Stream.of(perImage).mapToDouble(s -> s.bleu()[order]).toArray());
        }
        double[] rouge = Stream.of(perImage).mapToDouble(ImageScores::rouge).toArray();
        double[] ciderD = Stream.of(perImage).mapToDouble(ImageScores::cider).toArray();
        scores.put(ROUGE_L, mean(rouge), rouge);
        scores.put(CIDER, mean(ciderD), ciderD);
        return scores;
    }

    /** A tokenised caption numbered by an index: its n-grams by order, and its tokens as ROUGE-L splits them. */
    record Numbered(int[][] ngrams, int[] rougeTokens) {
        static Numbered of(String caption, NgramIndex index) {
            return of(caption, PythonText.split(caption), index);
        }

        /** {@code words}: the caption split as {@link PythonText#split} splits it. */
        static Numbered of(String caption, List<String> words, NgramIndex index) {
            int[] ids = index.words(words);
            return new Numbered(index.ngrams(ids), CocoMetrics.rougeTokens(caption, ids, index));
        }
    }

    /** One image's BLEU statistics and its BLEU-1..4, ROUGE-L and CIDEr-D. */
    record ImageScores(Bleu.Stats bleuStats, double[] bleu, double rouge, double cider) {}

    /** Scores one image's candidate against its references; {@code cider} holds the document frequencies. */
    static ImageScores scoreImage(List<Numbered> references, Numbered candidate, CiderD cider, NgramScratch scratch) {
        List<NgramCounts> refCounts = new ArrayList<>(references.size());
        List<CiderD.Vector> refVectors = new ArrayList<>(references.size());
        for (Numbered reference : references) {
            NgramCounts counts = new NgramCounts(reference.ngrams(), scratch);
            refCounts.add(counts);
            refVectors.add(cider.vector(counts));
        }
        NgramCounts cand = new NgramCounts(candidate.ngrams(), scratch);
        Bleu.Stats stats = Bleu.stats(cand, refCounts, scratch);
        double rouge = RougeL.score(candidate.rougeTokens(), references.stream().map(Numbered::rougeTokens).toList());
        return new ImageScores(stats, Bleu.score(stats), rouge, cider.score(cider.vector(cand), refVectors, scratch));
    }

    /** The caption split on single spaces, as ROUGE-L splits it; usually the same as its words. */
    private static int[] rougeTokens(String caption, int[] words, NgramIndex index) {
        return PythonText.splitsAlikeOnSpace(caption) ? words : index.words(PythonText.splitOnSpace(caption));
    }

    /** {@code numpy.mean}, whose sum is pairwise; summing the same way gives the reference's last bits. */
    static double mean(double[] values) {
        return pairwiseSum(values, 0, values.length) / values.length;
    }

    /** numpy's pairwise summation: below 8 values a plain loop, up to 128 eight interleaved partial sums, above that halves. */
    private static double pairwiseSum(double[] a, int from, int n) {
        if (n < 8) {
            double sum = 0;
            for (int i = from; i < from + n; i++) {
                sum += a[i];
            }
            return sum;
        }
        if (n <= 128) {
            double[] partial = new double[8];
            System.arraycopy(a, from, partial, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    partial[j] += a[from + i + j];
                }
            }
            double sum = ((partial[0] + partial[1]) + (partial[2] + partial[3]))
                    + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
            for (; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        int half = n / 2;
        half -= half % 8;
        return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
    }
}
