package dev.vitcap.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vitcap.io.AtomicFiles;
import dev.vitcap.io.FileFormatException;
import dev.vitcap.io.Missing;
import dev.vitcap.io.JsonErrors;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The words a captioner knows, with ids: {@code <pad>}=0, {@code <start>}=1, {@code <end>}=2,
 * {@code <unk>}=3, then every word seen at least {@code minCount} times in the training captions,
 * most frequent first (ties alphabetical, so the same captions always give the same ids). A caption
 * is encoded as exactly {@code maxLength} ids: {@code <start>}, its words (cut to fit), {@code <end>},
 * then {@code <pad>}s; an empty caption is {@code <start> <end>}. Words are found by the tokenizer
 * given to {@link #build} and {@link #load}, the one the metrics use.
 */
public final class Vocabulary {
    public static final int PAD = 0;
    public static final int START = 1;
    public static final int END = 2;
    public static final int UNK = 3;
    public static final List<String> SPECIALS = List.of("<pad>", "<start>", "<end>", "<unk>");

    private static final String FORMAT = "vitcap-vocabulary";
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The saved form: every word by id, specials included. */
    record Saved(String format, int version, int maxLength, int minCount, List<String> words) {
    }

    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();
    private final int maxLength;
    private final int minCount;
    private final Function<String, List<String>> tokenizer;

    private Vocabulary(List<String> words, int maxLength, int minCount, Function<String, List<String>> tokenizer) {
        if (maxLength < 2) throw new IllegalArgumentException("maxLength must leave room for <start> and <end>, got " + maxLength);
        if (minCount < 1) throw new IllegalArgumentException("minCount must be at least 1, got " + minCount);
        this.words = List.copyOf(words);
        this.maxLength = maxLength;
        this.minCount = minCount;
        this.tokenizer = tokenizer;
        // Specials are not looked up by text: a caption containing the text "<end>" must not end early.
        for (int id = SPECIALS.size(); id < this.words.size(); id++) {
            if (ids.put(this.words.get(id), id) != null) throw new IllegalArgumentException("word '" + this.words.get(id) + "' is listed twice");
        }
    }

    /** The vocabulary of some captions: the specials, then the words seen at least {@code minCount} times. */
    public static Vocabulary build(Iterable<String> captions, Function<String, List<String>> tokenizer, int minCount, int maxLength) {
        Map<String, Integer> counts = new HashMap<>();
        for (String caption : captions) {
            for (String token : tokenizer.apply(caption)) counts.merge(token, 1, Integer::sum);
        }
        List<String> words = new ArrayList<>(SPECIALS);
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount && !SPECIALS.contains(e.getKey()))
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> words.add(e.getKey()));
        return new Vocabulary(words, maxLength, minCount, tokenizer);
    }

    public int size() {
        return words.size();
    }

    /** T: the length of every encoded caption, {@code <start>} and {@code <end>} included. */
    public int maxLength() {
        return maxLength;
    }

    public int minCount() {
        return minCount;
    }

    /** The id of a word; {@link #UNK} for words not in the vocabulary. */
    public int id(String word) {
        return ids.getOrDefault(word, UNK);
    }

    public String word(int id) {
        return words.get(id);
    }

    public int[] encode(String caption) {
        return encodeTokens(tokenizer.apply(caption));
    }

    /** Exactly {@link #maxLength} ids: {@code <start>}, the first {@code maxLength - 2} tokens, {@code <end>}, {@code <pad>}s. */
    public int[] encodeTokens(List<String> tokens) {
        int[] out = new int[maxLength];
        Arrays.fill(out, PAD);
        out[0] = START;
        int n = Math.min(tokens.size(), maxLength - 2);
        for (int i = 0; i < n; i++) out[1 + i] = id(tokens.get(i));
        out[1 + n] = END;
        return out;
    }

    /** The words of an id sequence up to the first {@code <end>}, specials left out. */
    public List<String> decodeWords(int[] sequence) {
        List<String> out = new ArrayList<>();
        for (int id : sequence) {
            if (id < 0 || id >= words.size()) throw new IllegalArgumentException("id " + id + " is outside the vocabulary of " + words.size());
            if (id == END) break;
            if (id >= SPECIALS.size()) out.add(words.get(id));
        }
        return out;
    }

    public String decode(int[] sequence) {
        return String.join(" ", decodeWords(sequence));
    }

    /** Writes the vocabulary as JSON under a temporary name and renames it into place. */
    public void save(Path file) throws IOException {
        Saved saved = new Saved(FORMAT, VERSION, maxLength, minCount, words);
        AtomicFiles.write(file, out -> JSON.writeValue(out, saved));
    }

    /** The saved form as a JSON tree, to embed in a checkpoint. */
    public JsonNode toJson() {
        return JSON.valueToTree(new Saved(FORMAT, VERSION, maxLength, minCount, words));
    }

    /** Reads a vocabulary {@link #save} wrote; the tokenizer must be the one it was built with. */
    public static Vocabulary load(Path file, Function<String, List<String>> tokenizer) throws FileFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(JSON.readTree(in), file.toString(), tokenizer);
        } catch (JsonProcessingException e) {
            throw new FileFormatException(file + JsonErrors.at(e) + ": bad vocabulary JSON: " + JsonErrors.problem(e));
        } catch (NoSuchFileException e) {
            throw new FileFormatException(file + ": " + Missing.why(file));
        } catch (CharConversionException e) {
            throw new FileFormatException(file + ": not UTF-8 text");
        } catch (FileFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new FileFormatException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads the saved form from a JSON tree ({@link #toJson}); {@code where} names it in errors. */
    public static Vocabulary fromJson(JsonNode node, String where, Function<String, List<String>> tokenizer) throws FileFormatException {
        Saved saved;
        try {
            saved = node == null ? null : JSON.treeToValue(node, Saved.class);
        } catch (JsonProcessingException e) {
            throw new FileFormatException(where + ": bad vocabulary: " + JsonErrors.problem(e));
        }
        if (saved == null || !FORMAT.equals(saved.format()) || saved.version() != VERSION) {
            throw new FileFormatException(where + ": not a " + FORMAT + " of version " + VERSION);
        }
        if (saved.words() == null || saved.words().size() < SPECIALS.size() || !saved.words().subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new FileFormatException(where + ": words must start with " + SPECIALS);
        }
        try {
            return new Vocabulary(saved.words(), saved.maxLength(), saved.minCount(), tokenizer);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(where + ": " + e.getMessage());
        }
    }
}
