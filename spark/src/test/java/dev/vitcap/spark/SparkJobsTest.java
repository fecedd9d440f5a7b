package dev.vitcap.spark;

import dev.vitcap.caption.ImageCaptioner;
import dev.vitcap.data.synth.Split;
import dev.vitcap.data.synth.SynthFiles;
import dev.vitcap.data.synth.SynthWorld;
import dev.vitcap.decode.DecodeOptions;
import dev.vitcap.kernel.Backends;
import dev.vitcap.kernel.Kernels;
import dev.vitcap.metrics.CaptionFiles;
import dev.vitcap.metrics.CaptionScores;
import dev.vitcap.metrics.CocoMetrics;
import dev.vitcap.model.Captioner;
import dev.vitcap.model.DecoderConfig;
import dev.vitcap.model.ModelConfig;
import dev.vitcap.model.VitConfig;
import dev.vitcap.text.PtbTokenizer;
import dev.vitcap.text.Vocabulary;
import dev.vitcap.weights.Checkpoint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark jobs in {@code local[2]}: 200 images of the synthetic world captioned exactly as
 * {@link ImageCaptioner#captionFiles} (what {@code vitcap caption} runs) captions them, a corrupt image's
 * row with its error, and the COCO metrics of a captions table equal to {@link CocoMetrics#score}.
 */
class SparkJobsTest {
    static final int IMAGES = 200;
    static final double TOLERANCE = 1e-9;
    @TempDir
    static Path dir;
    static Path checkpoint, images, broken;
    static SparkSession spark;
    /** Spark's captions by image path, from the first test that makes them. */
    static Map<String, Row> sparkCaptions;

    @BeforeAll
    static void worldModelAndSession() throws Exception {
        SynthWorld.generate(new SynthWorld.Spec(dir.resolve("world"), 0, 0, IMAGES, 64, 5));
        images = SynthFiles.imageDir(dir.resolve("world"), Split.TEST);
        broken = images.resolve("zz-broken.png");
        Files.write(broken, new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H'});
        List<String> captions = new ArrayList<>();
        for (var a : SynthFiles.readCaptions(SynthFiles.annotations(dir.resolve("world"), Split.TEST)).annotations()) captions.add(a.caption());
        Vocabulary vocabulary = Vocabulary.build(captions, PtbTokenizer.instance()::tokenize, 1, 16);
        VitConfig vit = VitConfig.builder().image(60).patch(20).dim(64).depth(2).heads(4).mlp(128).build();
        DecoderConfig decoder = DecoderConfig.builder(DecoderConfig.Kind.ATTENTION).emb(32).hidden(64).att(32).build();
        ModelConfig config = new ModelConfig(vit, decoder, 16).withVocab(vocabulary.size());
        checkpoint = dir.resolve("model").resolve("best.json");
        Files.createDirectories(checkpoint.getParent());
        try (Kernels k = Backends.select("cpu").kernels(); Captioner m = new Captioner(k, config, 7)) {
            Checkpoint.save(checkpoint, m, null, vocabulary, DecodeOptions.beam(2).withAlternatives(1), null);
        }
        spark = SparkSession.builder().master("local[2]").appName("vitcap-test")
                .config("spark.ui.enabled", false).config("spark.sql.shuffle.partitions", 4).getOrCreate();
    }

    @AfterAll
    static void stop() {
        SparkCaptioner.closeLocalModels();
        if (spark != null) spark.stop();
    }

    static synchronized Map<String, Row> sparkCaptions() throws Exception {
        if (sparkCaptions == null) {
            Dataset<Row> captioned = SparkCaptioner.of(spark, checkpoint).withBatch(16).withAlternatives(true)
                    .caption(CaptionTables.readImages(spark, images.toString()));
            Map<String, Row> byPath = new HashMap<>();
            for (Row r : CaptionTables.captionColumns(captioned, true).collectAsList()) byPath.put(r.getString(0), r);
            sparkCaptions = byPath;
        }
        return sparkCaptions;
    }

    @Test
    void captionsEqualTheSingleProcessOnesAndACorruptImageGetsItsError() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(images)) {
            files = list.sorted().toList();
        }
        Map<String, Row> byPath = sparkCaptions();
        assertEquals(IMAGES + 1, byPath.size(), "every image, and the corrupt one, has a row");
        try (ImageCaptioner alone = ImageCaptioner.open(checkpoint, ImageCaptioner.Options.defaults().withBackend("cpu").withMaxBatch(32))) {
            List<ImageCaptioner.FileCaption> single = alone.captionFiles(files, alone.defaultDecoding());
            int distinct = (int) single.stream().filter(ImageCaptioner.FileCaption::ok).map(f -> f.caption().text()).distinct().count();
            assertTrue(distinct >= 10, "the model tells the images apart (" + distinct + " captions), so equal captions mean something");
            for (ImageCaptioner.FileCaption expected : single) {
                Row row = byPath.get(expected.file().toAbsolutePath().toString());
                assertNotNull(row, "a row for " + expected.file());
                if (!expected.ok()) {
                    assertNull(row.get(1), "no caption for " + expected.file());
                    assertTrue(row.getString(4).contains(expected.file().getFileName().toString()), row.getString(4));
                    continue;
                }
                assertNull(row.get(4), "no error for " + expected.file());
                assertEquals(expected.caption().text(), row.getString(1), "caption of " + expected.file());
                // Batched with other images, the sums round differently in the last float bits.
                assertEquals(expected.caption().logProb(), row.getDouble(2), 1e-4 * Math.max(1, Math.abs(row.getDouble(2))), "log_prob of " + expected.file());
                List<Row> alternatives = row.getList(3);
                assertEquals(1, alternatives.size());
                assertEquals(expected.caption().alternatives().get(0).text(), alternatives.get(0).getString(0));
            }
        }
        assertNotNull(byPath.get(broken.toString()).get(4), "the corrupt image's row has its error");
    }

    /** What an executor does with a shipped checkpoint (a cluster's; a local session reads it in place): written once, and it loads. */
    @Test
    void aShippedCheckpointIsWrittenOncePerExecutorAndLoads() throws Exception {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (Path f : Checkpoint.files(checkpoint)) files.put(f.getFileName().toString(), Files.readAllBytes(f));
        Path dir = ExecutorCaptioners.received(-42, files);
        assertEquals(dir, ExecutorCaptioners.received(-42, files), "the same broadcast is written once");
        for (var f : files.entrySet()) org.junit.jupiter.api.Assertions.assertArrayEquals(f.getValue(), Files.readAllBytes(dir.resolve(f.getKey())));
        assertEquals(Checkpoint.load(checkpoint).model(), Checkpoint.load(dir.resolve("best.json")).model());
    }

    @Test
    void scoresEqualTheSingleProcessOnes() throws Exception {
        Path annotations = SynthFiles.annotations(dir.resolve("world"), Split.TEST);
        CaptionFiles.References references = CaptionFiles.readReferences(annotations, null);
        // Candidates: the model's caption for odd images, for even ones a reference with its first word dropped (so the scores are far from 0).
        List<CaptionFiles.Result> results = new ArrayList<>();
        Map<String, Row> captions = sparkCaptions();
        for (var image : SynthFiles.readCaptions(annotations).images()) {
            var id = new com.fasterxml.jackson.databind.node.IntNode(image.id());
            String reference = references.byImage().get(id).get(0);
            String model = captions.get(images.resolve(image.fileName()).toAbsolutePath().toString()).getString(1);
            results.add(new CaptionFiles.Result(id, image.id() % 2 == 0 ? reference.substring(reference.indexOf(' ') + 1) : model));
        }
        CaptionFiles.Matched matched = CaptionFiles.match(references, annotations, results, false);
        CaptionScores expected = CocoMetrics.score(CocoMetrics.tokenize(matched.references(), matched.candidates()));
        assertTrue(expected.corpus(CocoMetrics.CIDER) > 1, "CIDEr-D " + expected.corpus(CocoMetrics.CIDER));

        SparkScorer.Result fromFiles = SparkScorer.score(SparkScorer.table(spark, matched).repartition(3));
        assertEquals(IMAGES, fromFiles.images());
        for (String metric : CocoMetrics.NAMES) assertEquals(expected.corpus(metric), fromFiles.corpus().get(metric), TOLERANCE, metric);
        Map<Long, Row> perImage = new HashMap<>();
        for (Row r : fromFiles.perImage().collectAsList()) perImage.put(r.getLong(0), r);
        for (int i = 0; i < matched.imageIds().size(); i++) {
            Row r = perImage.get(matched.imageIds().get(i).asLong());
            for (int m = 0; m < CocoMetrics.NAMES.size(); m++) {
                assertEquals(expected.image(CocoMetrics.NAMES.get(m), i), r.getDouble(1 + m), TOLERANCE, CocoMetrics.NAMES.get(m) + " of image " + matched.imageIds().get(i));
            }
        }

        // The same captions as two tables, a row per reference, paired in Spark.
        StructType pairType = new StructType().add(SparkScorer.IMAGE_ID, DataTypes.LongType).add(SparkScorer.CAPTION, DataTypes.StringType);
        List<Row> candidateRows = new ArrayList<>(), referenceRows = new ArrayList<>();
        for (var r : results) candidateRows.add(RowFactory.create(r.imageId().asLong(), r.caption()));
        references.byImage().forEach((id, refs) -> refs.forEach(c -> referenceRows.add(RowFactory.create(id.asLong(), c))));
        Dataset<Row> candidates = spark.createDataFrame(candidateRows, pairType), refs = spark.createDataFrame(referenceRows, pairType);
        SparkScorer.Result fromTables = SparkScorer.score(SparkScorer.pair(candidates, refs, false));
        for (String metric : CocoMetrics.NAMES) assertEquals(expected.corpus(metric), fromTables.corpus().get(metric), TOLERANCE, metric);

        // A result for an unknown image is refused unless lenient, which scores the others alike.
        Dataset<Row> extra = candidates.union(spark.createDataFrame(List.of(RowFactory.create(99_999L, "a cat")), pairType));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SparkScorer.pair(extra, refs, false));
        assertTrue(refused.getMessage().contains("1 result(s) for unknown images"), refused.getMessage());
        assertEquals(expected.corpus(CocoMetrics.CIDER), SparkScorer.score(SparkScorer.pair(extra, refs, true)).corpus().get(CocoMetrics.CIDER), TOLERANCE);
    }
}
