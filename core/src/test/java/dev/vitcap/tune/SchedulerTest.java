package dev.vitcap.tune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The algorithms run against simulated trials (an objective that grows with the epochs and depends on
 * one parameter, stages finishing in a random order on P workers): promotions always resume a paused
 * trial to the next rung, only trials in the best third of their rung are promoted, no trial is started
 * beyond the limit, and a search read back from its trials decides as the one that wrote them.
 */
class SchedulerTest {
    static final Space SPACE;

    static {
        try {
            SPACE = Space.parse("{\"x\": {\"uniform\": [0, 1]}}", "test");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void rungsRiseByThreeUpToTheRecipesEpochs() {
        assertArrayEquals(new int[]{1}, Scheduler.rungs(1));
        assertArrayEquals(new int[]{2}, Scheduler.rungs(2), "too few epochs to halve: one rung");
        assertArrayEquals(new int[]{1, 3}, Scheduler.rungs(3));
        assertArrayEquals(new int[]{1, 3, 9}, Scheduler.rungs(9));
        assertArrayEquals(new int[]{1, 3, 10}, Scheduler.rungs(10));
        assertArrayEquals(new int[]{1, 3, 9, 27}, Scheduler.rungs(27));
    }

    @Test
    void hyperbandsBracketsAreThoseOfThePaper() {
        Scheduler.Hyperband h = new Scheduler.Hyperband(100, 9, Scheduler.random(SPACE, 1));
        assertEquals(List.of(9, 5, 3), List.of(h.size(0), h.size(1), h.size(2)));
        assertEquals(List.of(0, 1, 2, 0), List.of(h.firstRung(0), h.firstRung(1), h.firstRung(2), h.firstRung(3)));
    }

    @Test
    void ashaPromotesOnlyTheBestThirdByResuming() {
        for (int workers : new int[]{1, 2, 4}) {
            List<Trial> trials = simulate(new Scheduler.Asha(30, 9, Scheduler.random(SPACE, 7)), workers, 3);
            assertEquals(30, trials.size());
            // The rungs hold ever fewer trials.
            long at3 = trials.stream().filter(t -> t.byEpochs.containsKey(3)).count(), at9 = trials.stream().filter(t -> t.byEpochs.containsKey(9)).count();
            assertTrue(at3 >= 1 && at3 < 20 && at9 >= 1 && at9 < at3, at3 + " at 3 epochs, " + at9 + " at 9");
            assertTrue(trials.stream().allMatch(t -> t.status == Trial.Status.DONE || t.status == Trial.Status.STOPPED));
        }
    }

    @Test
    void hyperbandPromotesTheBestThirdOfEachBracketsRung() {
        List<Trial> trials = simulate(new Scheduler.Hyperband(17, 9, Scheduler.random(SPACE, 3)), 2, 5);
        assertEquals(17, trials.size());
        List<Trial> first = trials.stream().filter(t -> t.bracket == 0).toList();
        assertEquals(9, first.size());
        List<Trial> promoted = first.stream().filter(t -> t.byEpochs.containsKey(3)).toList();
        assertEquals(Set.copyOf(Scheduler.best(first, 1, 3)), Set.copyOf(promoted), "the bracket's best three at one epoch, and only they, reach three");
        assertEquals(Scheduler.best(promoted, 3, 1), first.stream().filter(t -> t.byEpochs.containsKey(9)).toList());
        assertEquals(5, trials.stream().filter(t -> t.bracket == 1).count());
        assertTrue(trials.stream().filter(t -> t.bracket == 1).allMatch(t -> t.byEpochs.firstKey() == 3), "bracket 1 starts at 3 epochs");
        assertTrue(trials.stream().filter(t -> t.bracket == 2).allMatch(t -> t.byEpochs.keySet().equals(Set.of(9))), "bracket 2 trains in full");
    }

    @Test
    void randomSearchTrainsEveryTrialInFull() {
        List<Trial> trials = simulate(new Scheduler.Whole(6, 4, Scheduler.random(SPACE, 5)), 2, 9);
        assertEquals(6, trials.size());
        assertTrue(trials.stream().allMatch(t -> t.status == Trial.Status.DONE && t.epochs == 4));
    }

    @Test
    void bayesProposesNearTheBestOnceItHasSeenEnough() {
        List<Trial> trials = simulate(new Scheduler.Whole(14, 1, Scheduler.bayes(SPACE, 5, 4)), 1, 2);
        double bestRandom = trials.subList(0, 4).stream().mapToDouble(t -> -Math.abs(((Double) t.params.get("x")) - 0.3)).max().orElseThrow();
        double bestProposed = trials.subList(4, 14).stream().mapToDouble(t -> -Math.abs(((Double) t.params.get("x")) - 0.3)).max().orElseThrow();
        assertTrue(bestProposed > -0.02, "a proposal within 0.02 of the best x: " + bestProposed);
        assertTrue(bestProposed >= bestRandom, bestProposed + " vs the random start's " + bestRandom);
    }

    @Test
    void theSameTrialsGiveTheSameDecision() {
        List<Trial> trials = simulate(new Scheduler.Asha(8, 9, Scheduler.random(SPACE, 2)), 2, 4);
        Scheduler.Stage a = new Scheduler.Asha(12, 9, Scheduler.random(SPACE, 2)).next(trials);
        Scheduler.Stage b = new Scheduler.Asha(12, 9, Scheduler.random(SPACE, 2)).next(new ArrayList<>(trials));
        assertNotNull(a);
        assertEquals(a.resume(), b.resume());
        assertEquals(a.params(), b.params());
        assertEquals(a.until(), b.until());
        assertNull(new Scheduler.Asha(8, 9, Scheduler.random(SPACE, 2)).next(trials), "the search is over");
    }

    /**
     * Runs a scheduler to its end with {@code workers} stages at a time, finishing a random one of them
     * each round; a trial's objective after {@code e} epochs is {@code (1 − |x − 0.3|)·e / (e + 2)}.
     */
    static List<Trial> simulate(Scheduler s, int workers, long seed) {
        Random order = new Random(seed);
        List<Trial> trials = new ArrayList<>();
        List<Trial> running = new ArrayList<>();
        Map<Trial, Integer> stagesStarted = new HashMap<>();
        double elapsed = 0;
        while (true) {
            while (running.size() < workers) {
                Scheduler.Stage stage = s.next(trials);
                if (stage == null) break;
                Trial t = stage.resume();
                if (t == null) {
                    t = new Trial(trials.size() + 1, stage.params(), stage.bracket());
                    trials.add(t);
                } else {
                    assertEquals(Trial.Status.STOPPED, t.status, "only a paused trial is resumed");
                    assertEquals(t.epochs, t.until, "it resumes where its stage ended");
                    assertTrue(stage.until() > t.epochs);
                }
                assertTrue(stage.until() <= s.maxEpochs);
                t.status = Trial.Status.RUNNING;
                t.until = stage.until();
                stagesStarted.merge(t, 1, Integer::sum);
                running.add(t);
            }
            if (running.isEmpty()) return trials;
            Trial done = running.remove(order.nextInt(running.size()));
            double x = (Double) done.params.get("x");
            done.epochs = done.until;
            done.objective = (1 - Math.abs(x - 0.3)) * done.epochs / (done.epochs + 2.0);
            done.status = done.until < s.maxEpochs ? Trial.Status.STOPPED : Trial.Status.DONE;
            done.noteStage(elapsed += 1);
        }
    }
}
