package io.domainlink.wix;

/** The Wix operations this client calls; {@link #metricName()} is stable for logs and metrics. */
public enum WixEndpoint {
  CREATE_CONNECTED_DOMAIN("createConnectedDomain"),
  GET_CONNECTED_DOMAIN("getConnectedDomain"),
  LIST_CONNECTED_DOMAINS("listConnectedDomains"),
  DELETE_CONNECTED_DOMAIN("deleteConnectedDomain"),
  GET_CONNECTED_DOMAIN_SETUP_INFO("getConnectedDomainSetupInfo"),
  GET_DNS_ZONE("getDnsZone"),
  PREVIEW_DNS_ZONE("previewDnsZone"),
  UPDATE_DNS_ZONE("updateDnsZone"),
  CREATE_PACKAGE("createPackage"),
  CANCEL_PACKAGE("cancelPackage");

  private final String metricName;

  WixEndpoint(String metricName) {
    this.metricName = metricName;
  }

  public String metricName() {
    return metricName;
  }
}
