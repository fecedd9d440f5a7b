package dev.vitcap.bench;

import dev.vitcap.metrics.CaptionScores;
import dev.vitcap.metrics.CocoMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The COCO caption metrics on 5000 images with 5 references each (issue 3: pycocoevalcap takes 4.3 s
 * for tokenisation, BLEU, ROUGE-L and CIDEr-D on such a set; the target is a tenth of that).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MetricsBench {
    private SyntheticCaptions captions;
    private CocoMetrics.Tokenized tokenized;

    @Setup
    public void generate() {
        captions = SyntheticCaptions.generate(5000, 5, 1);
        tokenized = CocoMetrics.tokenize(captions.references(), captions.candidates());
    }

    /** Everything the reference's 4.3 s covers: tokenisation, BLEU-1..4, ROUGE-L, CIDEr-D. */
    @Benchmark
    public CaptionScores tokenizeAndScore() {
        return CocoMetrics.score(captions.references(), captions.candidates());
    }

    @Benchmark
    public CocoMetrics.Tokenized tokenizeOnly() {
        return CocoMetrics.tokenize(captions.references(), captions.candidates());
    }

    @Benchmark
    public CaptionScores scoreOnly() {
        return CocoMetrics.score(tokenized);
    }
}
