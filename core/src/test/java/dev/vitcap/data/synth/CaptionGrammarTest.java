package dev.vitcap.data.synth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.vitcap.data.synth.SynthTesting.at;
import static dev.vitcap.data.synth.SynthTesting.scene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionGrammarTest {
    /** The words a caption may use besides those of sizes, colours, shapes, counts and relations. */
    private static final Set<String> FILLER = Set.of("and", "there", "is", "are", "picture", "image", "of", "with");

    @Test
    void canonicalCaptionsFollowReadingOrderAndPreferLeftRight() {
        Scene scene = scene(
                at(0, 2, ObjectSize.SMALL, Colour.BLUE, ShapeKind.SQUARE),
                at(1, 0, ObjectSize.LARGE, Colour.ORANGE, ShapeKind.STAR),
                at(2, 0, ObjectSize.SMALL, Colour.RED, ShapeKind.CIRCLE),
                at(2, 2, ObjectSize.SMALL, Colour.RED, ShapeKind.CIRCLE));
        assertEquals("a small blue square to the right of a large orange star and two small red circles",
                CaptionGrammar.canonical(scene));
        Scene column = scene(
                at(0, 1, ObjectSize.LARGE, Colour.GREEN, ShapeKind.CROSS),
                at(2, 1, ObjectSize.SMALL, Colour.WHITE, ShapeKind.DIAMOND));
        assertEquals("a large green cross above a small white diamond", CaptionGrammar.canonical(column));
    }

    @Test
    void everyImageHasFiveDistinctReferencesTheCanonicalFirst() {
        List<Scene> scenes = SynthTesting.drawn(2000, 64);
        for (int index = 0; index < scenes.size(); index++) {
            List<String> references = SynthWorld.references(SynthTesting.SEED, Split.TRAIN, index, scenes.get(index));
            assertEquals(CaptionGrammar.CAPTIONS_PER_IMAGE, references.size());
            assertEquals(references.size(), new HashSet<>(references).size(), references::toString);
            assertEquals(CaptionGrammar.canonical(scenes.get(index)), references.get(0));
        }
    }

    @Test
    void usesOnlyTheLexiconAndAFewFillerWords() {
        Set<String> known = new HashSet<>(FILLER);
        known.addAll(Lexicon.NUMERALS);
        known.addAll(List.of("a", "an"));
        for (ObjectSize size : ObjectSize.values()) known.addAll(size.words());
        for (Colour colour : Colour.values()) known.add(colour.word());
        for (ShapeKind shape : ShapeKind.values()) known.addAll(List.of(shape.word(), shape.plural()));
        for (Relation relation : Relation.values()) relation.phrases().forEach(phrase -> known.addAll(List.of(phrase.split(" "))));
        Set<String> used = new HashSet<>();
        List<Scene> scenes = SynthTesting.drawn(1000, 64);
        for (int index = 0; index < scenes.size(); index++) {
            for (String caption : SynthWorld.references(SynthTesting.SEED, Split.TRAIN, index, scenes.get(index))) {
                used.addAll(List.of(caption.split(" ")));
            }
        }
        Set<String> unknown = new HashSet<>(used);
        unknown.removeAll(known);
        assertEquals(Set.of(), unknown);
        // Counts and every relation word occur, so a model sees them all.
        assertTrue(used.containsAll(Set.of("two", "three", "four", "left", "right", "above", "below", "under", "over")), used::toString);
    }

    /** Counts must be common enough to learn: scenes with two or more objects of one kind. */
    @Test
    void countsAreCommon() {
        List<Scene> scenes = SynthTesting.drawn(2000, 64);
        long withCount = scenes.stream().filter(scene -> CaptionGrammar.canonical(scene).matches(".*\\b(two|three|four)\\b.*")).count();
        double share = (double) withCount / scenes.size();
        assertTrue(share > 0.35 && share < 0.55, "share of scenes with a count: " + share);
    }
}
