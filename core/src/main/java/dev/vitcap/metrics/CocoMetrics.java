package dev.vitcap.metrics;

import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.PythonText;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

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
        List<List<int[][]>> refNgrams = new ArrayList<>(images);
        List<List<int[]>> refTokens = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            List<String> set = captions.references().get(i);
            if (set.isEmpty()) {
                throw new IllegalArgumentException("image " + i + " has no reference caption");
            }
            List<int[][]> ngrams = new ArrayList<>(set.size());
            List<int[]> tokens = new ArrayList<>(set.size());
            for (String caption : set) {
                int[] words = index.words(PythonText.split(caption));
                ngrams.add(index.ngrams(words));
                tokens.add(rougeTokens(caption, words, index));
            }
            refNgrams.add(ngrams);
            refTokens.add(tokens);
        }
        int[][][] candNgrams = new int[images][][];
        int[][] candTokens = new int[images][];
        for (int i = 0; i < images; i++) {
            String caption = captions.candidates().get(i);
            int[] words = index.words(PythonText.split(caption));
            candNgrams[i] = index.ngrams(words);
            candTokens[i] = rougeTokens(caption, words, index);
        }
        CiderD cider = new CiderD(CiderD.documentFrequencies(refNgrams, index.ngramCount()), images);

        Bleu.Stats[] bleuStats = new Bleu.Stats[images];
        double[][] bleu = new double[Bleu.N][images];
        double[] rouge = new double[images];
        double[] ciderD = new double[images];
        int chunks = Math.min(images, Runtime.getRuntime().availableProcessors());
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            NgramScratch scratch = new NgramScratch(index.ngramCount());
            for (int i = chunk * images / chunks; i < (chunk + 1) * images / chunks; i++) {
                List<NgramCounts> refs = new ArrayList<>();
                List<CiderD.Vector> refVectors = new ArrayList<>();
                for (int[][] ngrams : refNgrams.get(i)) {
                    NgramCounts counts = new NgramCounts(ngrams, scratch);
                    refs.add(counts);
                    refVectors.add(cider.vector(counts));
                }
                NgramCounts cand = new NgramCounts(candNgrams[i], scratch);
                bleuStats[i] = Bleu.stats(cand, refs, scratch);
                double[] imageBleu = Bleu.score(bleuStats[i]);
                for (int k = 0; k < Bleu.N; k++) {
                    bleu[k][i] = imageBleu[k];
                }
                rouge[i] = RougeL.score(candTokens[i], refTokens.get(i));
                ciderD[i] = cider.score(cider.vector(cand), refVectors, scratch);
            }
        });

        CaptionScores scores = new CaptionScores(images);
        double[] corpusBleu = Bleu.corpusScore(List.of(bleuStats));
        for (int k = 0; k < Bleu.N; k++) {
            scores.put(NAMES.get(k), corpusBleu[k], bleu[k]);
        }
        scores.put(ROUGE_L, mean(rouge), rouge);
        scores.put(CIDER, mean(ciderD), ciderD);
        return scores;
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
