package dev.vitcap.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Conditions of the tests: whether this machine can run the backend, and whether it has a driver at all. */
public final class CudaTesting {
    private CudaTesting() {
    }

    /** For {@code @EnabledIf("dev.vitcap.cuda.CudaTesting#gpuPresent")}. */
    public static boolean gpuPresent() {
        return CudaSystem.get().probe().usable();
    }

    /**
     * True when no {@code libcuda.so.1} lies in any folder the dynamic linker searches (LD_LIBRARY_PATH,
     * the folders of /etc/ld.so.conf.d, the system's library folders) or is preloaded: an oracle for
     * the probe's "no driver" verdict that does not ask the linker itself.
     */
    public static boolean noDriverInstalled() {
        List<String> dirs = new ArrayList<>(List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu",
                "/usr/lib/x86_64-linux-gnu", "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/wsl/lib"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) dirs.addAll(List.of(ld.split(":")));
        try (Stream<Path> confs = Files.exists(Path.of("/etc/ld.so.conf.d")) ? Files.list(Path.of("/etc/ld.so.conf.d")) : Stream.empty()) {
            for (Path conf : confs.toList()) {
                for (String line : Files.readAllLines(conf)) {
                    if (line.startsWith("/")) dirs.add(line.trim());
                }
            }
        } catch (IOException e) {
            return false; // cannot tell
        }
        String preload = System.getenv("LD_PRELOAD"); // fake-cuda.sh preloads its driver
        if (preload != null && preload.contains("libcuda.so.1")) return false;
        return dirs.stream().filter(d -> !d.isBlank()).noneMatch(d -> Files.exists(Path.of(d, "libcuda.so.1")));
    }
}
