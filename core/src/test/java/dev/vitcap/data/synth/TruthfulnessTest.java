package dev.vitcap.data.synth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static dev.vitcap.data.synth.SynthTesting.at;
import static dev.vitcap.data.synth.SynthTesting.scene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TruthfulnessTest {
    private static final int SCENES = 2000;

    /** A large red circle top left, a small blue square top right, two small red circles in the bottom row. */
    private static final Scene HAND = scene(
            at(0, 0, ObjectSize.LARGE, Colour.RED, ShapeKind.CIRCLE),
            at(0, 2, ObjectSize.SMALL, Colour.BLUE, ShapeKind.SQUARE),
            at(2, 0, ObjectSize.SMALL, Colour.RED, ShapeKind.CIRCLE),
            at(2, 1, ObjectSize.SMALL, Colour.RED, ShapeKind.CIRCLE));

    @Test
    void everyReferenceOfThousandsOfScenesIsTruthful() {
        List<Scene> scenes = SynthTesting.drawn(SCENES, 64);
        int stated = 0;
        for (int index = 0; index < scenes.size(); index++) {
            Scene scene = scenes.get(index);
            for (String caption : SynthWorld.references(SynthTesting.SEED, Split.TRAIN, index, scene)) {
                Truthfulness.CaptionCheck check = Truthfulness.check(caption, scene);
                assertTrue(check.truthful(), () -> caption + " -> " + check);
                assertEquals(check.statedFacts(), check.trueFacts(), caption);
                stated += check.statedFacts();
            }
        }
        assertTrue(stated > 5 * SCENES, "references state at least one fact per object, got " + stated);
    }

    @Test
    void readsHandWrittenCaptionsFactByFact() {
        assertVerdict("a large red circle to the left of a small blue square and two small red circles", true, 4, 4);
        // "a red circle" is about all three red circles: wrong count, and not all of them are above the two.
        assertVerdict("A red circle, above two small red circles; a blue square.", false, 4, 1);
        assertVerdict("a big red circle over two little red circles and a small blue square", true, 4, 4);
        assertVerdict("a blue square and a large red circle and two small red circles", true, 3, 3);
        // "red circles" alone means all three red circles: true, and it mentions them.
        assertVerdict("three red circles and a blue square", true, 2, 2);
        assertVerdict("red circles and a square", true, 2, 2);
        assertVerdict("a red circle and a blue square", false, 2, 1);
        assertVerdict("two red circles and a blue square", false, 2, 1);
        assertVerdict("a large red circle and a large red circle", false, 2, 1);
        assertVerdict("a blue square and two small red circles", false, 2, 2);
    }

    @Test
    void isNotFooledByContradictionsRepetitionsOrDanglingRelations() {
        assertVerdict("a large red blue circle and a small blue square and two small red circles", false, 3, 2);
        assertVerdict("a small blue square to the left of a large red circle and two small red circles", false, 4, 3);
        assertVerdict("a large red circle and a small blue square and two small red circles to the right of", false, 4, 3);
        assertVerdict("a small blue square and two small red circles and a small blue square and a large red circle",
                false, 4, 3);
        assertVerdict("", false, 0, 0);
        assertVerdict("the the red a large", false, 0, 0);
    }

    private static void assertVerdict(String caption, boolean truthful, int stated, int holding) {
        Truthfulness.CaptionCheck check = Truthfulness.check(caption, HAND);
        assertEquals(truthful, check.truthful(), () -> caption + " -> " + check);
        assertEquals(stated, check.statedFacts(), () -> caption + " -> " + check);
        assertEquals(holding, check.trueFacts(), () -> caption + " -> " + check);
    }

    @Test
    void wrongColourShapeCountOrSizeIsCaught() {
        SplittableRandom random = new SplittableRandom(1);
        assertAllCaught(word -> swapWithin(word, Lexicon.NUMERALS.subList(0, 4), random), "count");
        assertAllCaught(word -> swapWithin(word, words(Colour.values()), random), "colour");
        assertAllCaught(word -> swapShape(word, random), "shape");
        assertAllCaught(word -> switch (word) {
            case "small", "little" -> "large";
            case "large", "big" -> "small";
            default -> null;
        }, "size");
    }

    @Test
    void swappedRelationIsCaught() {
        assertAllCaught(word -> switch (word) {
            case "left" -> "right";
            case "right" -> "left";
            case "above", "over" -> "below";
            case "below", "under" -> "above";
            default -> null;
        }, "relation");
    }

    /**
     * Changes one word of every reference that has a word the change applies to (null: it does not) and
     * checks that the result is untrue: not truthful, and with a false fact.
     */
    private static void assertAllCaught(UnaryOperator<String> change, String what) {
        List<Scene> scenes = SynthTesting.drawn(SCENES / 3, 64);
        SplittableRandom random = new SplittableRandom(7);
        int changed = 0;
        for (int index = 0; index < scenes.size(); index++) {
            Scene scene = scenes.get(index);
            for (String caption : SynthWorld.references(SynthTesting.SEED, Split.TRAIN, index, scene)) {
                String[] words = caption.split(" ");
                List<Integer> applicable = new ArrayList<>();
                for (int at = 0; at < words.length; at++) if (change.apply(words[at]) != null) applicable.add(at);
                if (applicable.isEmpty()) continue;
                int at = applicable.get(random.nextInt(applicable.size()));
                words[at] = change.apply(words[at]);
                String wrong = String.join(" ", words);
                Truthfulness.CaptionCheck check = Truthfulness.check(wrong, scene);
                assertFalse(check.truthful(), () -> what + ": " + wrong + " -> " + check);
                assertTrue(check.trueFacts() < check.statedFacts(), () -> what + ": " + wrong + " -> " + check);
                changed++;
            }
        }
        assertTrue(changed > scenes.size() / 2, what + " was changed in only " + changed + " captions");
    }

    /** Another value of the same list, or null when the word is not in it (keeps "a"/"an" before a numeral out). */
    private static String swapWithin(String word, List<String> values, SplittableRandom random) {
        int at = values.indexOf(word);
        if (at < 0) return null;
        return values.get((at + 1 + random.nextInt(values.size() - 1)) % values.size());
    }

    private static String swapShape(String word, SplittableRandom random) {
        List<String> singular = new ArrayList<>();
        List<String> plural = new ArrayList<>();
        for (ShapeKind shape : ShapeKind.values()) {
            singular.add(shape.word());
            plural.add(shape.plural());
        }
        String other = swapWithin(word, singular, random);
        return other != null ? other : swapWithin(word, plural, random);
    }

    private static List<String> words(Colour[] colours) {
        List<String> words = new ArrayList<>();
        for (Colour colour : colours) words.add(colour.word());
        return words;
    }

    @Test
    void leavingAnObjectOutIsCaught() {
        List<Scene> scenes = SynthTesting.drawn(SCENES, 64);
        int tried = 0;
        for (Scene scene : scenes) {
            if (scene.objects().size() < 2) continue;
            for (int left = 0; left < scene.objects().size(); left++) {
                List<SceneObject> rest = new ArrayList<>(scene.objects());
                rest.remove(left);
                Scene smaller = new Scene(scene.imageId(), scene.width(), scene.height(), scene.grid(), scene.background(), rest);
                String caption = CaptionGrammar.canonical(smaller);
                assertFalse(Truthfulness.check(caption, scene).truthful(), () -> caption + " of " + scene);
                tried++;
            }
        }
        assertTrue(tried > SCENES, "only " + tried + " captions with an object left out");
    }

    @Test
    void aCaptionOfAnotherImageIsRarelyTruthful() {
        List<Scene> scenes = SynthTesting.drawn(SCENES, 64);
        Map<Integer, String> shifted = new HashMap<>();
        Map<Integer, Scene> byId = new HashMap<>();
        for (int index = 0; index < scenes.size(); index++) {
            byId.put(scenes.get(index).imageId(), scenes.get(index));
            shifted.put(scenes.get(index).imageId(), CaptionGrammar.canonical(scenes.get((index + 1) % scenes.size())));
        }
        Truthfulness.SplitTruth truth = Truthfulness.score(shifted, byId);
        assertEquals(SCENES, truth.captions());
        assertTrue(truth.truthful() < 0.01, "captions of other images truthful: " + truth.truthful());
        assertTrue(truth.factAccuracy() < 0.5, "facts of other images true: " + truth.factAccuracy());
    }

    @Test
    void scoresASplit() {
        Scene other = scene(at(1, 1, ObjectSize.SMALL, Colour.GREEN, ShapeKind.STAR));
        Map<Integer, Scene> scenes = Map.of(1, HAND, 2, new Scene(2, 64, 64, 3, other.background(), other.objects()));
        Map<Integer, String> captions = Map.of(
                1, "a large red circle to the left of a small blue square and two small red circles",
                2, "a small green star and a red circle");
        Truthfulness.SplitTruth truth = Truthfulness.score(captions, scenes);
        assertEquals(new Truthfulness.SplitTruth(2, 1, 6, 5), truth);
        assertEquals(0.5, truth.truthful());
        assertEquals(5.0 / 6, truth.factAccuracy(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Truthfulness.score(Map.of(3, "a star"), scenes));
    }
}
