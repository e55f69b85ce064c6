package dev.hearth.api;

import dev.hearth.jsonrpc.MethodSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every declared method, for the generated method list and for completeness checks. */
public final class Methods {
  private static final List<Class<?>> GROUPS =
      List.of(
          RootApi.class,
          AuthApi.class,
          ServerApi.class,
          NotificationApi.class,
          PackageApi.class,
          DbApi.class,
          SetupApi.class,
          DiagnosticApi.class,
          MarketplaceApi.class,
          NetApi.class);

  private Methods() {}

  /** All declarations, in name order. */
  public static List<MethodSpec<?, ?>> all() {
    List<MethodSpec<?, ?>> out = new ArrayList<>();
    for (Class<?> group : GROUPS) {
      for (Field f : group.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && MethodSpec.class.isAssignableFrom(f.getType())) {
          try {
            out.add((MethodSpec<?, ?>) f.get(null));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    out.sort(Comparator.comparing(MethodSpec::name));
    return out;
  }
}
