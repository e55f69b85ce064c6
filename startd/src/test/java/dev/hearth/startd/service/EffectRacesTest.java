package dev.hearth.startd.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Effects of one package run concurrently (container-runtime.md §2.6), and each change they make is
 * one transaction over the value as it is then: whatever the interleaving, the database ends as a
 * sequential run predicts. The plans mix additions with distinct keys (which commute) with clears
 * that keep every key a plan adds (so they commute too: they only remove what was there before),
 * and whole replacements (set-dependencies: the last one wins, whichever it was).
 *
 * <p>Checked on {@link #CASES} seeded random plans (plain JUnit: a failure names its plan, and the
 * fixed seed reproduces it).
 */
class EffectRacesTest {
  private static final int CASES = 40;
  private static final long SEED = 0xEFF_EC75L;

  enum Kind {
    BIND,
    BIND_RANGE,
    CLEAR_BINDINGS,
    EXPORT_INTERFACE,
    CLEAR_INTERFACES,
    EXPORT_ACTION,
    CLEAR_ACTIONS,
    CREATE_TASK,
    CLEAR_TASKS,
    SET_HEALTH,
    SET_DEPENDENCIES
  }

  /** A plan of 2 to 40 effect calls. */
  private static List<Kind> plan(SplittableRandom random) {
    Kind[] kinds = Kind.values();
    List<Kind> plan = new ArrayList<>();
    for (int n = random.nextInt(2, 41); n > 0; n--) {
      plan.add(kinds[random.nextInt(kinds.length)]);
    }
    return plan;
  }

  private static final String[] DEPENDENCIES = {
    "{\"dependencies\":[{\"kind\":\"exists\",\"id\":\"other\",\"versionRange\":\"*\"}]}",
    "{\"dependencies\":[{\"kind\":\"running\",\"id\":\"other\",\"healthChecks\":[\"web\"],"
        + "\"versionRange\":\">=1\"}]}"
  };

  /** The effect call of step {@code i}: every key it adds is its own. */
  private static String[] call(Kind kind, int i, List<Kind> plan) {
    return switch (kind) {
      case BIND ->
          new String[] {
            "bind", "{\"id\":\"h" + (i % 2) + "\",\"internalPort\":" + (2000 + i) + "}"
          };
      case BIND_RANGE ->
          new String[] {
            "bind-range",
            "{\"id\":\"r"
                + (i % 2)
                + "\",\"internalStartPort\":"
                + (10_000 + 10 * i)
                + ",\"externalStartPort\":"
                + (41_000 + 10 * i)
                + ",\"numberOfPorts\":2}"
          };
      case CLEAR_BINDINGS -> {
        List<String> keep = new ArrayList<>(List.of("{\"id\":\"main\",\"internalPort\":80}"));
        for (int j = 0; j < plan.size(); j++) {
          if (plan.get(j) == Kind.BIND) {
            keep.add("{\"id\":\"h" + (j % 2) + "\",\"internalPort\":" + (2000 + j) + "}");
          } else if (plan.get(j) == Kind.BIND_RANGE) {
            // As the SDK names a range it declared: by its internal start port.
            keep.add("{\"id\":\"r" + (j % 2) + "\",\"internalPort\":" + (10_000 + 10 * j) + "}");
          }
        }
        yield new String[] {"clear-bindings", "{\"except\":[" + String.join(",", keep) + "]}"};
      }
      case EXPORT_INTERFACE -> new String[] {"export-service-interface", iface("if-" + i)};
      case CLEAR_INTERFACES ->
          new String[] {
            "clear-service-interfaces",
            "{\"except\":" + keys(plan, Kind.EXPORT_INTERFACE, "if-", "keep-ui") + "}"
          };
      case EXPORT_ACTION ->
          new String[] {
            "action.export",
            "{\"id\":\"act-"
                + i
                + "\",\"metadata\":{\"name\":\"A\",\"description\":\"d\",\"warning\":null,"
                + "\"visibility\":\"enabled\",\"allowedStatuses\":\"any\",\"hasInput\":false,"
                + "\"group\":null}}"
          };
      case CLEAR_ACTIONS ->
          new String[] {
            "action.clear", "{\"except\":" + keys(plan, Kind.EXPORT_ACTION, "act-", "keep") + "}"
          };
      case CREATE_TASK ->
          new String[] {
            "action.create-task",
            "{\"replayId\":\"task-"
                + i
                + "\",\"packageId\":\"other\",\"actionId\":\"config\",\"severity\":\"optional\"}"
          };
      case CLEAR_TASKS -> new String[] {"action.clear-tasks", "{\"only\":[\"junk\"]}"};
      case SET_HEALTH ->
          new String[] {
            "set-health",
            "{\"id\":\"check-" + i + "\",\"name\":\"C\",\"result\":\"success\",\"message\":null}"
          };
      case SET_DEPENDENCIES -> new String[] {"set-dependencies", DEPENDENCIES[i % 2]};
    };
  }

  private static String iface(String id) {
    return "{\"id\":\""
        + id
        + "\",\"name\":\"I\",\"description\":\"d\",\"masked\":false,\"type\":\"api\","
        + "\"addressInfo\":{\"username\":null,\"hostId\":\"main\",\"internalPort\":80,"
        + "\"scheme\":null,\"sslScheme\":null,\"suffix\":\"\"}}";
  }

  private static String keys(List<Kind> plan, Kind adder, String prefix, String kept) {
    List<String> out = new ArrayList<>(List.of("\"" + kept + "\""));
    for (int j = 0; j < plan.size(); j++) {
      if (plan.get(j) == adder) {
        out.add("\"" + prefix + j + "\"");
      }
    }
    return "[" + String.join(",", out) + "]";
  }

  /** What exists before the race: one of each thing to keep, and one of each to clear. */
  private static void seed(EffectsFixture f) throws Exception {
    f.call("bind", "{\"id\":\"main\",\"internalPort\":80}");
    f.call("bind", "{\"id\":\"junk\",\"internalPort\":81}");
    f.call("export-service-interface", iface("keep-ui"));
    f.call("export-service-interface", iface("junk-ui"));
    for (String a : List.of("keep", "junk")) {
      f.call(
          "action.export",
          "{\"id\":\""
              + a
              + "\",\"metadata\":{\"name\":\"A\",\"allowedStatuses\":\"any\",\"hasInput\":false}}");
      f.call(
          "action.create-task",
          "{\"replayId\":\""
              + a
              + "\",\"packageId\":\"other\",\"actionId\":\"config\",\"severity\":\"optional\"}");
    }
  }

  @Test
  void concurrentEffectsLoseNoUpdate() throws Exception {
    var random = new SplittableRandom(SEED);
    for (int c = 0; c < CASES; c++) {
      List<Kind> plan = plan(random);
      int threads = random.nextInt(2, 7);
      try {
        checkOnePlan(plan, threads);
      } catch (AssertionError | Exception e) {
        throw new AssertionError(
            "case " + c + ": " + plan + " on " + threads + " threads: " + e.getMessage(), e);
      }
    }
  }

  private static void checkOnePlan(List<Kind> plan, int threads) throws Exception {
    try (EffectsFixture f = new EffectsFixture()) {
      seed(f);
      var failures = new ConcurrentLinkedQueue<Throwable>();
      var go = new CountDownLatch(1);
      try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        for (int t = 0; t < threads; t++) {
          int thread = t;
          pool.execute(() -> {
            try {
              go.await();
              for (int i = thread; i < plan.size(); i += threads) {
                String[] c = call(plan.get(i), i, plan);
                f.call(c[0], c[1]);
              }
            } catch (Throwable e) {
              failures.add(e);
            }
          });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(failures).isEmpty();
      assertMatchesSequentialModel(f, plan);
    }
  }

  private static Set<String> indexed(List<Kind> plan, Kind kind, String prefix) {
    return IntStream.range(0, plan.size())
        .filter(i -> plan.get(i) == kind)
        .mapToObj(i -> prefix + i)
        .collect(Collectors.toSet());
  }

  private static Set<String> withKept(Set<String> planned, String kept, boolean junkLeft) {
    Set<String> out = new HashSet<>(planned);
    out.add(kept);
    if (junkLeft) {
      out.add("junk");
    }
    return out;
  }

  private static void assertMatchesSequentialModel(EffectsFixture f, List<Kind> plan) {
    JsonNode entry = f.entry();

    Set<String> bindings = new HashSet<>();
    Set<String> ranges = new HashSet<>();
    entry
        .path("hosts")
        .properties()
        .forEach(h -> {
          h.getValue()
              .path("bindings")
              .fieldNames()
              .forEachRemaining(p -> bindings.add(h.getKey() + ":" + p));
          h.getValue()
              .path("bindingRanges")
              .fieldNames()
              .forEachRemaining(p -> ranges.add(h.getKey() + ":" + p));
        });
    Set<String> expectedBindings = new HashSet<>(Set.of("main:80"));
    Set<String> expectedRanges = new HashSet<>();
    for (int i = 0; i < plan.size(); i++) {
      if (plan.get(i) == Kind.BIND) {
        expectedBindings.add("h" + (i % 2) + ":" + (2000 + i));
      } else if (plan.get(i) == Kind.BIND_RANGE) {
        expectedRanges.add("r" + (i % 2) + ":" + (10_000 + 10 * i));
      }
    }
    if (!plan.contains(Kind.CLEAR_BINDINGS)) {
      expectedBindings.add("junk:81");
    }
    assertThat(bindings).as("bindings").isEqualTo(expectedBindings);
    assertThat(ranges).as("port ranges").isEqualTo(expectedRanges);
    assertThat(f.sandboxes.open).as("userspace forwards").hasSize(expectedBindings.size());
    // Ranges are kernel forwards, one per protocol; the bindings here are raw, so UDP too.
    assertThat(f.sandboxes.dnat)
        .as("kernel forwards")
        .hasSize(expectedBindings.size() + 2 * expectedRanges.size());

    Set<String> interfaces = names(entry.at("/hosts/main/bindings/80/interfaces"));
    Set<String> expectedInterfaces = indexed(plan, Kind.EXPORT_INTERFACE, "if-");
    expectedInterfaces.add("keep-ui");
    if (!plan.contains(Kind.CLEAR_INTERFACES)) {
      expectedInterfaces.add("junk-ui");
    }
    assertThat(interfaces).as("interfaces").isEqualTo(expectedInterfaces);

    assertThat(names(entry.path("actions")))
        .as("actions")
        .isEqualTo(
            withKept(
                indexed(plan, Kind.EXPORT_ACTION, "act-"),
                "keep",
                !plan.contains(Kind.CLEAR_ACTIONS)));
    assertThat(names(entry.path("tasks")))
        .as("tasks")
        .isEqualTo(
            withKept(
                indexed(plan, Kind.CREATE_TASK, "task-"),
                "keep",
                !plan.contains(Kind.CLEAR_TASKS)));
    assertThat(names(entry.at("/statusInfo/health")))
        .as("health")
        .isEqualTo(indexed(plan, Kind.SET_HEALTH, "check-"));

    JsonNode deps = entry.path("currentDependencies");
    if (!plan.contains(Kind.SET_DEPENDENCIES)) {
      assertThat(deps.isEmpty()).isTrue();
    } else {
      Set<String> issuedKinds = new HashSet<>();
      for (int i = 0; i < plan.size(); i++) {
        if (plan.get(i) == Kind.SET_DEPENDENCIES) {
          issuedKinds.add(i % 2 == 0 ? "exists" : "running");
        }
      }
      assertThat(names(deps)).isEqualTo(Set.of("other"));
      assertThat(issuedKinds).contains(deps.at("/other/kind").asText());
    }
  }

  private static Set<String> names(JsonNode object) {
    Set<String> out = new HashSet<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
