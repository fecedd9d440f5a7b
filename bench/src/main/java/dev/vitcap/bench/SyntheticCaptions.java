package dev.vitcap.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic caption set shaped like COCO's: captions of about ten words ("A man riding a wave
 * on top of a surfboard."), Zipf-distributed over a vocabulary of a few thousand words, some capitals,
 * commas and periods; candidates are references of the same image with words dropped or replaced.
 */
public record SyntheticCaptions(List<List<String>> references, List<String> candidates) {
    private static final String[] DETERMINERS = {"a", "the", "two", "some", "an", "three", "several", "many"};
    private static final String[] PREPOSITIONS = {"on", "in", "with", "next to", "near", "at", "of", "under",
        "on top of", "in front of", "behind", "by", "over", "across", "down"};
    private static final String[] VERBS = {"sitting", "standing", "riding", "holding", "walking", "eating",
        "playing", "looking at", "laying", "flying", "parked", "covered", "filled", "sits", "is", "are"};
    private static final String[] SYLLABLES = {"ba", "ca", "de", "fo", "gu", "ha", "ki", "lo", "ma", "ne",
        "pi", "ro", "sa", "te", "vi", "wo", "ze", "bri", "cla", "dro", "fle", "gra", "pla", "sto", "tru"};

    /** {@code images} images with {@code referencesPerImage} references each. */
    public static SyntheticCaptions generate(int images, int referencesPerImage, long seed) {
        Random random = new Random(seed);
        List<String> nouns = words(random, 2400);
        List<String> adjectives = words(random, 600);
        List<List<String>> references = new ArrayList<>(images);
        List<String> candidates = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            // An image's captions share a subject and a place, as captions of one picture do.
            String subject = zipf(random, nouns);
            String place = zipf(random, nouns);
            List<String> set = new ArrayList<>(referencesPerImage);
            for (int r = 0; r < referencesPerImage; r++) {
                set.add(caption(random, subject, place, nouns, adjectives));
            }
            references.add(set);
            candidates.add(candidate(random, set.get(random.nextInt(set.size())), nouns));
        }
        return new SyntheticCaptions(references, candidates);
    }

    private static List<String> words(Random random, int count) {
        Set<String> words = new LinkedHashSet<>();
        while (words.size() < count) {
            StringBuilder word = new StringBuilder();
            int syllables = 1 + random.nextInt(3);
            for (int s = 0; s < syllables; s++) {
                word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            words.add(word.toString());
        }
        return new ArrayList<>(words);
    }

    /** Word {@code i} with probability proportional to 1/(i+1). */
    private static String zipf(Random random, List<String> words) {
        double harmonic = Math.log(words.size()) + 0.5772;
        double u = random.nextDouble() * harmonic;
        int i = (int) Math.min(words.size() - 1, Math.exp(u - 0.5772) - 1);
        return words.get(Math.max(0, i));
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String caption(Random random, String subject, String place, List<String> nouns,
            List<String> adjectives) {
        StringBuilder c = new StringBuilder();
        c.append(pick(random, DETERMINERS)).append(' ');
        if (random.nextInt(3) == 0) {
            c.append(zipf(random, adjectives)).append(' ');
        }
        c.append(random.nextInt(4) == 0 ? zipf(random, nouns) : subject).append(' ');
        c.append(pick(random, VERBS)).append(' ').append(pick(random, PREPOSITIONS)).append(' ');
        c.append(pick(random, DETERMINERS)).append(' ');
        if (random.nextInt(2) == 0) {
            c.append(zipf(random, adjectives)).append(' ');
        }
        c.append(random.nextInt(3) == 0 ? zipf(random, nouns) : place);
        if (random.nextInt(3) == 0) {
            c.append(random.nextInt(2) == 0 ? ", " : " ").append(pick(random, PREPOSITIONS)).append(' ')
                    .append(pick(random, DETERMINERS)).append(' ').append(zipf(random, nouns));
        }
        if (random.nextInt(2) == 0) {
            c.append('.');
        }
        if (random.nextInt(2) == 0) {
            c.setCharAt(0, Character.toUpperCase(c.charAt(0)));
        }
        return c.toString();
    }

    private static String candidate(Random random, String reference, List<String> nouns) {
        String[] words = reference.toLowerCase().replace(".", "").replace(",", "").split(" ");
        StringBuilder c = new StringBuilder();
        for (String word : words) {
            int change = random.nextInt(10);
            if (change == 0) {
                continue;
            }
            if (c.length() > 0) {
                c.append(' ');
            }
            c.append(change == 1 ? zipf(random, nouns) : word);
        }
        return c.toString();
    }

    /**
     * Writes the set as {@code annotations.json} (COCO captions format) and {@code results.json} (COCO
     * results format) in a folder: {@code SyntheticCaptions FOLDER [IMAGES [REFERENCES [SEED]]]}.
     */
    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int refs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        SyntheticCaptions set = generate(images, refs, seed);
        ObjectMapper json = new ObjectMapper();
        ObjectNode annotations = json.createObjectNode();
        ArrayNode imageList = annotations.putArray("images");
        ArrayNode captionList = annotations.putArray("annotations");
        ArrayNode results = json.createArrayNode();
        int annotationId = 0;
        for (int i = 0; i < images; i++) {
            int imageId = 100000 + 7 * i;
            imageList.addObject().put("id", imageId).put("file_name", "synthetic_" + imageId + ".jpg");
            for (String caption : set.references().get(i)) {
                captionList.addObject().put("id", ++annotationId).put("image_id", imageId).put("caption", caption);
            }
            results.addObject().put("image_id", imageId).put("caption", set.candidates().get(i));
        }
        Files.createDirectories(folder);
        json.writeValue(folder.resolve("annotations.json").toFile(), annotations);
        json.writeValue(folder.resolve("results.json").toFile(), results);
    }
}
