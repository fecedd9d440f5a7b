package dev.vitcap.cpu;

import org.slf4j.LoggerFactory;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells HotSpot's compiler to inline {@link Vec}'s functions into every kernel, as {@code jcmd
 * Compiler.directives_add} would. Without it, whether a kernel is compiled to SIMD code depends on
 * the order methods warm up: once {@code Vec.tanh} has been compiled on its own, its code is larger
 * than {@code InlineSmallCode}, later callers stop inlining it, and their vectors are boxed, which
 * made the LSTM cell 3 to 7 times slower from one run to the next. A directive needs no JVM flag, so
 * it holds for the command line, the API and tests alike.
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
                Files.writeString(file, "[{ match: \"*.*\", inline: \"+dev/vitcap/cpu/Vec.*\" }]");
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
