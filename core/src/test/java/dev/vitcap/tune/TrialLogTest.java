package dev.vitcap.tune;

import dev.vitcap.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code trials.jsonl} read back as it was written, a line torn by a kill dropped, a damaged one named. */
class TrialLogTest {
    static final Space SPACE = SchedulerTest.SPACE;

    @Test
    void readsBackWhatItRecorded(@TempDir Path dir) throws Exception {
        try (TrialLog log = TrialLog.open(dir)) {
            Trial a = new Trial(1, Map.of("x", 0.25), 0);
            a.until = 1;
            log.record(a, 0);
            Trial b = new Trial(2, Map.of("x", 0.75), 0);
            b.until = 1;
            log.record(b, 1);
            a.status = Trial.Status.STOPPED;
            a.epochs = 1;
            a.objective = 0.5;
            log.record(a, 12.5);
            b.status = Trial.Status.FAILED;
            b.reason = "training diverged";
            log.record(b, 13);
        }
        TrialLog.Replay r;
        try (TrialLog log = TrialLog.open(dir)) {
            r = log.replay(SPACE);
        }
        assertEquals(2, r.trials().size());
        Trial a = r.trials().get(0), b = r.trials().get(1);
        assertEquals(Trial.Status.STOPPED, a.status());
        assertEquals(Map.of(1, 0.5), a.byEpochs);
        assertEquals(0, a.bracket);
        assertEquals(Trial.Status.FAILED, b.status());
        assertEquals("training diverged", b.reason());
        assertEquals(13, r.elapsed());
        assertEquals(1, r.failuresInARow());
    }

    @Test
    void aLineCutShortByAKillIsDroppedAndTheLogGoesOn(@TempDir Path dir) throws Exception {
        try (TrialLog log = TrialLog.open(dir)) {
            log.record(new Trial(1, Map.of("x", 0.5), -1), 0);
        }
        Path file = dir.resolve(TrialLog.FILE);
        Files.writeString(file, "{\"id\":2,\"status\":\"runn", StandardOpenOption.APPEND);
        try (TrialLog log = TrialLog.open(dir)) {
            assertEquals(1, log.replay(SPACE).trials().size());
            log.record(new Trial(2, Map.of("x", 0.1), -1), 1);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("{\"id\":2,\"status\":\"running\""), lines.get(1));
    }

    @Test
    void aDamagedLineIsNamedWithItsNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(TrialLog.FILE);
        String good = "{\"id\":1,\"status\":\"running\",\"params\":{\"x\":0.5},\"epochs\":0,\"until\":1}\n";
        for (String bad : List.of("{\"id\":1,\"status\":\"finished\",\"params\":{\"x\":0.5}}", "{\"id\":3,\"status\":\"running\",\"params\":{\"x\":0.5}}",
                "{\"id\":2,\"status\":\"running\",\"params\":{\"x\":7}}", "not json")) {
            Files.writeString(file, good + bad + "\n");
            try (TrialLog log = TrialLog.open(dir)) {
                FileFormatException e = assertThrows(FileFormatException.class, () -> log.replay(SPACE), bad);
                assertTrue(e.getMessage().startsWith(file + " line 2: "), e.getMessage());
                assertEquals(1, e.getMessage().lines().count());
            }
        }
    }
}
