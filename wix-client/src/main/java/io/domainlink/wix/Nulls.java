package io.domainlink.wix;

import java.util.List;
import java.util.Objects;

/** Wix omits unset fields; lists read from it are never null and never hold nulls. */
final class Nulls {
  private Nulls() {}

  static <T> List<T> list(List<T> in) {
    if (in == null || in.isEmpty()) {
      return List.of();
    }
    return in.stream().filter(Objects::nonNull).toList();
  }
}
