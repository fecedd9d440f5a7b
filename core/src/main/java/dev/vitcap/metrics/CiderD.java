package dev.vitcap.metrics;

import java.util.List;

/**
 * CIDEr-D as the COCO caption evaluation code computes it (its {@code cider_scorer.py}): tf-idf
 * vectors of the 1..4-grams with idf {@code log(documents) - log(max(1, df))}, the candidate's
 * weights clipped to the reference's, a Gaussian length penalty with sigma = 6, the mean over n and
 * over the references, times 10. Note the reference's "length" of a caption is its number of bigrams
 * (one less than its words, 0 for an empty caption), which this keeps.
 *
 * <p>The document frequencies are fixed at construction: from the references of the evaluated set
 * (the COCO metric) or from a training corpus (a reward).
 */
final class CiderD {
    private static final double SIGMA = 6;

    /** A caption's tf-idf weights, aligned with {@code counts.ids}, with the norm and length per order. */
    record Vector(NgramCounts counts, double[][] weights, double[] norms, int length) {}

    /** {@code documentFrequency[id]}: how many documents hold the n-gram (ids past the end: none). */
    private final int[] documentFrequency;
    private final double logDocuments;
    /** {@code log(max(1, df))} for the small dfs, which are most; larger ones are computed as met. */
    private final double[] logFrequency;

    CiderD(int[] documentFrequency, int documents) {
        this.documentFrequency = documentFrequency;
        logDocuments = Math.log(documents);
        // A table as long as the document count would cost each Spark task scoring a corpus of millions
        // of images that many logarithms; past 65,536 a df's logarithm is computed when it is met.
        logFrequency = new double[Math.min(documents, 1 << 16) + 1];
        for (int df = 0; df < logFrequency.length; df++) {
            logFrequency[df] = Math.log(Math.max(1, df));
        }
    }

    private CiderD(int[] documentFrequency, CiderD same) {
        this.documentFrequency = documentFrequency;
        logDocuments = same.logDocuments;
        logFrequency = same.logFrequency;
    }

    /** The same document count with other n-gram numbers: {@code documentFrequency[id]} for each. */
    CiderD renumbered(int[] documentFrequency) {
        return new CiderD(documentFrequency, this);
    }

    /** How many documents hold n-gram {@code id}. */
    int documentFrequency(int id) {
        return id < documentFrequency.length ? documentFrequency[id] : 0;
    }

    /**
     * Counts, for each n-gram, the documents (reference sets) whose captions hold it.
     *
     * @param documents per document, per caption, the n-gram numbers by order ({@link NgramIndex#ngrams})
     */
    static int[] documentFrequencies(List<List<int[][]>> documents, int ngramCount) {
        int[] frequency = new int[ngramCount];
        int[] lastDocument = new int[ngramCount];
        for (int doc = 0; doc < documents.size(); doc++) {
            for (int[][] caption : documents.get(doc)) {
                for (int[] ids : caption) {
                    for (int id : ids) {
                        if (lastDocument[id] != doc + 1) {
                            lastDocument[id] = doc + 1;
                            frequency[id]++;
                        }
                    }
                }
            }
        }
        return frequency;
    }

    private double logFrequency(int df) {
        return df < logFrequency.length ? logFrequency[df] : Math.log(df);
    }

    Vector vector(NgramCounts counts) {
        int orders = counts.ids.length;
        double[][] weights = new double[orders][];
        double[] norms = new double[orders];
        for (int k = 0; k < orders; k++) {
            int[] ids = counts.ids[k];
            weights[k] = new double[ids.length];
            double squares = 0;
            for (int d = 0; d < ids.length; d++) {
                double weight = counts.counts[k][d] * (logDocuments - logFrequency(documentFrequency(ids[d])));
                weights[k][d] = weight;
                squares += weight * weight;
            }
            norms[k] = Math.sqrt(squares);
        }
        return new Vector(counts, weights, norms, Math.max(0, counts.length - 1));
    }

    /** The image's CIDEr-D: candidate against each of its references. */
    double score(Vector candidate, List<Vector> references, NgramScratch scratch) {
        int orders = candidate.weights().length;
        double[] sums = new double[orders];
        for (Vector reference : references) {
            double delta = candidate.length() - reference.length();
            double penalty = Math.pow(Math.E, -(delta * delta) / (2 * SIGMA * SIGMA));
            for (int k = 0; k < orders; k++) {
                int[] ids = reference.counts().ids[k];
                for (int d = 0; d < ids.length; d++) {
                    scratch.weight[ids[d]] = reference.weights()[k][d];
                }
                sums[k] += similarity(candidate, reference, k, scratch.weight) * penalty;
                for (int id : ids) {
                    scratch.weight[id] = 0;
                }
            }
        }
        double mean = 0;
        for (double sum : sums) {
            mean += sum;
        }
        return mean / orders / references.size() * 10.0;
    }

    /** Clipped cosine similarity of the (k+1)-gram vectors; {@code referenceWeight} by n-gram number. */
    private static double similarity(Vector candidate, Vector reference, int k, double[] referenceWeight) {
        int[] ids = candidate.counts().ids[k];
        double value = 0;
        for (int d = 0; d < ids.length; d++) {
            double theirs = referenceWeight[ids[d]];
            value += Math.min(candidate.weights()[k][d], theirs) * theirs;
        }
        if (candidate.norms()[k] != 0 && reference.norms()[k] != 0) {
            value /= candidate.norms()[k] * reference.norms()[k];
        }
        return value;
    }
}
