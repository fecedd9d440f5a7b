package dev.vitcap.metrics;

import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.PythonText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CIDEr-D with document frequencies fixed once from a training corpus (a collection of reference
 * sets), to score sampled captions as a reward without recomputing them: the same formula as the
 * COCO metric ({@link CocoMetrics}), with {@code log(number of reference sets)} for the document count.
 * Captions are tokenised as the COCO evaluation code tokenises them. Thread-safe.
 */
public final class CiderDReward {
    private final NgramIndex corpus;
    private final CiderD cider;

    /** One image's references, tokenised once for any number of scorings. */
    public static final class References {
        private final List<List<String>> words;

        private References(List<List<String>> words) {
            this.words = words;
        }
    }

    private CiderDReward(NgramIndex corpus, CiderD cider) {
        this.corpus = corpus;
        this.cider = cider;
    }

    /** Counts document frequencies over {@code referenceSets}, one document per set (per image). */
    public static CiderDReward fromReferenceSets(List<List<String>> referenceSets) {
        List<String> flat = new ArrayList<>();
        for (List<String> set : referenceSets) {
            flat.addAll(set);
        }
        List<String> tokenized = PtbTokenizer.instance().tokenizeCaptions(flat).captions();
        NgramIndex index = new NgramIndex();
        List<List<int[][]>> documents = new ArrayList<>(referenceSets.size());
        int at = 0;
        for (List<String> set : referenceSets) {
            List<int[][]> document = new ArrayList<>(set.size());
            for (int r = 0; r < set.size(); r++) {
                document.add(index.ngrams(index.words(PythonText.split(tokenized.get(at++)))));
            }
            documents.add(document);
        }
        int[] frequency = CiderD.documentFrequencies(documents, index.ngramCount());
        return new CiderDReward(index, new CiderD(frequency, referenceSets.size()));
    }

    /** Tokenises one image's reference captions. */
    public References references(List<String> captions) {
        if (captions.isEmpty()) {
            throw new IllegalArgumentException("an image needs at least one reference caption");
        }
        List<List<String>> words = new ArrayList<>(captions.size());
        for (String caption : PtbTokenizer.instance().tokenizeCaptions(captions).captions()) {
            words.add(PythonText.split(caption));
        }
        return new References(words);
    }

    public double score(String candidate, References references) {
        return score(List.of(candidate), List.of(references))[0];
    }

    /** Scores candidate {@code i} against {@code references.get(i)}. */
    public double[] score(List<String> candidates, List<References> references) {
        if (candidates.size() != references.size()) {
            throw new IllegalArgumentException(candidates.size() + " candidates for " + references.size()
                    + " reference sets");
        }
        List<String> tokenized = PtbTokenizer.instance().tokenizeCaptions(candidates).captions();
        // N-grams the corpus lacks get numbers past its own, in an index private to this call.
        NgramIndex index = new NgramIndex(corpus);
        int[][][] candNgrams = new int[candidates.size()][][];
        List<List<int[][]>> refNgrams = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            candNgrams[i] = index.ngrams(index.words(PythonText.split(tokenized.get(i))));
            List<int[][]> refs = new ArrayList<>();
            for (List<String> words : references.get(i).words) {
                refs.add(index.ngrams(index.words(words)));
            }
            refNgrams.add(refs);
        }
        // Renumber this call's n-grams densely, so that work arrays are as small as the call.
        int[] used = distinct(candNgrams, refNgrams);
        int[] frequency = new int[used.length];
        for (int d = 0; d < used.length; d++) {
            frequency[d] = cider.documentFrequency(used[d]);
        }
        CiderD dense = cider.renumbered(frequency);
        NgramScratch scratch = new NgramScratch(used.length);
        double[] scores = new double[candidates.size()];
        for (int i = 0; i < scores.length; i++) {
            List<CiderD.Vector> refVectors = new ArrayList<>();
            for (int[][] ngrams : refNgrams.get(i)) {
                refVectors.add(dense.vector(new NgramCounts(renumber(ngrams, used), scratch)));
            }
            CiderD.Vector cand = dense.vector(new NgramCounts(renumber(candNgrams[i], used), scratch));
            scores[i] = dense.score(cand, refVectors, scratch);
        }
        return scores;
    }

    private static int[] distinct(int[][][] candNgrams, List<List<int[][]>> refNgrams) {
        List<int[][]> all = new ArrayList<>(Arrays.asList(candNgrams));
        refNgrams.forEach(all::addAll);
        int size = 0;
        for (int[][] caption : all) {
            for (int[] ids : caption) {
                size += ids.length;
            }
        }
        int[] ids = new int[size];
        int at = 0;
        for (int[][] caption : all) {
            for (int[] order : caption) {
                System.arraycopy(order, 0, ids, at, order.length);
                at += order.length;
            }
        }
        return Arrays.stream(ids).sorted().distinct().toArray();
    }

    private static int[][] renumber(int[][] ngrams, int[] used) {
        int[][] dense = new int[ngrams.length][];
        for (int k = 0; k < ngrams.length; k++) {
            dense[k] = new int[ngrams[k].length];
            for (int i = 0; i < ngrams[k].length; i++) {
                dense[k][i] = Arrays.binarySearch(used, ngrams[k][i]);
            }
        }
        return dense;
    }
}
