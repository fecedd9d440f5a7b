package dev.vitcap.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the backends on the class path, probes each once, and picks one: the one the user forced
 * (the {@code --backend} option, else the system property {@code vitcap.backend}, else the
 * environment variable {@code VITCAP_BACKEND}), or else the highest-ranked usable one.
 * Forcing an unknown or unusable backend is an error, never a silent fallback.
 */
public final class Backends {
    private static final Logger log = LoggerFactory.getLogger(Backends.class);

    public static final String PROPERTY = "vitcap.backend";
    public static final String ENVIRONMENT = "VITCAP_BACKEND";

    /** A backend found on the class path and what its probe said. */
    public record Candidate(BackendProvider provider, Probe probe) {
        public String name() {
            return provider.name();
        }
    }

    /** The chosen backend, why, and every candidate. */
    public record Selection(Kernels kernels, Candidate chosen, String why, List<Candidate> candidates) {
        /** One line: which backend runs and why, and why each other one does not. */
        public String summary() {
            String others = candidates.stream().filter(c -> c != chosen)
                    .map(c -> c.name() + (c.probe().usable() ? " usable (rank " + c.provider().rank() + ")" : " skipped: " + c.probe().detail()))
                    .collect(Collectors.joining("; "));
            return "backend " + chosen.name() + " (" + why + "; " + chosen.probe().detail() + ")"
                    + (others.isEmpty() ? "" : "; " + others);
        }
    }

    private static List<Candidate> probed;

    private Backends() {
    }

    /** Every backend on the class path, highest rank first, each probed once per process. */
    public static synchronized List<Candidate> candidates() {
        if (probed == null) {
            List<Candidate> found = new ArrayList<>();
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) found.add(new Candidate(p, safeProbe(p)));
            found.sort(Comparator.comparingInt((Candidate c) -> c.provider().rank()).reversed());
            probed = List.copyOf(found);
        }
        return probed;
    }

    private static Probe safeProbe(BackendProvider p) {
        try {
            return p.probe();
        } catch (Throwable t) { // a probe that throws (UnsatisfiedLinkError, …) is an unusable backend
            return Probe.unusable(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
    }

    /** The backend forced by option, system property or environment, with where it came from; null when none. */
    static String[] forcedName(String option, Function<String, String> environment) {
        if (option != null && !option.isBlank()) return new String[]{option, "--backend"};
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) return new String[]{prop, "-D" + PROPERTY};
        String env = environment.apply(ENVIRONMENT);
        if (env != null && !env.isBlank()) return new String[]{env, ENVIRONMENT};
        return null;
    }

    /** Chooses and opens a backend, logging the choice in one line. */
    public static Selection select(String option) {
        Selection s = choose(option, System::getenv, candidates());
        log.info(s.summary());
        return s;
    }

    static Selection choose(String option, Function<String, String> environment, List<Candidate> candidates) {
        String[] forced = forcedName(option, environment);
        if (forced != null) {
            String name = forced[0].trim().toLowerCase(Locale.ROOT);
            Candidate c = candidates.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new BackendException("unknown backend '" + name + "' (set by " + forced[1] + "); known: "
                            + candidates.stream().map(Candidate::name).collect(Collectors.joining(", "))));
            if (!c.probe().usable()) {
                throw new BackendException("backend '" + name + "' (set by " + forced[1] + ") is unusable here: " + c.probe().detail());
            }
            return new Selection(c.provider().open(), c, "forced by " + forced[1], candidates);
        }
        Candidate best = candidates.stream().filter(c -> c.probe().usable()).findFirst()
                .orElseThrow(() -> new BackendException("no usable backend on the class path"));
        return new Selection(best.provider().open(), best, "highest-ranked usable", candidates);
    }
}
