package dev.vitcap.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak resident memory, as Linux counts it (VmHWM), for the load generator's report. */
final class PeakMemory {
    private PeakMemory() {
    }

    /** Bytes, or 0 where {@code /proc/self/status} is not there to say. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
