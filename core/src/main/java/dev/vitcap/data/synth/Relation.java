package dev.vitcap.data.synth;

import java.util.List;

/**
 * Where one object is relative to another, judged by grid cell: left and right by column, above and
 * below by row. Objects in the same column are neither left nor right of each other.
 */
public enum Relation {
    LEFT_OF("to the left of"),
    RIGHT_OF("to the right of"),
    ABOVE("above", "over"),
    BELOW("below", "under");

    private final List<String> phrases;

    Relation(String... phrases) {
        this.phrases = List.of(phrases);
    }

    /** The phrases for this relation, the usual one first. */
    public List<String> phrases() {
        return phrases;
    }

    public boolean holds(SceneObject subject, SceneObject reference) {
        return switch (this) {
            case LEFT_OF -> subject.col() < reference.col();
            case RIGHT_OF -> subject.col() > reference.col();
            case ABOVE -> subject.row() < reference.row();
            case BELOW -> subject.row() > reference.row();
        };
    }

    /** Whether it holds for every pair drawn from the two groups; false when either is empty. */
    public boolean holdsForAll(List<SceneObject> subjects, List<SceneObject> references) {
        if (subjects.isEmpty() || references.isEmpty()) return false;
        for (SceneObject subject : subjects) {
            for (SceneObject reference : references) {
                if (!holds(subject, reference)) return false;
            }
        }
        return true;
    }
}
