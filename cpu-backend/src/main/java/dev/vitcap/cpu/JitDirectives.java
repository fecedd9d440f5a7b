package dev.vitcap.cpu;

import org.slf4j.LoggerFactory;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells HotSpot's compiler, as {@code jcmd Compiler.directives_add} would, to inline {@link Vec}'s
 * functions into every kernel, and never to inline the kernels' own loops ({@link Pointwise},
 * {@link RowKernels}, {@link RecurrentKernels}, {@link PackedGemm}) into their callers. Without the first, whether a
 * kernel is compiled to SIMD code depends on the order methods warm up: once {@code Vec.tanh} has
 * been compiled on its own, its code is larger than {@code InlineSmallCode}, later callers stop
 * inlining it, and their vectors are boxed. Without the second, a caller that inlines several loops
 * (the LSTM cell's lambda, its three gate loops) runs out of its node budget part way and boxes the
 * last ones: the cell took 180 µs where its loops, each compiled alone, take 60. So no vector is
 * passed between those classes' methods. A directive needs no JVM flag, so it holds for the command
 * line, the API and tests alike.
 */
final class JitDirectives {
    private static boolean installed;

    private JitDirectives() {
    }

    /**
     * Installs the directive on a thread of its own: starting the platform MBean server takes about a
     * tenth of a second, and the kernels are compiled by C2 only after they have run for a while, so the
     * directive is in place before it matters and captioning one image does not wait for it.
     */
    static synchronized void install() {
        if (installed) return;
        installed = true;
        Thread t = new Thread(JitDirectives::add, "vitcap-jit-directives");
        t.setDaemon(true);
        t.start();
    }

    private static void add() {
        try {
            Path file = Files.createTempFile("vitcap-jit", ".json");
            try {
                Files.writeString(file, "[{ match: \"*.*\", inline: [\"+dev/vitcap/cpu/Vec.*\", \"-dev/vitcap/cpu/Pointwise.*\","
                        + " \"-dev/vitcap/cpu/RowKernels.*\", \"-dev/vitcap/cpu/RecurrentKernels.*\", \"-dev/vitcap/cpu/PackedGemm.*\"] }]");
                ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "compilerDirectivesAdd", new Object[]{new String[]{file.toString()}}, new String[]{String[].class.getName()});
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {   // not HotSpot, or management disabled: slower, still correct
            LoggerFactory.getLogger(JitDirectives.class).debug("compiler directives not installed: {}", e.toString());
        }
    }
}
