package dev.vitcap.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitcap.metrics.CaptionFiles;
import dev.vitcap.metrics.CocoMetrics;
import dev.vitcap.metrics.ImageMetrics;
import dev.vitcap.text.PtbTokenizer;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;

/**
 * The COCO caption metrics (BLEU-1..4, ROUGE-L, CIDEr-D) of a captions table of any size, equal to
 * {@code vitcap score} on the same captions: each image is scored by its own task
 * ({@link ImageMetrics}), CIDEr-D's document frequencies are counted across all partitions and joined
 * back to the images whose n-grams need them (never collected on the driver), and the corpus scores
 * are reduced from the images' (BLEU from summed statistics, ROUGE-L and CIDEr-D as means).
 */
public final class SparkScorer {
    /** The scored table's columns: one row per image. */
    public static final String IMAGE_ID = "image_id", CAPTION = "caption", REFERENCES = "references";

    /** Corpus scores by the reference code's metric names, the images scored, and every image's scores ({@code image_id} and one column per metric). */
    public record Result(Map<String, Double> corpus, long images, Dataset<Row> perImage) {}

    private SparkScorer() {}

    /** Scores a table of {@code image_id} (any type, unique), {@code caption} (the candidate) and {@code references} (a list of strings). */
    public static Result score(Dataset<Row> captions) {
        DataType idType = captions.schema().apply(IMAGE_ID).dataType();
        StructType tokenizedType = new StructType().add(IMAGE_ID, idType).add(CAPTION, DataTypes.StringType)
                .add(REFERENCES, DataTypes.createArrayType(DataTypes.StringType));
        Dataset<Row> tokenized = captions.select(IMAGE_ID, CAPTION, REFERENCES)
                .mapPartitions((MapPartitionsFunction<Row, Row>) SparkScorer::tokenize, Encoders.row(tokenizedType))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long images = tokenized.count();
            if (images == 0) throw new IllegalArgumentException("no images to score");
            if (images > Integer.MAX_VALUE) throw new IllegalArgumentException(images + " images: at most " + Integer.MAX_VALUE + " can be scored together");

            Dataset<Row> frequency = tokenized.flatMap((FlatMapFunction<Row, String>) r ->
                    ImageMetrics.documentNgrams(r.getList(2)).iterator(), Encoders.STRING()).groupBy("value").count()
                    .withColumnRenamed("value", "ngram").withColumnRenamed("count", "df");
            StructType needType = new StructType().add(IMAGE_ID, idType).add("ngram", DataTypes.StringType);
            Dataset<Row> needed = tokenized.flatMap((FlatMapFunction<Row, Row>) r -> {
                List<Row> out = new ArrayList<>();
                for (String ngram : ImageMetrics.ngrams(r.getList(2), r.getString(1))) out.add(RowFactory.create(r.get(0), ngram));
                return out.iterator();
            }, Encoders.row(needType));
            Dataset<Row> perImageFrequency = needed.join(frequency, "ngram", "left")
                    .groupBy(IMAGE_ID).agg(map_from_entries(collect_list(struct(col("ngram"), coalesce(col("df"), lit(0L))))).as("df"));

            int documents = (int) images;
            StructType scoredType = new StructType().add(IMAGE_ID, idType);
            for (String metric : CocoMetrics.NAMES) scoredType = scoredType.add(metric, DataTypes.DoubleType);
            scoredType = scoredType.add("candidate_length", DataTypes.LongType).add("reference_length", DataTypes.LongType)
                    .add("matches", DataTypes.createArrayType(DataTypes.LongType)).add("candidate_ngrams", DataTypes.createArrayType(DataTypes.LongType));
            Dataset<Row> scored = tokenized.join(perImageFrequency, IMAGE_ID)
                    .mapPartitions((MapPartitionsFunction<Row, Row>) rows -> scoreImages(rows, documents), Encoders.row(scoredType))
                    .persist(StorageLevel.MEMORY_AND_DISK());

            List<Column> sums = new ArrayList<>(List.of(sum("candidate_length"), sum("reference_length"),
                    avg(CocoMetrics.ROUGE_L), avg(CocoMetrics.CIDER)));
            for (int k = 0; k < ImageMetrics.ORDERS; k++) {
                sums.add(sum(col("matches").getItem(k)));
                sums.add(sum(col("candidate_ngrams").getItem(k)));
            }
            Row total = scored.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).first();
            long[] matches = new long[ImageMetrics.ORDERS], ngrams = new long[ImageMetrics.ORDERS];
            for (int k = 0; k < ImageMetrics.ORDERS; k++) {
                matches[k] = total.getLong(4 + 2 * k);
                ngrams[k] = total.getLong(5 + 2 * k);
            }
            double[] bleu = ImageMetrics.corpusBleu(total.getLong(0), total.getLong(1), matches, ngrams);
            Map<String, Double> corpus = new LinkedHashMap<>();
            for (int k = 0; k < ImageMetrics.ORDERS; k++) corpus.put(CocoMetrics.NAMES.get(k), bleu[k]);
            corpus.put(CocoMetrics.ROUGE_L, total.getDouble(2));
            corpus.put(CocoMetrics.CIDER, total.getDouble(3));
            List<Column> perImage = new ArrayList<>(List.of(col(IMAGE_ID)));
            for (String metric : CocoMetrics.NAMES) perImage.add(col(metric));
            return new Result(corpus, images, scored.select(perImage.toArray(Column[]::new)));
        } finally {
            tokenized.unpersist();
        }
    }

    /**
     * Pairs candidates ({@code image_id}, {@code caption}: one per image) with references (the same
     * columns, a row per reference caption) as {@code vitcap score} does: an image without a result, a
     * result for an unknown image, a second result for an image, or an image whose references are all
     * blank is an error unless {@code lenient}, which skips them (keeping one of an image's results).
     */
    public static Dataset<Row> pair(Dataset<Row> candidates, Dataset<Row> references, boolean lenient) {
        Dataset<Row> refs = references.filter(col(CAPTION).isNotNull().and(trim(col(CAPTION)).notEqual("")))
                .groupBy(IMAGE_ID).agg(collect_list(CAPTION).as(REFERENCES));
        Dataset<Row> allRefImages = references.select(IMAGE_ID).distinct();
        Dataset<Row> cands = candidates.groupBy(IMAGE_ID).agg(first(CAPTION).as(CAPTION), count(lit(1)).as("results"));
        Row counts = cands.join(allRefImages.withColumn("known", lit(true)), new String[]{IMAGE_ID}, "full_outer")
                .join(refs.withColumn("has_refs", lit(true)), new String[]{IMAGE_ID}, "left")
                .agg(sum(col("results").isNull().and(col("known")).cast("long")).as("missing"),
                        sum(col("known").isNull().cast("long")).as("unknown"),
                        sum(greatest(col("results").minus(1), lit(0L))).as("duplicates"),
                        sum(col("known").and(col("has_refs").isNull()).and(col("results").isNotNull()).cast("long")).as("no_references"))
                .first();
        long missing = zeroIfNull(counts, 0), unknown = zeroIfNull(counts, 1), duplicates = zeroIfNull(counts, 2), noRefs = zeroIfNull(counts, 3);
        if (!lenient && missing + unknown + duplicates + noRefs > 0) {
            throw new IllegalArgumentException("the results and references do not match: " + CaptionFiles.mismatch(missing, unknown, duplicates, noRefs)
                    + " (--lenient scores only the images with one result and references)");
        }
        return cands.join(refs, IMAGE_ID).select(IMAGE_ID, CAPTION, REFERENCES);
    }

    /** Captions paired on the driver (from COCO or Karpathy JSON files, as {@code vitcap score} reads them) as a table. */
    public static Dataset<Row> table(SparkSession spark, CaptionFiles.Matched matched) {
        boolean numeric = numeric(matched.imageIds());
        StructType type = new StructType().add(IMAGE_ID, idType(numeric))
                .add(CAPTION, DataTypes.StringType).add(REFERENCES, DataTypes.createArrayType(DataTypes.StringType));
        List<Row> rows = new ArrayList<>(matched.imageIds().size());
        for (int i = 0; i < matched.imageIds().size(); i++) {
            rows.add(RowFactory.create(id(matched.imageIds().get(i), numeric), matched.candidates().get(i), Rows.seq(matched.references().get(i))));
        }
        return spark.createDataFrame(rows, type);
    }

    /** The reference captions of a JSON file as a table for {@link #pair}: a row per reference. */
    public static Dataset<Row> referenceRows(SparkSession spark, CaptionFiles.References references) {
        boolean numeric = numeric(references.byImage().keySet());
        List<Row> rows = new ArrayList<>();
        references.byImage().forEach((id, captions) -> captions.forEach(c -> rows.add(RowFactory.create(id(id, numeric), c))));
        return spark.createDataFrame(rows, pairType(numeric));
    }

    /** The results of a JSON file as a table for {@link #pair}. */
    public static Dataset<Row> resultRows(SparkSession spark, List<CaptionFiles.Result> results) {
        boolean numeric = numeric(results.stream().map(CaptionFiles.Result::imageId).toList());
        List<Row> rows = new ArrayList<>(results.size());
        for (CaptionFiles.Result r : results) rows.add(RowFactory.create(id(r.imageId(), numeric), r.caption()));
        return spark.createDataFrame(rows, pairType(numeric));
    }

    /** JSON image ids become a long column when all are whole numbers, else a string column. */
    private static boolean numeric(Collection<JsonNode> ids) {
        return ids.stream().allMatch(id -> id.isIntegralNumber() && id.canConvertToLong());
    }

    private static DataType idType(boolean numeric) {
        return numeric ? DataTypes.LongType : DataTypes.StringType;
    }

    private static Object id(JsonNode id, boolean numeric) {
        return numeric ? (Object) id.asLong() : id.asText();
    }

    private static StructType pairType(boolean numeric) {
        return new StructType().add(IMAGE_ID, idType(numeric)).add(CAPTION, DataTypes.StringType);
    }

    private static long zeroIfNull(Row row, int i) {
        return row.isNullAt(i) ? 0 : row.getLong(i);
    }

    private static Iterator<Row> tokenize(Iterator<Row> rows) {
        PtbTokenizer tokenizer = PtbTokenizer.instance();
        return map(rows, r -> {
            String candidate = r.isNullAt(1) ? "" : r.getString(1);
            return RowFactory.create(r.get(0), tokenizer.tokenizeCaptions(List.of(candidate)).captions().get(0),
                    Rows.seq(tokenizer.tokenizeCaptions(r.getList(2)).captions()));
        });
    }

    private static Iterator<Row> scoreImages(Iterator<Row> rows, int documents) {
        ImageMetrics metrics = new ImageMetrics(documents);
        return map(rows, r -> {
            Map<String, Long> frequency = r.getJavaMap(3);
            ImageMetrics.Scores s = metrics.score(r.getList(2), r.getString(1), ngram -> frequency.getOrDefault(ngram, 0L).intValue());
            List<Object> values = new ArrayList<>(List.of(r.get(0)));
            for (double b : s.bleu()) values.add(b);
            values.addAll(List.of(s.rouge(), s.cider(), s.candidateLength(), s.referenceLength(), Rows.seq(boxed(s.matches())), Rows.seq(boxed(s.candidateNgrams()))));
            return RowFactory.create(values.toArray());
        });
    }

    /** Rows mapped one at a time as they are pulled: a partition never sits whole in memory. */
    private static Iterator<Row> map(Iterator<Row> rows, Function<Row, Row> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                return f.apply(rows.next());
            }
        };
    }

    private static List<Long> boxed(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) out.add(v);
        return out;
    }
}
