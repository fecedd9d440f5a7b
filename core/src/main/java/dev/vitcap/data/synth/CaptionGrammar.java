package dev.vitcap.data.synth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes the reference captions of a scene. Objects of the same description are mentioned together
 * with their count ("two large red circles"); mentions follow reading order and are paired, each pair
 * joined by a relation that holds between them ("... to the left of ..."). The first reference is the
 * canonical phrasing; each other one changes it in one or two ways ({@link Variation}), so the
 * canonical choice stays the most common at every point and a model can learn it.
 * Every fact a reference states is true of its scene (docs/synthetic-world.md).
 */
public final class CaptionGrammar {
    public static final int CAPTIONS_PER_IMAGE = 5;
    /** Plenty: even a one-object scene has more than a dozen distinct phrasings. */
    private static final int MAX_ATTEMPTS = 1000;
    /** "there is" turns into "there are" before several objects. */
    private static final List<String> OPENERS = List.of("there is", "a picture of", "an image of", "an image with");

    /** The ways a reference departs from the canonical phrasing. */
    enum Variation {
        /** Starts with an opener such as "there is". */
        OPENER,
        /** Leaves sizes unsaid and so groups objects by colour and shape alone. */
        NO_SIZES,
        /** Mentions groups in random order instead of reading order. */
        SHUFFLE,
        /** Joins every mention with "and", stating no relation. */
        NO_RELATIONS,
        /** Puts the second mention of each pair first. */
        SWAP,
        /** Picks any relation that holds, not the preferred one (left/right before above/below). */
        ANY_RELATION,
        /** Uses the second word where a size or relation has one ("big", "under"). */
        SYNONYMS,
        /** Says "one" instead of "a". */
        NUMERAL_ONE
    }

    private CaptionGrammar() {
    }

    /** The canonical caption: sizes said, reading order, preferred relations, no opener. */
    public static String canonical(Scene scene) {
        return write(scene, EnumSet.noneOf(Variation.class), null);
    }

    /** {@link #CAPTIONS_PER_IMAGE} distinct captions, the canonical one first. */
    public static List<String> references(Scene scene, SplittableRandom random) {
        Set<String> captions = new LinkedHashSet<>();
        captions.add(canonical(scene));
        Variation[] all = Variation.values();
        for (int attempt = 0; attempt < MAX_ATTEMPTS && captions.size() < CAPTIONS_PER_IMAGE; attempt++) {
            EnumSet<Variation> variations = EnumSet.noneOf(Variation.class);
            int wanted = 1 + random.nextInt(2);
            while (variations.size() < wanted) variations.add(all[random.nextInt(all.length)]);
            captions.add(write(scene, variations, random));
        }
        if (captions.size() < CAPTIONS_PER_IMAGE) {
            throw new IllegalStateException("scene " + scene.imageId() + " has only " + captions.size() + " phrasings");
        }
        return List.copyOf(captions);
    }

    /** {@code random} is drawn from only by the variations that choose at random. */
    static String write(Scene scene, Set<Variation> variations, SplittableRandom random) {
        List<Group> groups = groups(scene, !variations.contains(Variation.NO_SIZES));
        if (variations.contains(Variation.SHUFFLE)) shuffle(groups, random);
        boolean synonyms = variations.contains(Variation.SYNONYMS);
        List<String> parts = new ArrayList<>();
        Group first = null;
        for (int i = 0; i < groups.size(); i += 2) {
            Group subject = groups.get(i);
            Group reference = i + 1 < groups.size() ? groups.get(i + 1) : null;
            if (reference != null && variations.contains(Variation.SWAP)) {
                Group swapped = subject;
                subject = reference;
                reference = swapped;
            }
            if (first == null) first = subject;
            String part = mention(subject, variations);
            if (reference != null) {
                Relation relation = variations.contains(Variation.NO_RELATIONS) ? null
                        : relation(subject, reference, variations.contains(Variation.ANY_RELATION) ? random : null);
                String joint = relation == null ? Lexicon.AND : word(relation.phrases(), synonyms);
                part += " " + joint + " " + mention(reference, variations);
            }
            parts.add(part);
        }
        String body = String.join(" " + Lexicon.AND + " ", parts);
        if (!variations.contains(Variation.OPENER)) return body;
        String opener = OPENERS.get(random.nextInt(OPENERS.size()));
        if (opener.equals("there is") && first.members().size() > 1) opener = "there are";
        return opener + " " + body;
    }

    private record Group(Description description, List<SceneObject> members) {
    }

    /** Objects of one description together, in reading order of their first member. */
    private static List<Group> groups(Scene scene, boolean withSizes) {
        Map<Description, List<SceneObject>> members = new LinkedHashMap<>();
        for (SceneObject object : scene.objects()) {
            Description description = new Description(withSizes ? object.size() : null, object.colour(), object.shape());
            members.computeIfAbsent(description, unused -> new ArrayList<>()).add(object);
        }
        List<Group> groups = new ArrayList<>();
        members.forEach((description, objects) -> groups.add(new Group(description, objects)));
        return groups;
    }

    private static void shuffle(List<Group> groups, SplittableRandom random) {
        for (int i = groups.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            groups.set(j, groups.set(i, groups.get(j)));
        }
    }

    /** A relation holding between every member of the two groups: the first such, or a random one; null if none. */
    private static Relation relation(Group subject, Group reference, SplittableRandom randomOrNull) {
        List<Relation> holding = new ArrayList<>();
        for (Relation relation : Relation.values()) {
            if (relation.holdsForAll(subject.members(), reference.members())) holding.add(relation);
        }
        if (holding.isEmpty()) return null;
        return holding.get(randomOrNull == null ? 0 : randomOrNull.nextInt(holding.size()));
    }

    private static String mention(Group group, Set<Variation> variations) {
        Description description = group.description();
        int count = group.members().size();
        StringBuilder words = new StringBuilder();
        if (description.size() != null) {
            words.append(word(description.size().words(), variations.contains(Variation.SYNONYMS))).append(' ');
        }
        words.append(description.colour().word()).append(' ')
                .append(count == 1 ? description.shape().word() : description.shape().plural());
        String countWord = count == 1 && variations.contains(Variation.NUMERAL_ONE) ? Lexicon.NUMERALS.get(0)
                : Lexicon.countWord(count, words.toString());
        return countWord + " " + words;
    }

    private static String word(List<String> words, boolean synonym) {
        return words.get(synonym && words.size() > 1 ? 1 : 0);
    }
}
