package dev.onepg.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jspecify.annotations.Nullable;

/**
 * A wall-clock profiler of one thread of the service: over JMX, takes the thread's stack every few milliseconds
 * and counts, for each sample, what the thread was doing (waiting for PostgreSQL, in pgjdbc, jOOQ, JSON, ...)
 * and in which step of our code (the innermost {@code dev.onepg} frame).
 */
final class StackSampler implements AutoCloseable {

    private final @Nullable JMXConnector connector;
    private final ThreadMXBean threads;
    private final Map<String, Integer> byActivity = new TreeMap<>();
    private final Map<String, Integer> byStep = new TreeMap<>();
    private final Map<String, Integer> byStepAndActivity = new TreeMap<>();
    private @Nullable Thread thread;
    private volatile boolean stopped;
    private int samples;
    private long cpuNanosAtStart = -1;
    private long cpuNanosAtEnd = -1;

    StackSampler(int jmxPort) throws Exception {
        connector = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
        MBeanServerConnection connection = connector.getMBeanServerConnection();
        threads = ManagementFactory.newPlatformMXBeanProxy(
                connection, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
    }

    /** Samples threads of this JVM. */
    StackSampler() {
        connector = null;
        threads = ManagementFactory.getThreadMXBean();
    }

    /**
     * Starts sampling every thread whose name starts with the prefix and that is serving a request (has a
     * {@code dev.onepg} frame), until {@link #stop()}.
     */
    void startAll(String prefix, long intervalMillis) {
        thread = Thread.ofPlatform().daemon().name("stack-sampler").start(() -> {
            while (!stopped) {
                try {
                    for (ThreadInfo info : threads.dumpAllThreads(false, false, 200)) {
                        if (info.getThreadName().startsWith(prefix) && serving(info.getStackTrace())) {
                            record(info.getStackTrace());
                        }
                    }
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    return;
                }
            }
        });
    }

    private static boolean serving(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("dev.onepg")) {
                return true;
            }
        }
        return false;
    }

    /** Starts sampling the thread of that name as soon as it exists, until {@link #stop()}. */
    void start(String threadName, long intervalMillis) {
        thread = Thread.ofPlatform().daemon().name("stack-sampler").start(() -> {
            long id = -1;
            while (!stopped) {
                try {
                    if (id < 0) {
                        for (ThreadInfo info : threads.dumpAllThreads(false, false, 0)) {
                            if (info.getThreadName().equals(threadName)) {
                                id = info.getThreadId();
                                cpuNanosAtStart = threads.getThreadCpuTime(id);
                            }
                        }
                    } else {
                        ThreadInfo info = threads.getThreadInfo(id, 200);
                        if (info == null) {
                            return;
                        }
                        record(info.getStackTrace());
                        long cpu = threads.getThreadCpuTime(id);
                        if (cpu > 0) {
                            cpuNanosAtEnd = cpu;
                        }
                    }
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // The service or its thread went away.
                    return;
                }
            }
        });
    }

    private synchronized void record(StackTraceElement[] stack) {
        if (stack.length == 0) {
            return;
        }
        samples++;
        String activity = activity(stack);
        String step = step(stack);
        byActivity.merge(activity, 1, Integer::sum);
        byStep.merge(step, 1, Integer::sum);
        byStepAndActivity.merge(step + " | " + activity, 1, Integer::sum);
    }

    static String activity(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String method = frame.getClassName() + "." + frame.getMethodName();
            if (method.startsWith("org.postgresql.core.PGStream.receive")
                    || method.startsWith("org.postgresql.core.VisibleBufferedInputStream")) {
                return "waiting for PostgreSQL (socket read)";
            }
            if (method.startsWith("com.zaxxer.hikari.pool.HikariPool.getConnection")
                    || method.startsWith("com.zaxxer.hikari.util.ConcurrentBag.borrow")) {
                return "waiting for a pooled connection (Hikari)";
            }
            if (method.startsWith("org.springframework.security.crypto.argon2")
                    || method.startsWith("org.bouncycastle")) {
                return "Argon2";
            }
            if (method.startsWith("org.postgresql.core.PGStream.flush")
                    || method.startsWith("org.postgresql.core.PGStream.send")) {
                return "sending to PostgreSQL (socket write)";
            }
        }
        for (StackTraceElement frame : stack) {
            String type = frame.getClassName();
            if (type.startsWith("dev.onepg")) {
                return "our code";
            }
            if (type.startsWith("org.postgresql")) {
                return "pgjdbc (encoding, decoding)";
            }
            if (type.startsWith("tools.jackson") || type.startsWith("com.fasterxml")) {
                return "JSON (Jackson)";
            }
            if (type.startsWith("org.jooq")) {
                return "jOOQ (rendering, binding, mapping)";
            }
            if (type.startsWith("com.zaxxer")) {
                return "Hikari";
            }
        }
        return "other (JDK)";
    }

    static String step(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String type = frame.getClassName();
            if (type.startsWith("dev.onepg")) {
                String simple = type.substring(type.lastIndexOf('.') + 1);
                return simple + "." + frame.getMethodName();
            }
        }
        return "(no dev.onepg frame)";
    }

    void stop() throws InterruptedException {
        stopped = true;
        if (thread != null) {
            thread.join(5_000);
        }
    }

    synchronized int samples() {
        return samples;
    }

    synchronized Map<String, Integer> byActivity() {
        return sorted(byActivity);
    }

    synchronized Map<String, Integer> byStep() {
        return sorted(byStep);
    }

    synchronized Map<String, Integer> byStepAndActivity() {
        return sorted(byStepAndActivity);
    }

    /** CPU time of the sampled thread while it was sampled, or -1. */
    long cpuNanos() {
        return cpuNanosAtStart < 0 || cpuNanosAtEnd < 0 ? -1 : cpuNanosAtEnd - cpuNanosAtStart;
    }

    private static Map<String, Integer> sorted(Map<String, Integer> counts) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    @Override
    public void close() throws Exception {
        stop();
        if (connector != null) {
            connector.close();
        }
    }
}
