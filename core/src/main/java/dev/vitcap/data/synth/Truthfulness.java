package dev.vitcap.data.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tells whether a caption is true of its scene, fact by fact (the definition is in
 * docs/synthetic-world.md, "Truthfulness"). Reads any string: words it does not know are filler, so it
 * judges model output as readily as the grammar's own captions.
 */
public final class Truthfulness {
    private Truthfulness() {
    }

    /** One claim a caption makes: a mention ("two red circles") or a relation between two mentions. */
    public record Fact(String statement, boolean holds) {
    }

    /** The verdict on one caption. */
    public record CaptionCheck(List<Fact> facts, boolean everyObjectMentioned) {
        public CaptionCheck {
            facts = List.copyOf(facts);
        }

        /** Every stated fact holds and every object of the scene is mentioned. */
        public boolean truthful() {
            return everyObjectMentioned && trueFacts() == statedFacts();
        }

        public int statedFacts() {
            return facts.size();
        }

        public int trueFacts() {
            return (int) facts.stream().filter(Fact::holds).count();
        }
    }

    /** The verdict on a set of captions, one per image. */
    public record SplitTruth(int captions, int truthfulCaptions, int statedFacts, int trueFacts) {
        /** The share of captions entirely true; 0 for no captions. */
        public double truthful() {
            return captions == 0 ? 0 : (double) truthfulCaptions / captions;
        }

        /** True facts over stated facts; 0 when no fact was stated. */
        public double factAccuracy() {
            return statedFacts == 0 ? 0 : (double) trueFacts / statedFacts;
        }
    }

    /** Scores one caption per image; every image id must have a scene. */
    public static SplitTruth score(Map<Integer, String> captionsByImage, Map<Integer, Scene> scenesByImage) {
        int truthful = 0;
        int stated = 0;
        int holding = 0;
        for (Map.Entry<Integer, String> entry : captionsByImage.entrySet()) {
            Scene scene = scenesByImage.get(entry.getKey());
            if (scene == null) throw new IllegalArgumentException("no scene for image " + entry.getKey());
            CaptionCheck check = check(entry.getValue(), scene);
            if (check.truthful()) truthful++;
            stated += check.statedFacts();
            holding += check.trueFacts();
        }
        return new SplitTruth(captionsByImage.size(), truthful, stated, holding);
    }

    public static CaptionCheck check(String caption, Scene scene) {
        Reading reading = read(caption);
        List<Fact> facts = new ArrayList<>();
        Set<SceneObject> mentioned = new HashSet<>();
        for (Mention mention : reading.mentions()) {
            List<SceneObject> denoted = denoted(mention, scene);
            boolean countHolds = mention.count() != null ? denoted.size() == mention.count()
                    : mention.plural() ? denoted.size() >= 2 : denoted.size() == 1;
            boolean fresh = denoted.stream().noneMatch(mentioned::contains);
            mentioned.addAll(denoted);
            facts.add(new Fact(mention.text(), !mention.contradictory() && countHolds && fresh));
        }
        for (RelationClaim claim : reading.relations()) {
            boolean holds = claim.subject() != null && claim.reference() != null
                    && claim.relation().holdsForAll(denoted(claim.subject(), scene), denoted(claim.reference(), scene));
            facts.add(new Fact(claim.text(), holds));
        }
        return new CaptionCheck(facts, mentioned.size() == scene.objects().size());
    }

    /** "two red circles": a count (null when unsaid) and a description; contradictory when a part was said twice, differently. */
    private record Mention(Integer count, boolean plural, Description description, boolean contradictory, String text) {
    }

    /** A relation phrase with the mention before it and the one after it, either null when missing. */
    private record RelationClaim(Relation relation, Mention subject, Mention reference, String phrase) {
        String text() {
            return (subject == null ? "?" : subject.text()) + " " + phrase + " "
                    + (reference == null ? "?" : reference.text());
        }
    }

    private record Reading(List<Mention> mentions, List<RelationClaim> relations) {
    }

    /** The objects a mention is about: all that match its description, none if it contradicts itself. */
    private static List<SceneObject> denoted(Mention mention, Scene scene) {
        if (mention.contradictory()) return List.of();
        return scene.objects().stream().filter(mention.description()::matches).toList();
    }

    /**
     * A mention is the count, size and colour words right before a shape noun; any other word drops
     * them. A relation phrase relates the last mention before it to the first mention after it.
     */
    private static Reading read(String caption) {
        List<String> words = Arrays.stream(caption.toLowerCase(Locale.ROOT).split("[^a-z]+"))
                .filter(word -> !word.isEmpty()).toList();
        List<Mention> mentions = new ArrayList<>();
        List<RelationClaim> relations = new ArrayList<>();
        Modifiers modifiers = new Modifiers();
        Mention last = null;
        RelationClaim open = null;
        for (int at = 0; at < words.size(); ) {
            String word = words.get(at);
            Lexicon.RelationMatch match = Lexicon.relationAt(words, at);
            ShapeKind shape = Lexicon.shape(word);
            if (match != null) {
                if (open != null) relations.add(open);
                open = new RelationClaim(match.relation(), last, null, String.join(" ", words.subList(at, at + match.length())));
                modifiers = new Modifiers();
                at += match.length();
                continue;
            }
            if (shape != null) {
                Mention mention = modifiers.mention(shape, Lexicon.isPlural(word), words.subList(modifiers.start(at), at + 1));
                mentions.add(mention);
                if (open != null) relations.add(new RelationClaim(open.relation(), open.subject(), mention, open.phrase()));
                open = null;
                last = mention;
                modifiers = new Modifiers();
            } else if (!modifiers.take(word, at)) {
                modifiers = new Modifiers();
            }
            at++;
        }
        if (open != null) relations.add(open);
        return new Reading(mentions, relations);
    }

    /** The count, size and colour words read since the last word that was none of them. */
    private static final class Modifiers {
        private Integer count;
        private ObjectSize size;
        private Colour colour;
        private boolean contradictory;
        private int firstAt = -1;

        /** Takes the word if it is a count, size or colour; false otherwise. */
        boolean take(String word, int at) {
            Integer wordCount = Lexicon.count(word);
            ObjectSize wordSize = Lexicon.size(word);
            Colour wordColour = Lexicon.colour(word);
            if (wordCount != null) count = merge(count, wordCount);
            else if (wordSize != null) size = merge(size, wordSize);
            else if (wordColour != null) colour = merge(colour, wordColour);
            else return false;
            if (firstAt < 0) firstAt = at;
            return true;
        }

        int start(int shapeAt) {
            return firstAt < 0 ? shapeAt : firstAt;
        }

        Mention mention(ShapeKind shape, boolean plural, List<String> words) {
            return new Mention(count, plural, new Description(size, colour, shape), contradictory, String.join(" ", words));
        }

        private <T> T merge(T held, T said) {
            if (held != null && !held.equals(said)) contradictory = true;
            return said;
        }
    }
}
