package dev.vitcap.text;

import dev.vitcap.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {
    /** Stands in for the PTB tokenizer: lower case, punctuation dropped, split on spaces. */
    static final Function<String, List<String>> SIMPLE = caption -> Arrays.stream(
                    caption.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9<> ]", " ").split(" +"))
            .filter(w -> !w.isEmpty()).toList();

    private static final List<String> CAPTIONS = List.of("A dog runs.", "A dog sits!", "a cat, sleeping", "The dog.", "Dog!");

    @TempDir
    Path dir;

    @Test
    void keepsWordsSeenMinCountTimesMostFrequentFirstAfterTheSpecials() {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, SIMPLE, 2, 8);
        assertEquals(List.of("<pad>", "<start>", "<end>", "<unk>", "dog", "a"), words(vocabulary));
        assertEquals(Vocabulary.UNK, vocabulary.id("cat"));
        assertEquals(List.of("<pad>", "<start>", "<end>", "<unk>", "dog", "a", "cat", "runs", "sits", "sleeping", "the"),
                words(Vocabulary.build(CAPTIONS, SIMPLE, 1, 8)), "words seen as often are in alphabetical order");
    }

    private static List<String> words(Vocabulary vocabulary) {
        return Stream.iterate(0, i -> i < vocabulary.size(), i -> i + 1).map(vocabulary::word).toList();
    }

    @Test
    void encodesToExactlyMaxLengthIds() {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, SIMPLE, 2, 6);
        int a = vocabulary.id("a");
        int dog = vocabulary.id("dog");
        assertArrayEquals(new int[]{1, a, dog, Vocabulary.UNK, 2, 0}, vocabulary.encode("A dog runs."));
        assertArrayEquals(new int[]{1, a, dog, Vocabulary.UNK, a, 2}, vocabulary.encode("a dog sits a dog again and again"), "cut to T - 2 words");
        assertArrayEquals(new int[]{1, 2, 0, 0, 0, 0}, vocabulary.encode(""));
        assertArrayEquals(new int[]{1, Vocabulary.UNK, 2, 0, 0, 0}, vocabulary.encode("<end>"), "a word spelled like a special is unknown, not the special");
    }

    @Test
    void aCaptionOfTenThousandCharactersIsCut() {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, SIMPLE, 1, 20);
        String longCaption = "a dog ".repeat(1667).substring(0, 10_000);
        int[] ids = vocabulary.encode(longCaption);
        assertEquals(20, ids.length);
        assertEquals(Vocabulary.END, ids[19]);
        assertEquals(18, vocabulary.decodeWords(ids).size());
    }

    @Test
    void decodeStopsAtEndAndSkipsSpecials() {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, SIMPLE, 1, 10);
        assertEquals("a dog sits", vocabulary.decode(vocabulary.encode("A dog sits!")));
        int dog = vocabulary.id("dog");
        assertEquals("dog dog", vocabulary.decode(new int[]{Vocabulary.START, dog, Vocabulary.UNK, dog, Vocabulary.END, dog}));
        assertEquals("", vocabulary.decode(vocabulary.encode("")));
        assertThrows(IllegalArgumentException.class, () -> vocabulary.decode(new int[]{vocabulary.size()}));
    }

    @Test
    void savesAndLoadsTheSameVocabulary() throws IOException {
        Vocabulary vocabulary = Vocabulary.build(CAPTIONS, SIMPLE, 1, 7);
        Path file = dir.resolve("sub/vocab.json");
        vocabulary.save(file);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left beside it");
        }
        Vocabulary loaded = Vocabulary.load(file, SIMPLE);
        assertEquals(vocabulary.size(), loaded.size());
        assertEquals(7, loaded.maxLength());
        assertEquals(1, loaded.minCount());
        for (int id = 0; id < vocabulary.size(); id++) assertEquals(vocabulary.word(id), loaded.word(id));
        assertArrayEquals(vocabulary.encode("the cat sleeping"), loaded.encode("the cat sleeping"));
    }

    @Test
    void badFilesAreRefusedInOneLine() throws IOException {
        assertEquals(dir.resolve("none.json") + ": no such file",
                assertThrows(FileFormatException.class, () -> Vocabulary.load(dir.resolve("none.json"), SIMPLE)).getMessage());
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"format\": \"vitcap-vocabulary\",\n \"words\": [}");
        assertTrue(assertThrows(FileFormatException.class, () -> Vocabulary.load(bad, SIMPLE)).getMessage().startsWith(bad + ":2:12: bad vocabulary JSON"));
        Path noSpecials = Files.writeString(dir.resolve("v.json"),
                "{\"format\": \"vitcap-vocabulary\", \"version\": 1, \"maxLength\": 5, \"minCount\": 1, \"words\": [\"a\", \"b\"]}");
        assertEquals(noSpecials + ": words must start with [<pad>, <start>, <end>, <unk>]",
                assertThrows(FileFormatException.class, () -> Vocabulary.load(noSpecials, SIMPLE)).getMessage());
        Path twice = Files.writeString(dir.resolve("t.json"), "{\"format\": \"vitcap-vocabulary\", \"version\": 1, \"maxLength\": 5, "
                + "\"minCount\": 1, \"words\": [\"<pad>\", \"<start>\", \"<end>\", \"<unk>\", \"a\", \"a\"]}");
        assertEquals(twice + ": word 'a' is listed twice", assertThrows(FileFormatException.class, () -> Vocabulary.load(twice, SIMPLE)).getMessage());
    }
}
