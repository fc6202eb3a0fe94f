package io.parabench.spark;

import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;

/**
 * A SparkSession inside a command's (or a test's) JVM. Spark's INFO logging and its per-task
 * failure stack traces would bury the command's output on stderr, so only errors of the driver
 * are logged; a failing file is reported once, as one line, by {@link SparkRanks}. No web UI.
 */
final class EmbeddedSpark {
    private static final String LOGGING = "/parabench-spark-log4j2.properties";

    private EmbeddedSpark() {
    }

    static SparkSession start(String master) {
        if (master.isBlank()) {
            throw new IllegalArgumentException("--master (" + master + ") must name a Spark master, e.g. local[2]");
        }
        // A configuration of our own before Spark starts: Spark installs its INFO defaults only
        // when log4j runs on its built-in default.
        try {
            Configurator.reconfigure(EmbeddedSpark.class.getResource(LOGGING).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return SparkSession.builder()
                .appName("parabench trace-stats")
                .master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
