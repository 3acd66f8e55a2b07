package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Cursor paging metadata: {@code count}, {@code cursors.next/prev}, {@code hasNext}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PagingMetadata(Integer count, Cursors cursors, Boolean hasNext) {

  /** Opaque cursors to the next and previous page; either may be null. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cursors(String next, String prev) {}
}
