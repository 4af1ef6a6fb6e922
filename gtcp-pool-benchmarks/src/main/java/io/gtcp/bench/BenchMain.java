package io.gtcp.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The entry point of {@code gtcp-pool-benchmarks.jar}.
 *
 * <pre>
 * java -jar gtcp-pool-benchmarks.jar [--quick] [--timeouts] [--tls] [--outside] [--group] [--contended]
 *                                    [--threads=1,4,16,64] [--contenders=raw,gtcp,...] [--pairs=N] [--round-ms=N]
 *                                    [--warmup-ms=N] [--pool-size=N]               the end-to-end harness
 * java -jar gtcp-pool-benchmarks.jar jmh [JMH options]                             JMH (e.g. BorrowReturn -prof gc)
 * java -jar gtcp-pool-benchmarks.jar memory [--connections=2000]                   heap per idle connection
 * java -jar gtcp-pool-benchmarks.jar vthreads [--threads=10000] [--pool=64]        virtual threads (Java 21+)
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "harness";
        String[] rest = command.equals("harness") && (args.length == 0 || args[0].startsWith("-"))
                ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "harness" -> harness(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "memory" -> MemoryBenchmark.main(rest);
            case "vthreads" -> VirtualThreadsBenchmark.main(rest);
            case "help" -> usage();
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void harness(String[] args) throws Exception {
        HarnessSettings settings;
        try {
            settings = HarnessSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        printMachine();
        System.out.println("# settings: " + settings);
        long start = System.nanoTime();
        Harness harness = new Harness(settings, System.out);
        Results results = harness.run();
        harness.report(results);
        System.out.printf(Locale.ROOT, "# took %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    static void printMachine() {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "# %s %s (%s), %d CPUs, max heap %d MiB, %s %s, JVM args %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"), rt.availableProcessors(), rt.maxMemory() >> 20,
                System.getProperty("os.name"), System.getProperty("os.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static void usage() {
        System.err.println("""
                usage: java -jar gtcp-pool-benchmarks.jar [--quick] [--timeouts] [--tls] [--outside] [--group]
                                                          [--contended] [--threads=1,4,16,64] [--contenders=a,b]
                                                          [--reference=gtcp]
                                                          [--pairs=N] [--round-ms=N] [--warmup-ms=N] [--pool-size=N]
                       java -jar gtcp-pool-benchmarks.jar jmh [JMH options, e.g. BorrowReturn -prof gc]
                       java -jar gtcp-pool-benchmarks.jar memory [--connections=2000]
                       java -jar gtcp-pool-benchmarks.jar vthreads [--threads=10000] [--pool=64] [--exchanges=20]
                contenders: raw, connect, gtcp, commons-pool2, commons-pool2-tob, spring-integration,
                            gtcp-group, commons-pool2-group (the last two with --group);
                            --tls (TLS 1.3 servers and clients) runs all but connect and spring-integration""");
    }
}
