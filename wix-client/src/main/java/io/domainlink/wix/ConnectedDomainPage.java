package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** One page of List Connected Domains ({@code ListConnectedDomainsResponse}, reference 2.5), newest first. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectedDomainPage(PagingMetadata pagingMetadata, List<ConnectedDomain> connectedDomains) {

  public ConnectedDomainPage {
    connectedDomains = Nulls.list(connectedDomains);
  }

  /** {@code pagingMetadata.hasNext}; false when absent. */
  public boolean hasNext() {
    return pagingMetadata != null && Boolean.TRUE.equals(pagingMetadata.hasNext());
  }

  /** {@code pagingMetadata.cursors.next} when present and non-empty: pass it back as {@code cursor}. */
  public Optional<String> nextCursor() {
    return Optional.ofNullable(pagingMetadata)
        .map(PagingMetadata::cursors)
        .map(PagingMetadata.Cursors::next)
        .filter(s -> !s.isEmpty());
  }
}
