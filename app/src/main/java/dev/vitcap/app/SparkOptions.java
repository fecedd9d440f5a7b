package dev.vitcap.app;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --master} and {@code --conf}: where a Spark command runs, as {@code spark-submit} names them. */
final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], local[*], spark://HOST:PORT, yarn, ... (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, as spark-submit's --conf (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    /** The session: under spark-submit its master and settings, else --master (default local[*]); --conf added. */
    SparkSession session(String appName) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (master != null) builder.master(master);
        else if (System.getProperty("spark.master") == null) builder.master("local[*]");
        // A local run has no use for the web UI, and its port is one more thing that can be taken.
        if (System.getProperty("spark.ui.enabled") == null && (master == null || master.startsWith("local"))) builder.config("spark.ui.enabled", false);
        conf.forEach(builder::config);
        return builder.getOrCreate();
    }
}
